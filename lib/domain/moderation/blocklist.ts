/**
 * A block list is a tripwire for requests that are never acceptable, checked before anything reaches a
 * model provider. It is deliberately small: nuanced judgement belongs to the moderation provider, and a
 * long list of ordinary words would refuse legitimate research prompts.
 *
 * The built-in terms name child sexual abuse material, which no model in the arena may be asked for. An
 * admin adds terms with MODERATION_BLOCKLIST (comma separated); added terms are matched the same way.
 *
 * Matching (see `normalizeForMatching`): case, accents, full-width forms, common digit/symbol
 * substitutions ("p0rn") and separators between single letters ("c.s.a.m") do not hide a term; a term only
 * matches whole words, so "csam" does not match inside "physics amplifier".
 */
export const DEFAULT_BLOCKLIST: readonly string[] = [
  "csam",
  "child sexual abuse material",
  "child porn",
  "child pornography",
  "kiddie porn",
  "kiddy porn",
  "pedo porn",
  "preteen porn",
  "underage porn",
  "lolicon",
  "shotacon",
];

const SUBSTITUTIONS: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s", "!": "i" };

/**
 * Lower-case words separated by single spaces, with substitutions undone and runs of single characters
 * joined ("c s a m" → "csam"). Idempotent.
 */
export function normalizeForMatching(text: string): string {
  const folded = text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
  const tokens = folded
    .split(/[^\p{L}\p{N}@$!]+/u)
    .map((token) => token.replace(/^[@$!]+|[@$!]+$/g, ""))
    .filter((token) => token.length > 0);
  const words: string[] = [];
  let letters = "";
  for (const token of tokens) {
    if (token.length === 1) {
      letters += token;
      continue;
    }
    if (letters) words.push(letters);
    letters = "";
    words.push(token);
  }
  if (letters) words.push(letters);
  // Only words with a letter are de-substituted: "p0rn" is a word in disguise, "2024" is a number.
  return words.map((word) => (/\p{L}/u.test(word) ? word.replace(/[013457@$!]/g, (char) => SUBSTITUTIONS[char]!) : word)).join(" ");
}

/** Terms from a comma-separated list, normalized, without empty or repeated entries. */
export function parseBlocklist(list: string): string[] {
  return [...new Set(list.split(",").map(normalizeForMatching).filter((term) => term.length > 0))];
}

/** The built-in terms plus `extra` (MODERATION_BLOCKLIST's format), normalized. */
export function buildBlocklist(extra = ""): string[] {
  return [...new Set([...DEFAULT_BLOCKLIST.map(normalizeForMatching), ...parseBlocklist(extra)])];
}

/** The first term of `blocklist` (normalized terms) that occurs as whole words in `text`, or null. */
export function findBlockedTerm(text: string, blocklist: readonly string[]): string | null {
  const haystack = ` ${normalizeForMatching(text)} `;
  return blocklist.find((term) => term.length > 0 && haystack.includes(` ${term} `)) ?? null;
}
