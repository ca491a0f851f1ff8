import { describe, expect, it } from "vitest";
import { createRandom, randomInt } from "@/lib/domain/random";
import { measureTextFeatures, scrubText, scrubTextExhaustively } from "@/lib/domain/anonymization/scrub";

describe("measureTextFeatures", () => {
  it("sees an @", () => {
    expect(measureTextFeatures("a@b").hasAt).toBe(true);
    expect(measureTextFeatures("ab").hasAt).toBe(false);
  });

  it("counts digits joined by up to two separators as one cluster", () => {
    expect(measureTextFeatures("+44 (20) 7946-0958").maxDigitCluster).toBe(12);
    expect(measureTextFeatures("12 . - 34").maxDigitCluster).toBe(2);
    expect(measureTextFeatures("in 1984, then 2001").maxDigitCluster).toBe(4);
  });

  it("sees a 32-character token run only in a text with a digit", () => {
    expect(measureTextFeatures("id 7: a_very-long+token=with_more_than_32_chars").hasLongTokenWithDigit).toBe(true);
    expect(measureTextFeatures("a_very-long+token=with_more_than_thirtytwo_chars").hasLongTokenWithDigit).toBe(false);
    expect(measureTextFeatures("id 7: short_token").hasLongTokenWithDigit).toBe(false);
  });

  it("finds a token run of exactly 32 characters at the start, the middle and the end of a text", () => {
    const run = "Ab3+_=-".repeat(5).slice(0, 32);
    for (const text of [`${run} 1`, `1 ${run} x`, `1 ${run}`, `1 (${run})`]) expect(measureTextFeatures(text).hasLongTokenWithDigit).toBe(true);
    for (const text of [`${run.slice(1)} 1`, `1 ${run.slice(0, 16)} ${run.slice(16)}`, `1 ${run.slice(1)}é`]) {
      expect(measureTextFeatures(text).hasLongTokenWithDigit).toBe(false);
    }
  });

  it("judges token runs as /[A-Za-z0-9+_=-]{32}/ does, on 3,000 random texts", () => {
    // Mostly token characters, so that about a third of the texts hold a run of 32.
    const alphabet = "aZ09+_=-".repeat(20) + " .é\n/";
    const random = createRandom(11);
    let withRun = 0;
    for (let sample = 0; sample < 3000; sample++) {
      let text = "7";
      const length = randomInt(random, 120);
      for (let index = 0; index < length; index++) text += alphabet[randomInt(random, alphabet.length)];
      const expected = /[A-Za-z0-9+_=-]{32}/.test(text);
      expect(measureTextFeatures(text).hasLongTokenWithDigit).toBe(expected);
      withRun += expected ? 1 : 0;
    }
    expect(withRun).toBeGreaterThan(300);
    expect(withRun).toBeLessThan(2700);
  });

  it("sees IPv6 colons only between hex digits or doubled", () => {
    expect(measureTextFeatures("fe80::1").hasIpv6Colon).toBe(true);
    expect(measureTextFeatures("2001:db8").hasIpv6Colon).toBe(true);
    expect(measureTextFeatures("Note: this").hasIpv6Colon).toBe(false);
  });

  it("sees two capitals followed by two digits (an IBAN start)", () => {
    expect(measureTextFeatures("iban DE89 3704").hasIbanStart).toBe(true);
    expect(measureTextFeatures("D89 E8 de89").hasIbanStart).toBe(false);
  });
});

const FRAGMENTS = [
  "john.doe@example.com", "@decorator", "+44 20 7946 0958", "(555) 123-4567", "555-123-4567", "020 7946 0958",
  "0612345678", "4111 1111 1111 1111", "4111111111111111", "378282246310005", "123-45-6789", "AB 12 34 56 C",
  "QQ123456C", "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "192.168.1.20", "v1.2.3.4",
  "2001:db8:85a3::8a2e:370:7334", "fe80::1", "::1", "12:30", "std::vector", "https://user:pw@host.io/x",
  "https://example.com/?token=abc123", "http://example.com/page.", "Bearer abcdef1234567890abcdef",
  "sk-ant-abcdefghijklmnopqrstuvwxyz012", "sk-proj-ABCDEFGHIJKLMNOPQRSTUV", "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
  "AKIAABCDEFGHIJKLMNOP", "xoxb-1234567890-abc", "AIzaSyA1234567890abcdefghijklmnopqrstuv",
  "eyJhbGciOi.eyJzdWIiOi.sig", "0123456789abcdef0123456789abcdef01", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zZ",
  "snake_case_identifier_that_is_quite_long", "2023", "3.14159", "0.000123456789", "1 2 3 4 5 6 7 8 9",
  "the", "model", "answer", "café", "東京", "[EMAIL]", "[PHONE]", "1984", "-", ".", "(", ")", "+", ":", "@",
];
const SEPARATORS = [" ", " ", "", ", ", ". ", "\n", "-", ":", "/", "(", ")"];

function randomText(seed: number): string {
  const random = createRandom(seed);
  let text = "";
  const pieces = 1 + randomInt(random, 12);
  for (let index = 0; index < pieces; index++) {
    text += FRAGMENTS[randomInt(random, FRAGMENTS.length)]! + SEPARATORS[randomInt(random, SEPARATORS.length)]!;
  }
  return text;
}

describe("scrubText fast path", () => {
  it("gives the same text and counts as running every detector, on 5,000 mixed texts", () => {
    const differences: string[] = [];
    for (let seed = 1; seed <= 5000; seed++) {
      const text = randomText(seed);
      if (JSON.stringify(scrubText(text)) !== JSON.stringify(scrubTextExhaustively(text))) differences.push(text);
    }
    expect(differences).toEqual([]);
  });

  it("returns ordinary prose unchanged", () => {
    const prose = "However, the river model answers 1984 questions. Consider the garden: it is simple.";
    expect(scrubText(prose)).toEqual(scrubTextExhaustively(prose));
    expect(scrubText(prose).text).toBe(prose);
  });
});
