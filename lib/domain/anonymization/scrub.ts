import { ownIdentityDetectors, type OwnIdentity } from "./detectors/identity";
import { PROSE_DETECTORS } from "./detectors/prose";
import { STRUCTURED_DETECTORS } from "./detectors/structured";
import { SCRUB_KINDS, type Detector, type ScrubKind } from "./detectors/types";

export { isValidCpf, isValidIban, looksLikeOpaqueToken, passesLuhn } from "./detectors/structured";
export { SCRUB_KINDS, type ScrubKind } from "./detectors/types";
export type { OwnIdentity } from "./detectors/identity";

/**
 * The one detector of personal data and secrets in free text: release scrubbing (lib/server/releases)
 * and the entry checks (lib/domain/moderation/personal-data.ts) both call `scrubText`.
 *
 * Each detected span is replaced by a typed placeholder (`[EMAIL]`, `[NAME]`, …). Detectors run in a
 * fixed order, most specific first: private keys, known key formats, URLs with secrets, emails, IBANs,
 * cards, national ids, IPs, opaque tokens, phones (detectors/structured.ts), then passwords, addresses
 * and names (detectors/prose.ts), then the annotator's own name and email local part when given
 * (detectors/identity.ts). So a URL with credentials is one `[URL_WITH_SECRET]` rather than an `[EMAIL]`
 * inside a URL, and a card number is never re-read as a phone number.
 *
 * Invariants:
 * - text outside detected spans is returned byte for byte;
 * - idempotent: `scrubText(scrubText(t).text).text === scrubText(t).text`: placeholders contain no digit,
 *   `@`, `:`, lower-case letter or long token, so no detector matches them, and the detectors' boundary
 *   checks treat a placeholder's `[`/`]` like the word character it replaced;
 * - `found[kind]` counts the placeholders of that kind inserted by this call;
 * - one path: every detector runs on every text; a detector skips its pattern only when its own necessary
 *   condition (`Detector.requires`, a literal or shape the pattern cannot match without) fails.
 */
export interface ScrubResult {
  text: string;
  found: Record<ScrubKind, number>;
}

export interface ScrubOptions {
  /** The author's own account name and email, removed wherever they appear in the author's texts. */
  identity?: OwnIdentity;
}

const DETECTORS: readonly Detector[] = [...STRUCTURED_DETECTORS, ...PROSE_DETECTORS];

const NO_FINDINGS = Object.fromEntries(SCRUB_KINDS.map((kind) => [kind, 0])) as Record<ScrubKind, number>;

function emptyCounts(): Record<ScrubKind, number> {
  return { ...NO_FINDINGS };
}

function countPlaceholders(text: string, kind: ScrubKind): number {
  return text.split(`[${kind}]`).length - 1;
}

/**
 * Like String.replace with a validating callback, except that a rejected match is retried one character
 * later instead of being skipped whole: a long invalid candidate ("0958 4111 1111 1111 1111") must not
 * hide a valid one inside it, or the second pass over the scrubbed text would find what the first missed.
 */
function replaceValidated(text: string, detector: Detector, found: Record<ScrubKind, number>): string {
  if (detector.requires && !detector.requires(text)) return text;
  const { pattern } = detector;
  const anchors = detector.anchors ? [...detector.anchors(text)] : null;
  let anchor = 0;
  /** The next match starting at `from` or later. */
  const next = (from: number): RegExpExecArray | null => {
    if (!anchors) {
      pattern.lastIndex = from;
      return pattern.exec(text);
    }
    for (; anchor < anchors.length; anchor++) {
      if (anchors[anchor]! < from) continue;
      pattern.lastIndex = anchors[anchor]!;
      const match = pattern.exec(text);
      if (match) return match;
    }
    return null;
  };
  let output = "";
  let copiedUpTo = 0;
  let match: RegExpExecArray | null;
  let from = 0;
  while ((match = next(from)) !== null) {
    const before = text.slice(Math.max(0, match.index - 16), match.index);
    const replacement = detector.replace(match[0], match.slice(1), before);
    if (replacement === null) {
      from = detector.rejectionCoversSubspans ? match.index + Math.max(1, match[0].length) : match.index + 1;
      continue;
    }
    const { text: replacementText, length } =
      typeof replacement === "string" ? { text: replacement, length: match[0].length } : replacement;
    output += text.slice(copiedUpTo, match.index) + replacementText;
    copiedUpTo = match.index + length;
    from = Math.max(copiedUpTo, match.index + 1);
    found[detector.kind] += countPlaceholders(replacementText, detector.kind);
  }
  return output + text.slice(copiedUpTo);
}

const identityDetectorCache = new WeakMap<OwnIdentity, Detector[]>();

/** The identity's detectors, compiled once per identity object (a release scrubs thousands of texts per annotator). */
function identityDetectors(identity: OwnIdentity | undefined): Detector[] {
  if (!identity) return [];
  let detectors = identityDetectorCache.get(identity);
  if (!detectors) identityDetectorCache.set(identity, (detectors = ownIdentityDetectors(identity)));
  return detectors;
}

/** Replaces personal data and secrets in `text` by typed placeholders; see the module comment. */
export function scrubText(text: string, options: ScrubOptions = {}): ScrubResult {
  const found = emptyCounts();
  let current = text;
  for (const detector of DETECTORS) current = replaceValidated(current, detector, found);
  for (const detector of identityDetectors(options.identity)) current = replaceValidated(current, detector, found);
  return { text: current, found };
}
