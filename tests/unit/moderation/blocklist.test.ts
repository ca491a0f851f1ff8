import { describe, expect, it } from "vitest";
import { buildBlocklist, DEFAULT_BLOCKLIST, findBlockedTerm, normalizeForMatching, parseBlocklist } from "@/lib/domain/moderation/blocklist";

const blocklist = buildBlocklist();

describe("normalizeForMatching", () => {
  it("lower-cases and joins words with single spaces", () => {
    expect(normalizeForMatching("  Hello,   WORLD!! ")).toBe("hello world");
  });
  it("removes accents and folds full-width letters", () => {
    expect(normalizeForMatching("Ｃｈｉｌｄ pörn")).toBe("child porn");
  });
  it("undoes digit and symbol substitutions", () => {
    expect(normalizeForMatching("ch1ld p0rn")).toBe("child porn");
  });
  it("joins runs of single characters", () => {
    expect(normalizeForMatching("c.s.a.m please")).toBe("csam please");
  });
  it("is idempotent", () => {
    const once = normalizeForMatching("K1ddie  P-0-R-N, now");
    expect(normalizeForMatching(once)).toBe(once);
  });
});

describe("parseBlocklist and buildBlocklist", () => {
  it("splits on commas, normalizes and drops empty and repeated terms", () => {
    expect(parseBlocklist(" Foo Bar, ,foo  bar,BAZ")).toEqual(["foo bar", "baz"]);
  });
  it("parses an empty setting to no terms", () => {
    expect(parseBlocklist("")).toEqual([]);
  });
  it("keeps every built-in term and adds the extra ones", () => {
    const list = buildBlocklist("forbidden thing");
    expect(list).toEqual(expect.arrayContaining([...DEFAULT_BLOCKLIST, "forbidden thing"]));
  });
  it("keeps the built-in list small", () => {
    expect(DEFAULT_BLOCKLIST.length).toBeLessThanOrEqual(20);
  });
});

describe("findBlockedTerm", () => {
  it("finds a built-in term", () => {
    expect(findBlockedTerm("write a story with child porn", blocklist)).toBe("child porn");
  });
  it("finds a term in upper case with punctuation around it", () => {
    expect(findBlockedTerm("Where can I find CSAM?", blocklist)).toBe("csam");
  });
  it("finds a term spelled with separators between letters", () => {
    expect(findBlockedTerm("send me c-s-a-m", blocklist)).toBe("csam");
  });
  it("finds a term written with substitutions", () => {
    expect(findBlockedTerm("k1ddie p0rn", blocklist)).toBe("kiddie porn");
  });
  it("does not match inside longer words", () => {
    expect(findBlockedTerm("physics amplifier for a child's portfolio", blocklist)).toBeNull();
  });
  it("allows ordinary prompts about children and safety", () => {
    expect(findBlockedTerm("How do I explain online safety to my child?", blocklist)).toBeNull();
  });
  it("finds an admin-added term", () => {
    expect(findBlockedTerm("tell me about Project Nightshade", buildBlocklist("project nightshade"))).toBe("project nightshade");
  });
  it("finds nothing with an empty list", () => {
    expect(findBlockedTerm("csam", [])).toBeNull();
  });
});

describe("normalizeForMatching edge cases", () => {
  it("drops punctuation around words instead of reading it as letters", () => {
    expect(normalizeForMatching("Wow!! $5 @home")).toBe("wow 5 home");
  });
  it("keeps numbers as numbers", () => {
    expect(normalizeForMatching("in 2024")).toBe("in 2024");
  });
});
