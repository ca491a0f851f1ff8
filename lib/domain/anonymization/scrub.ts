/**
 * Free-text scrubbing for released prompts, answers and feedback.
 *
 * Each detected span is replaced by a typed placeholder (`[EMAIL]`, `[PHONE]`, …). Detectors run in a
 * fixed order, most specific first, so a URL with credentials is one `[URL_WITH_SECRET]` rather than an
 * `[EMAIL]` inside a URL, and a card number is never re-read as a phone number.
 *
 * Invariants:
 * - text outside detected spans is returned byte for byte;
 * - idempotent: `scrubText(scrubText(t).text).text === scrubText(t).text`: placeholders contain no
 *   digit, `@`, `:` or long token, so no detector matches them, and the detectors' boundary checks treat
 *   a placeholder's `[`/`]` like the word character it replaced, so a neighbour is judged the same way
 *   in both passes;
 * - `found[kind]` counts the placeholders of that kind inserted by this call.
 *
 * Decisions on ambiguous inputs (chosen to keep research text useful, documented by unit tests):
 * - dotted quads are IPs, except right after `v`/`version`/`ver.` (`v1.2.3.4`, `version 10.0.0.1`);
 * - compressed IPv6 needs two groups and six hex digits, so `::1`, `fe80::1` and slices like `a[1::2]` are
 *   kept; times, MAC addresses and `std::x` are not IPv6;
 * - national phone numbers are recognised only in shapes that are unlikely to be anything else: a leading
 *   `+` or `00` (international, 8–15 digits), a parenthesised area code, the North-American
 *   `555-123-4567` shape, or a trunk `0` prefix with 9–12 digits in groups of two or more; years, prices,
 *   decimals, dates, ISBNs and timestamps do not have these shapes;
 * - card numbers need a Luhn-valid 13–19 digit run starting with an issuer digit 2–6, printed as one run or
 *   in the usual groups (4-4-4-4, 4-6-5);
 * - long opaque tokens (hex ≥ 32 with a digit and a letter, or base64-like ≥ 32 mixing cases and digits
 *   with high character entropy) are secrets; snake/kebab identifiers made of short words are not. A git
 *   commit hash is hex ≥ 32 and is therefore scrubbed: it cannot be told apart from a hex API key.
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
] as const;

export type ScrubKind = (typeof SCRUB_KINDS)[number];

export interface ScrubResult {
  text: string;
  found: Record<ScrubKind, number>;
}

export function placeholderFor(kind: ScrubKind): string {
  return `[${kind}]`;
}

/** A replacement for the whole match, for only its first `length` characters, or null to leave it untouched. */
type Replacement = string | { text: string; length: number } | null;

interface Detector {
  kind: ScrubKind;
  pattern: RegExp;
  replace: (match: string, groups: string[], before: string) => Replacement;
  /** The replacer already tried every sub-span of a rejected match, so the search resumes after it. */
  rejectionCoversSubspans?: boolean;
  /**
   * A necessary condition for any replacement, judged on the input's TextFeatures; false skips the
   * detector's regular expression entirely (the fast path for ordinary prose).
   */
  mayMatch: (features: TextFeatures, text: string) => boolean;
}

const PLACEHOLDER = (kind: ScrubKind) => () => placeholderFor(kind);

const GITHUB_TOKEN_PREFIX = /gh[pousr]_/;

/** Each known key format with a literal it must contain, checked before its regular expression runs. */
const KNOWN_SECRET_PATTERNS: Array<{ pattern: RegExp; mayMatch: (features: TextFeatures, text: string) => boolean }> = [
  { pattern: /(?<![\w\]])sk-ant-[A-Za-z0-9_-]{20,}/g, mayMatch: (_, text) => text.includes("sk-ant-") },
  { pattern: /(?<![\w\]])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, mayMatch: (_, text) => text.includes("sk-") },
  { pattern: /(?<![\w\]])(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}(?![\w[])/g, mayMatch: (_, text) => text.includes("_") && GITHUB_TOKEN_PREFIX.test(text) },
  { pattern: /(?<![\w\]])github_pat_[A-Za-z0-9_]{22,}/g, mayMatch: (_, text) => text.includes("github_pat_") },
  { pattern: /(?<![\w\]])(?:AKIA|ASIA)[0-9A-Z]{16}(?![\w[])/g, mayMatch: (_, text) => text.includes("AKIA") || text.includes("ASIA") },
  { pattern: /(?<![\w\]])xox[abprs]-[A-Za-z0-9-]{10,}/g, mayMatch: (_, text) => text.includes("xox") },
  { pattern: /(?<![\w\]])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, mayMatch: (_, text) => text.includes("AIza") },
  { pattern: /(?<![\w\]])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, mayMatch: (_, text) => text.includes(".eyJ") },
];

const URL_PATTERN =
  /(?<![\w\]])(?:https?|ftp|wss?|postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|amqps?|s3):\/\/[^\s<>"'`]+/gi;
const URL_TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;
const URL_SECRET_PARAM =
  /[?&#;](?:token|access_token|refresh_token|id_token|auth_token|api_key|apikey|api-key|key|sig|signature|password|passwd|pwd|secret|client_secret|x-amz-signature|x-amz-credential|x-goog-signature)=/i;
const URL_CREDENTIALS = /^[a-z0-9+.-]+:\/\/[^/?#@\s]+:[^/?#@\s]*@/i;

function replaceUrlWithSecret(match: string): string | null {
  const trailing = URL_TRAILING_PUNCTUATION.exec(match)?.[0] ?? "";
  const url = match.slice(0, match.length - trailing.length);
  if (!URL_CREDENTIALS.test(url) && !URL_SECRET_PARAM.test(url)) return null;
  return placeholderFor("URL_WITH_SECRET") + trailing;
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** ISO 13616 check: move the first four characters to the end, letters → 10..35, remainder mod 97 must be 1. */
export function isValidIban(compact: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** Tries the whole match, then the match without its last space-separated group (it may have eaten a word). */
function replaceIban(match: string): Replacement {
  const groups = match.split(" ");
  for (let end = groups.length; end >= 1; end--) {
    const candidate = groups.slice(0, end).join(" ");
    if (isValidIban(candidate.replace(/ /g, ""))) return { text: placeholderFor("IBAN"), length: candidate.length };
  }
  return null;
}

function isCardNumber(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, "");
  return digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && passesLuhn(digits);
}

/** The optional short last group may be a neighbouring number ("4111 1111 1111 1111 2001"): try without it too. */
function replaceCard(match: string): Replacement {
  if (isCardNumber(match)) return placeholderFor("CARD");
  const lastSeparator = Math.max(match.lastIndexOf(" "), match.lastIndexOf("-"));
  if (lastSeparator > 0 && isCardNumber(match.slice(0, lastSeparator))) {
    return { text: placeholderFor("CARD"), length: lastSeparator };
  }
  return null;
}

const VERSION_CONTEXT = /(?:\bv|\bversion\s*|\bver\.?\s*)$/i;

function replaceIpv4(match: string, _groups: string[], before: string): string | null {
  if (VERSION_CONTEXT.test(before)) return null;
  return placeholderFor("IP");
}

function isIpv6(candidate: string): boolean {
  const doubleColons = candidate.split("::").length - 1;
  if (doubleColons > 1) return false;
  const groups = candidate.split(":").filter((group) => group.length > 0);
  if (groups.some((group) => !/^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  if (!/\d/.test(candidate)) return false;
  if (doubleColons === 0) return groups.length === 8;
  // Short compressed forms ("1::2", "::1", "fe80::1") are slices, loopback or link-local: not personal.
  return groups.length >= 2 && groups.length <= 7 && groups.join("").length >= 6;
}

function replaceIpv6(match: string): string | null {
  return isIpv6(match) ? placeholderFor("IP") : null;
}

function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

export function looksLikeOpaqueToken(token: string): boolean {
  if (token.length < 32) return false;
  if (/^[0-9a-fA-F]+$/.test(token)) return /\d/.test(token) && /[a-fA-F]/.test(token);
  if (!/\d/.test(token) || !/[a-z]/.test(token) || !/[A-Z]/.test(token)) return false;
  const segments = token.split(/[_-]/);
  const isIdentifier = segments.length >= 3 && segments.every((segment) => segment.length < 16);
  return !isIdentifier && shannonEntropy(token) >= 4;
}

const PHONE_SEPARATOR = /[ .-]/;
const MAX_PHONE_GROUPS = 8;

function isPhoneNumber(span: string): boolean {
  const digits = span.replace(/\D/g, "");
  const groups = span.split(PHONE_SEPARATOR).filter((group) => group.length > 0);
  const lastGroupDigits = (groups.at(-1) ?? "").replace(/\D/g, "");
  if (span.startsWith("+")) {
    return digits.length >= 8 && digits.length <= 15 && lastGroupDigits.length >= 2;
  }
  if (span.startsWith("00")) return /^00[1-9]/.test(span) && digits.length >= 10 && digits.length <= 17 && lastGroupDigits.length >= 2;
  if (span.startsWith("(")) return digits.length >= 10 && digits.length <= 12 && lastGroupDigits.length >= 3;
  if (/^1?[ .-]?\d{3}([ .-])\d{3}\1\d{4}$/.test(span)) return true;
  if (span.startsWith("0")) {
    return digits.length >= 9 && digits.length <= 12 && groups.every((group) => group.length >= 2);
  }
  return false;
}

/**
 * A phone candidate is a run of digit groups joined by single separators; it may glue a phone to a
 * neighbouring number ("in 2023 020 7946 0958"), so the longest valid span is searched group by group.
 */
function replacePhoneCandidate(match: string): string | null {
  const parts = match.split(/([ .-])/);
  const groups: string[] = [];
  const separators: string[] = [];
  parts.forEach((part, index) => (index % 2 === 0 ? groups.push(part) : separators.push(part)));
  let output = "";
  let replaced = false;
  let start = 0;
  while (start < groups.length) {
    // A group after "." continues a decimal ("0.000123456789"), it never starts a phone number.
    const continuesDecimal = start > 0 && separators[start - 1] === ".";
    let validEnd = -1;
    let span = groups[start]!;
    for (let end = start; !continuesDecimal && end < Math.min(groups.length, start + MAX_PHONE_GROUPS); end++) {
      if (end > start) span += separators[end - 1]! + groups[end]!;
      if (isPhoneNumber(span)) validEnd = end;
    }
    const next = validEnd >= 0 ? validEnd + 1 : start + 1;
    output += validEnd >= 0 ? placeholderFor("PHONE") : groups[start]!;
    if (validEnd >= 0) replaced = true;
    if (next < groups.length) output += separators[next - 1]!;
    start = next;
  }
  return replaced ? output : null;
}

/**
 * What a few quick scans of the text learn, for the detectors' necessary conditions (Detector.mayMatch).
 * Scrubbing never creates a feature: a placeholder is `[` + capitals/underscore + `]`, which breaks digit
 * clusters, token runs and `x:y` pairs, and text outside replaced spans is kept. So features measured on
 * the input also bound the text each later detector sees. The scans are single regular expressions or
 * `includes`, which V8 runs far faster than a JavaScript loop over the characters.
 */
export interface TextFeatures {
  hasAt: boolean;
  /** `::` or a hex digit, `:`, hex digit: every IPv6 address the IP detector accepts contains one. */
  hasIpv6Colon: boolean;
  /** Two capitals then two digits: the start of every IBAN. */
  hasIbanStart: boolean;
  /**
   * Most digits in one cluster: digits joined by at most two characters of ` .-()+`. Phone numbers need
   * ≥ 8 digits, cards ≥ 13, US national ids 9, UK ones 6, IPv4 addresses 4, all in one such cluster.
   */
  maxDigitCluster: number;
  /** A run of ≥ 32 characters of `[A-Za-z0-9+_=-]` in a text with a digit: the shape of an opaque token. */
  hasLongTokenWithDigit: boolean;
}

const DIGIT_CLUSTER = /\d(?:[ .()+-]{0,2}\d)*/g;
const IPV6_COLON = /::|[0-9A-Fa-f]:[0-9A-Fa-f]/;
const IBAN_START = /[A-Z]{2}\d\d/;
const TOKEN_RUN_LENGTH = 32;
const IS_TOKEN_CHARACTER = new Uint8Array(128);
for (const character of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+_=-") IS_TOKEN_CHARACTER[character.charCodeAt(0)] = 1;

function isTokenCharacter(code: number): boolean {
  return code < 128 && IS_TOKEN_CHARACTER[code] === 1;
}

/**
 * Whether `text` holds TOKEN_RUN_LENGTH consecutive `[A-Za-z0-9+_=-]` characters. Equal to testing
 * `/[A-Za-z0-9+_=-]{32}/` but reads about one character in five of prose instead of every character
 * several times: it probes the last character of each 32-character window and, on a token character,
 * walks back to the run's start; the next window that could hold a run ends 32 characters after it.
 */
function hasLongTokenRun(text: string): boolean {
  let end = TOKEN_RUN_LENGTH - 1;
  while (end < text.length) {
    if (!isTokenCharacter(text.charCodeAt(end))) {
      end += TOKEN_RUN_LENGTH;
      continue;
    }
    let start = end;
    while (start > end - TOKEN_RUN_LENGTH + 1 && isTokenCharacter(text.charCodeAt(start - 1))) start--;
    if (start === end - TOKEN_RUN_LENGTH + 1) return true;
    end = start + TOKEN_RUN_LENGTH - 1;
  }
  return false;
}

function longestDigitCluster(text: string): number {
  let longest = 0;
  DIGIT_CLUSTER.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = DIGIT_CLUSTER.exec(text)) !== null) {
    const cluster = match[0];
    if (cluster.length <= longest) continue;
    let digits = 0;
    for (let index = 0; index < cluster.length; index++) {
      const code = cluster.charCodeAt(index);
      if (code >= 48 && code <= 57) digits++;
    }
    if (digits > longest) longest = digits;
  }
  return longest;
}

export function measureTextFeatures(text: string): TextFeatures {
  const maxDigitCluster = longestDigitCluster(text);
  return {
    hasAt: text.includes("@"),
    hasIpv6Colon: text.includes(":") && IPV6_COLON.test(text),
    hasIbanStart: maxDigitCluster >= 2 && IBAN_START.test(text),
    maxDigitCluster,
    hasLongTokenWithDigit: maxDigitCluster >= 1 && hasLongTokenRun(text),
  };
}

const DETECTORS: Detector[] = [
  ...KNOWN_SECRET_PATTERNS.map(({ pattern, mayMatch }) => ({ kind: "SECRET" as const, pattern, replace: PLACEHOLDER("SECRET"), mayMatch })),
  { kind: "URL_WITH_SECRET", pattern: URL_PATTERN, replace: replaceUrlWithSecret, mayMatch: (_, text) => text.includes("://") },
  {
    kind: "SECRET",
    pattern: /(?<![\w\]])(Bearer\s+)([A-Za-z0-9._~+/-]{16,}=*)/g,
    replace: (_match, [prefix, token]) => (/\d/.test(token!) ? prefix + placeholderFor("SECRET") : null),
    mayMatch: (_, text) => text.includes("Bearer"),
  },
  {
    kind: "EMAIL",
    mayMatch: (features) => features.hasAt,
    pattern: /(?<![A-Za-z0-9._%+\]-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w[])/g,
    replace: PLACEHOLDER("EMAIL"),
  },
  {
    kind: "IBAN",
    pattern: /(?<![\w\]])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?![\w[])/g,
    replace: replaceIban,
    mayMatch: (features) => features.hasIbanStart,
  },
  {
    kind: "CARD",
    // One run, or the printed layouts: 4-4-4-4(-1..4) and the 4-6-5 / 4-6-4 Amex and Diners layouts.
    pattern:
      /(?<![\w+\]-])(?:\d{13,19}|\d{4}([ -])\d{6}\1\d{4,5}|\d{4}([ -])\d{4}(?:\2\d{4}){1,2}(?:\2\d{1,4})?)(?![\w[-]|\.[\d[])/g,
    replace: replaceCard,
    mayMatch: (features) => features.maxDigitCluster >= 13,
  },
  {
    kind: "NATIONAL_ID",
    pattern: /(?<![\d\]-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d[-])/g,
    replace: PLACEHOLDER("NATIONAL_ID"),
    mayMatch: (features) => features.maxDigitCluster >= 9,
  },
  {
    kind: "NATIONAL_ID",
    pattern: /(?<![\w\]])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w[])/g,
    replace: PLACEHOLDER("NATIONAL_ID"),
    mayMatch: (features) => features.maxDigitCluster >= 6,
  },
  {
    kind: "IP",
    pattern: /(?<![\w:.\]])(?:[0-9A-Fa-f]{1,4}:|:)(?::?[0-9A-Fa-f]{1,4}|:){1,8}(?![\w:[])/g,
    replace: replaceIpv6,
    mayMatch: (features) => features.hasIpv6Colon,
  },
  {
    kind: "IP",
    pattern: /(?<![\w.\]])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w[]|\.[\d[])/g,
    replace: replaceIpv4,
    mayMatch: (features) => features.maxDigitCluster >= 4,
  },
  {
    kind: "SECRET",
    pattern: /(?<![A-Za-z0-9+_=\]-])[A-Za-z0-9+_=-]{32,}(?![A-Za-z0-9+_=[-])/g,
    replace: (match) => (looksLikeOpaqueToken(match) ? placeholderFor("SECRET") : null),
    mayMatch: (features) => features.hasLongTokenWithDigit,
  },
  {
    kind: "PHONE",
    pattern: /(?<![\w.+\]-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,15}(?:[ .-]\d{1,15})*(?![\w[])/g,
    replace: replacePhoneCandidate,
    rejectionCoversSubspans: true,
    mayMatch: (features) => features.maxDigitCluster >= 8,
  },
];

function countPlaceholders(text: string, kind: ScrubKind): number {
  return text.split(placeholderFor(kind)).length - 1;
}

/**
 * Like String.replace with a validating callback, except that a rejected match is retried one character
 * later instead of being skipped whole: a long invalid candidate ("0958 4111 1111 1111 1111") must not
 * hide a valid one inside it, or the second pass over the scrubbed text would find what the first missed.
 */
function replaceValidated(text: string, detector: Detector, found: Record<ScrubKind, number>): string {
  const { pattern } = detector;
  pattern.lastIndex = 0;
  let output = "";
  let copiedUpTo = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const before = text.slice(Math.max(0, match.index - 16), match.index);
    const replacement = detector.replace(match[0], match.slice(1), before);
    if (replacement === null) {
      pattern.lastIndex = detector.rejectionCoversSubspans ? match.index + match[0].length : match.index + 1;
      continue;
    }
    const { text: replacementText, length } =
      typeof replacement === "string" ? { text: replacement, length: match[0].length } : replacement;
    output += text.slice(copiedUpTo, match.index) + replacementText;
    copiedUpTo = match.index + length;
    pattern.lastIndex = Math.max(copiedUpTo, match.index + 1);
    found[detector.kind] += countPlaceholders(replacementText, detector.kind);
  }
  return output + text.slice(copiedUpTo);
}

function runDetectors(text: string, shouldRun: (detector: Detector) => boolean): ScrubResult {
  const found: Record<ScrubKind, number> = { EMAIL: 0, PHONE: 0, IP: 0, URL_WITH_SECRET: 0, CARD: 0, NATIONAL_ID: 0, IBAN: 0, SECRET: 0 };
  let current = text;
  for (const detector of DETECTORS) {
    if (shouldRun(detector)) current = replaceValidated(current, detector, found);
  }
  return { text: current, found };
}

/**
 * Replaces personal data and secrets in `text` by typed placeholders; see the module comment for the
 * rules. Detectors whose necessary condition the text fails are skipped, so ordinary prose costs one
 * linear scan; the result is always that of scrubTextExhaustively.
 */
export function scrubText(text: string): ScrubResult {
  const features = measureTextFeatures(text);
  return runDetectors(text, (detector) => detector.mayMatch(features, text));
}

/** scrubText running every detector on every text: the reference its shortcuts are tested against. */
export function scrubTextExhaustively(text: string): ScrubResult {
  return runDetectors(text, () => true);
}
