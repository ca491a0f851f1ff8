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
  /** Global (`g`) regular expression; its lastIndex is reset before every use. */
  pattern: RegExp;
  replace: (match: string, groups: Array<string | undefined>, before: string) => Replacement;
  /** The replacer already tried every sub-span of a rejected match, so the search resumes after it. */
  rejectionCoversSubspans?: boolean;
}

export const placeholder = (kind: ScrubKind) => () => placeholderFor(kind);
