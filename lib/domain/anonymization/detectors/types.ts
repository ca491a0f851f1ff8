/**
 * The kinds of personal data and secrets the scrubber replaces, in the order they are reported.
 * Structured kinds have a checkable shape; PASSWORD, ADDRESS and NAME are found from context (cue words,
 * street words, given-name lexicons); USERNAME is the annotator's own email local part.
 */
export const SCRUB_KINDS = [
  "EMAIL",
  "PHONE",
  "IP",
  "URL_WITH_SECRET",
  "CARD",
  "NATIONAL_ID",
  "IBAN",
  "SECRET",
  "PRIVATE_KEY",
  "PASSWORD",
  "ADDRESS",
  "NAME",
  "USERNAME",
] as const;

export type ScrubKind = (typeof SCRUB_KINDS)[number];

export function placeholderFor(kind: ScrubKind): string {
  return `[${kind}]`;
}

/** A replacement for the whole match, for only its first `length` characters, or null to leave it untouched. */
export type Replacement = string | { text: string; length: number } | null;

export interface Detector {
  kind: ScrubKind;
  /** Global (`g`) regular expression, or sticky (`y`) with `anchors`; its lastIndex is set before every use. */
  pattern: RegExp;
  replace: (match: string, groups: Array<string | undefined>, before: string) => Replacement;
  /** The replacer already tried every sub-span of a rejected match, so the search resumes after it. */
  rejectionCoversSubspans?: boolean;
  /**
   * A necessary condition of any match, part of the detector itself: a literal or a shape its pattern
   * cannot match without (`"@"` for emails), tested with a cheaper scan so ordinary prose skips the
   * pattern. Absent: the pattern always runs.
   */
  requires?: (text: string) => boolean;
  /**
   * Where a match may start, ascending (for patterns whose start is rare but costly to find with the
   * pattern itself, such as a given name of the lexicon). With anchors the pattern must be sticky (`y`)
   * and is tried at these positions only.
   */
  anchors?: (text: string) => Iterable<number>;
}

/** `requires` for a detector whose pattern contains one of `literals` (case-sensitive). */
export const containsAny = (...literals: string[]) => (text: string) => literals.some((literal) => text.includes(literal));

let lastLowered: { text: string; lower: string } | null = null;

/** `requires` for a case-insensitive pattern that contains one of `literals` (given in lower case). */
export const containsAnyIgnoringCase = (...literals: string[]) => (text: string) => {
  if (lastLowered?.text !== text) lastLowered = { text, lower: text.toLowerCase() };
  const { lower } = lastLowered;
  return literals.some((literal) => lower.includes(literal));
};

let lastDigits: { text: string; longest: number } | null = null;

/**
 * The most digits in one cluster of `text`: digits joined by at most two of ` .()+-`. Phones need 8,
 * cards 13, CPFs 11 in one such cluster. Remembered for the last text, which the next detectors usually
 * see unchanged.
 */
export function longestDigitCluster(text: string): number {
  if (lastDigits?.text === text) return lastDigits.longest;
  let longest = 0;
  let digits = 0;
  let gap = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) {
      digits = gap <= 2 ? digits + 1 : 1;
      gap = 0;
      if (digits > longest) longest = digits;
    } else if (digits > 0 && gap < 3 && (code === 32 || code === 46 || code === 40 || code === 41 || code === 43 || code === 45)) {
      gap++;
    } else {
      digits = 0;
      gap = 0;
    }
  }
  lastDigits = { text, longest };
  return longest;
}

/** `requires` for detectors that need `digits` digits in one cluster. */
export const digitCluster = (digits: number) => (text: string) => longestDigitCluster(text) >= digits;

/** `requires` from a simple regular expression (no `g` flag) that every match of the pattern satisfies. */
export const matches = (shape: RegExp) => (text: string) => shape.test(text);

export const placeholder = (kind: ScrubKind) => () => placeholderFor(kind);

/** `requires` that holds when every one of `conditions` holds (cheapest first). */
export const all = (...conditions: Array<(text: string) => boolean>) => (text: string) => conditions.every((condition) => condition(text));
