import { describe, expect, it } from "vitest";
import { createRandom, randomInt } from "@/lib/domain/random";
import { isValidIban, looksLikeOpaqueToken, passesLuhn, scrubText } from "@/lib/domain/anonymization/scrub";

function scrubbed(text: string): string {
  return scrubText(text).text;
}

describe("scrubText: emails", () => {
  it.each([
    ["write to john.doe@example.com today", "write to [EMAIL] today"],
    ["plus tag: jane+arena@mail.example.co.uk.", "plus tag: [EMAIL]."],
    ["<a.b_c-d@sub-domain.org>", "<[EMAIL]>"],
  ])("replaces %j", (input, expected) => {
    expect(scrubbed(input)).toBe(expected);
  });

  it("counts each email", () => {
    expect(scrubText("a@b.io and c@d.io").found.EMAIL).toBe(2);
  });

  it.each(["use the @decorator syntax", "user@localhost has no domain", "npm i @types/node"])(
    "leaves %j alone",
    (input) => expect(scrubbed(input)).toBe(input),
  );
});

describe("scrubText: phone numbers", () => {
  it.each([
    ["call +44 20 7946 0958 now", "call [PHONE] now"],
    ["call +1 (555) 123-4567", "call [PHONE]"],
    ["call +1-555-123-4567", "call [PHONE]"],
    ["call +4915112345678", "call [PHONE]"],
    ["call +33 6 12 34 56 78", "call [PHONE]"],
    ["call 0044 20 7946 0958", "call [PHONE]"],
    ["call (555) 123-4567", "call [PHONE]"],
    ["call 555-123-4567", "call [PHONE]"],
    ["call 555.123.4567", "call [PHONE]"],
    ["call 020 7946 0958", "call [PHONE]"],
    ["call 07700 900123", "call [PHONE]"],
    ["call 06 12 34 56 78", "call [PHONE]"],
    ["call 030 12345678", "call [PHONE]"],
  ])("replaces %j", (input, expected) => {
    expect(scrubbed(input)).toBe(expected);
  });

  it("separates a phone number from a year glued before it", () => {
    expect(scrubbed("in 2023 020 7946 0958")).toBe("in 2023 [PHONE]");
  });

  it("separates two phone numbers written one after the other", () => {
    const result = scrubText("020 7946 0958 020 7946 0959");
    expect(result.found.PHONE).toBeGreaterThanOrEqual(1);
    expect(result.text).not.toMatch(/\d{4}/);
  });

  it.each([
    "the year 2024 was warm",
    "born in 1987, moved in 2004",
    "it costs $1,234.56 or 1 234 567 €",
    "pi is 3.14159265358979",
    "tiny 0.000123456789",
    "on 2024-01-15 and 15.01.2024 and 01/15/2024",
    "ISBN 978-3-16-148410-0 and 0-306-40615-2",
    "timestamp 1700000000000",
    "id 0000012345",
    "a range 10-20-30",
    "for i in range(1000000):",
  ])("leaves %j alone", (input) => {
    expect(scrubbed(input)).toBe(input);
  });
});

describe("scrubText: IP addresses", () => {
  it.each([
    ["ssh root@203.0.113.7", "ssh root@[IP]"],
    ["host 192.168.1.20.", "host [IP]."],
    ["v6 2001:db8::1 here", "v6 [IP] here"],
    ["full 2001:0db8:85a3:0000:0000:8a2e:0370:7334", "full [IP]"],
  ])("replaces %j", (input, expected) => {
    expect(scrubbed(input)).toBe(expected);
  });

  it.each([
    "release v1.2.3.4",
    "running version 10.0.0.1",
    "semver 1.2.3",
    "not an ip 256.1.1.1",
    "dotted 1.2.3.4.5",
    "meet at 12:30:45",
    "C++ std::vector<int>",
    "python a[1::2]",
    "loopback ::1",
    "mac 00:1A:2B:3C:4D:5E",
  ])("leaves %j alone", (input) => {
    expect(scrubbed(input)).toBe(input);
  });
});

describe("scrubText: URLs carrying secrets", () => {
  it.each([
    ["see https://user:hunter2@db.example.com/x", "see [URL_WITH_SECRET]"],
    ["postgres://app:pw@localhost:5432/db", "[URL_WITH_SECRET]"],
    ["cb https://example.com/cb?token=abc123.", "cb [URL_WITH_SECRET]."],
    ["https://api.example.com/v1?x=1&access_token=zzz", "[URL_WITH_SECRET]"],
    ["https://maps.example.com/api?api_key=123", "[URL_WITH_SECRET]"],
    ["https://x.example.com/?key=abc", "[URL_WITH_SECRET]"],
    ["(https://bucket.example.com/f?sig=abc&se=2024)", "([URL_WITH_SECRET])"],
    ["https://example.com/login?password=secret", "[URL_WITH_SECRET]"],
  ])("replaces %j", (input, expected) => {
    expect(scrubbed(input)).toBe(expected);
  });

  it.each(["read https://example.com/docs?page=2", "https://en.wikipedia.org/wiki/Key_(cryptography)", "see http://localhost:3000/api"])(
    "leaves %j alone",
    (input) => expect(scrubbed(input)).toBe(input),
  );
});

describe("scrubText: payment cards", () => {
  it.each([
    ["visa 4111 1111 1111 1111", "visa [CARD]"],
    ["visa 4111-1111-1111-1111", "visa [CARD]"],
    ["visa 4012888888881881", "visa [CARD]"],
    ["amex 3782 822463 10005", "amex [CARD]"],
    ["mc 5555555555554444.", "mc [CARD]."],
  ])("replaces %j", (input, expected) => {
    expect(scrubbed(input)).toBe(expected);
  });

  it.each([
    "not luhn 4111 1111 1111 1112",
    "wrong issuer 1234567812345670",
    "odd grouping 4111 111 1111 11111",
    "part of a longer number 41111111111111110000000",
  ])("leaves %j alone", (input) => {
    expect(scrubbed(input)).toBe(input);
  });

  it("Luhn accepts a valid number and rejects a changed digit", () => {
    expect(passesLuhn("4111111111111111")).toBe(true);
    expect(passesLuhn("4111111111111112")).toBe(false);
  });
});

describe("scrubText: national ids and IBANs", () => {
  it.each([
    ["ssn 123-45-6789", "ssn [NATIONAL_ID]"],
    ["NI AB 12 34 56 C", "NI [NATIONAL_ID]"],
    ["NI AB123456C.", "NI [NATIONAL_ID]."],
    ["iban DE89 3704 0044 0532 0130 00", "iban [IBAN]"],
    ["iban GB82WEST12345698765432", "iban [IBAN]"],
    ["iban FR14 2004 1010 0505 0001 3M02 606 ok", "iban [IBAN] ok"],
  ])("replaces %j", (input, expected) => {
    expect(scrubbed(input)).toBe(expected);
  });

  it.each([
    "invalid ssn 000-12-3456",
    "invalid ssn 666-12-3456",
    "bad checksum DE89370400440532013001",
    "NI prefix GB 12 34 56 C is not issued",
    "model GPT4 and RTX 4090",
  ])("leaves %j alone", (input) => {
    expect(scrubbed(input)).toBe(input);
  });

  it("validates IBAN checksums", () => {
    expect(isValidIban("DE89370400440532013000")).toBe(true);
    expect(isValidIban("DE89370400440532013001")).toBe(false);
  });
});

describe("scrubText: secrets", () => {
  it.each([
    ["sk-proj-abcdefghijklmnopqrstuvwxyz123456"],
    ["sk-ant-api03-abcdefghijklmnopqrstuvwxyz_012"],
    ["ghp_abcdefghijklmnopqrstuvwxyz0123456789"],
    ["gho_abcdefghijklmnopqrstuvwxyz0123456789"],
    ["github_pat_11ABCDEFG0123456789_abcdefghijklmnop"],
    ["AKIAIOSFODNN7EXAMPLE"],
    ["xoxb-123456789012-abcdefghij"],
    ["AIzaSyA1234567890abcdefghijklmnopqrstuv"],
    ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
    ["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
    ["Zm9vYmFyQmF6MTIzNDU2Nzg5MGFiY2RlZkdISUpL"],
  ])("replaces %s", (secret) => {
    const result = scrubText(`key: ${secret} end`);
    expect(result.text).toBe("key: [SECRET] end");
    expect(result.found.SECRET).toBe(1);
  });

  it("keeps the Bearer keyword and hides the token", () => {
    expect(scrubbed("Authorization: Bearer abcDEF123456ghiJKL789")).toBe("Authorization: Bearer [SECRET]");
  });

  it.each([
    "send a Bearer token in the Authorization header",
    "def my_very_long_python_function_name_v2_final_x():",
    "const thisIsAVeryLongCamelCaseVariableNameHere = 1;",
    "MAX_RETRY_COUNT_FOR_HTTP2_REQUESTS_V2 = 3",
    "path src/components/Button2Component/index.tsx",
    "short hex deadbeef1234",
    "sk-short",
  ])("leaves %j alone", (input) => {
    expect(scrubbed(input)).toBe(input);
  });

  it("classifies opaque tokens", () => {
    expect(looksLikeOpaqueToken("a".repeat(40))).toBe(false);
    expect(looksLikeOpaqueToken("0123456789abcdef0123456789abcdef")).toBe(true);
  });
});

describe("scrubText: everything else", () => {
  it("leaves ordinary prose and code unchanged", () => {
    const text = [
      "Write a haiku about autumn leaves.",
      "```ts\nconst total = items.reduce((sum, item) => sum + item.price * 1.2, 0);\n```",
      "Version 3.11 of Python came out in 2022; numpy 1.26.4 works with it.",
      "Meet me at 10:30 on 2024-03-05 in room 204.",
    ].join("\n");
    const result = scrubText(text);
    expect(result.text).toBe(text);
    expect(Object.values(result.found).every((count) => count === 0)).toBe(true);
  });

  it("keeps the text around several findings byte for byte", () => {
    expect(scrubbed("Hi, I'm Ann (ann@example.org, +44 20 7946 0958)\n- thanks!")).toBe(
      "Hi, I'm [NAME] ([EMAIL], [PHONE])\n- thanks!",
    );
  });

  it("reports a zero count for every kind not found", () => {
    expect(scrubText("nothing here").found).toEqual({
      EMAIL: 0,
      PHONE: 0,
      IP: 0,
      URL_WITH_SECRET: 0,
      CARD: 0,
      NATIONAL_ID: 0,
      IBAN: 0,
      SECRET: 0,
      PRIVATE_KEY: 0,
      PASSWORD: 0,
      ADDRESS: 0,
      NAME: 0,
      USERNAME: 0,
    });
  });

  it("is idempotent on random mixtures of findings and noise", () => {
    const pieces = [
      "john@example.com", "+44 20 7946 0958", "555-123-4567", "192.168.0.1", "2001:db8::1",
      "https://u:p@example.com", "4111 1111 1111 1111", "123-45-6789", "DE89 3704 0044 0532 0130 00",
      "AKIAIOSFODNN7EXAMPLE", "Bearer abcDEF123456ghiJKL789", "my password is hunter2!", "221B Baker Street", "Jennifer Okafor",
      "jane at example dot com", "123.456.789-09", "DE89 3704 …", "https://hooks.example.com/services/T000/B000/XXXXXXXX", "2024", "3.14", "v1.2.3.4", "hello", "-", ".", " ",
      "\n", "0", "12", "(", ")", "=", "a", "Z9",
    ];
    const random = createRandom(42);
    for (let trial = 0; trial < 3000; trial++) {
      const length = 1 + randomInt(random, 12);
      let text = "";
      for (let i = 0; i < length; i++) text += pieces[randomInt(random, pieces.length)] + (random() < 0.5 ? " " : "");
      const once = scrubbed(text);
      expect(scrubbed(once), text).toBe(once);
    }
  });

  it("finds nothing in its own placeholders", () => {
    const placeholders = "[EMAIL] [PHONE] [IP] [URL_WITH_SECRET] [CARD] [NATIONAL_ID] [IBAN] [SECRET]";
    expect(scrubbed(placeholders)).toBe(placeholders);
  });
});
