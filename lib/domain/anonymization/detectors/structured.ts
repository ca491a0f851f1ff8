import { all, containsAny, digitCluster, matches, placeholder, placeholderFor, type Detector, type Replacement } from "./types";

/**
 * Detectors for data with a checkable shape: keys, URLs carrying secrets, emails (plain, obfuscated,
 * masked or truncated), IBANs, cards, national ids, IP addresses, opaque tokens and phone numbers.
 *
 * Decisions on ambiguous inputs (documented by unit tests and measured by `npm run bench:scrub`):
 * - dotted quads are IPs, except right after `v`/`version`/`ver.`;
 * - compressed IPv6 needs two groups and six hex digits (`::1`, `fe80::1`, `a[1::2]` are kept);
 * - phone numbers only in shapes unlikely to be anything else (leading `+`/`00`, a parenthesised area
 *   code, `555-123-4567`, or a trunk `0` with 9–12 digits in groups of two or more);
 * - cards: Luhn-valid 13–19 digits starting 2–6, as one run or in the usual groups;
 * - an email written "name at example dot com" counts when the "at"/"dot" words are spelled out or
 *   bracketed, or when the plain word "at" joins a local part with `.`/`_`/digits or a mail provider's
 *   domain ("look at example.com" is prose, "jane.doe at example.com" is an address);
 * - a masked or cut-off echo of an email, IBAN or national id (`j***@example.com`, `DE89 3704 …`,
 *   `***-**-6789`, `123.456.…`) is replaced like the full value;
 * - a URL is a secret when it carries credentials, a secret query parameter, a webhook path
 *   (`hooks.` host, `/webhooks/…`, Slack's `/services/T…`) or an opaque token as a path segment.
 */

const GITHUB_TOKEN_PREFIX = "(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}(?![\\w[])";

/** Known key formats, each anchored on a literal prefix that it requires. */
const KNOWN_SECRET_PATTERNS: Array<{ pattern: RegExp; literals: string[] }> = [
  { pattern: /(?<![\w\]])sk-ant-[A-Za-z0-9_-]{20,}/g, literals: ["sk-ant-"] },
  { pattern: /(?<![\w\]])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, literals: ["sk-"] },
  { pattern: new RegExp(`(?<![\\w\\]])${GITHUB_TOKEN_PREFIX}`, "g"), literals: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] },
  { pattern: /(?<![\w\]])github_pat_[A-Za-z0-9_]{22,}/g, literals: ["github_pat_"] },
  { pattern: /(?<![\w\]])(?:AKIA|ASIA)[0-9A-Z]{16}(?![\w[])/g, literals: ["AKIA", "ASIA"] },
  { pattern: /(?<![\w\]])xox[abprse]-[A-Za-z0-9-]{10,}/g, literals: ["xox"] },
  { pattern: /(?<![\w\]])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, literals: ["AIza"] },
  { pattern: /(?<![\w\]])(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g, literals: ["_live_", "_test_"] },
  { pattern: /(?<![\w\]])hf_[A-Za-z0-9]{30,}/g, literals: ["hf_"] },
  { pattern: /(?<![\w\]])glpat-[A-Za-z0-9_-]{20,}/g, literals: ["glpat-"] },
  { pattern: /(?<![\w\]])npm_[A-Za-z0-9]{36}(?![\w[])/g, literals: ["npm_"] },
  { pattern: /(?<![\w\]])SG\.[\w-]{16,}\.[\w-]{20,}/g, literals: ["SG."] },
  { pattern: /(?<![\w\]])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, literals: [".eyJ"] },
];

/** PEM and PGP private keys, whole or cut off before their END line. */
const PRIVATE_KEY_PATTERN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g;
/**
 * A key cut off before its END line: the BEGIN line, its armour headers and one blank line (PGP), then
 * every base64 line of 16 characters or more, and a shorter last one when a blank line or the end follows.
 */
const TRUNCATED_PRIVATE_KEY_PATTERN =
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:\r?\n[A-Za-z-]+: [^\n]*)*(?:\r?\n[ \t]*(?=\r?\n))?(?:\r?\n[A-Za-z0-9+/=]{16,})*(?:\r?\n[A-Za-z0-9+/=]{1,15}(?=\s*$|\r?\n[ \t]*\r?\n))?/g;

const URL_PATTERN =
  /(?<![\w\]])(?:https?|ftp|wss?|postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|amqps?|s3):\/\/[^\s<>"'`]+/gi;
const URL_TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;
const URL_SECRET_PARAM =
  /[?&#;](?:token|access_token|refresh_token|id_token|auth_token|auth|api_key|apikey|api-key|key|sig|signature|password|passwd|pwd|secret|client_secret|code|session|sessionid|jwt|private_token|access_key|secret_key|x-amz-signature|x-amz-credential|x-goog-signature)=/i;
const URL_CREDENTIALS = /^[a-z0-9+.-]+:\/\/[^/?#@\s]+:[^/?#@\s]*@/i;
const WEBHOOK_HOST = /^[a-z0-9+.-]+:\/\/(?:[^/?#@]*@)?(?:[^/?#@]*\.)?(?:hooks?|webhooks?)[.-]/i;
const WEBHOOK_PATH = /\/(?:webhooks?|hooks|services|triggers|incoming)\/([^?#]+)/i;

/** A path segment that only a machine chose: a token, an id with digits, or a run of capitals. */
function isTokenSegment(segment: string): boolean {
  if (!/^[A-Za-z0-9_=-]{6,}$/.test(segment)) return false;
  if (/^[a-z]+(?:-[a-z]+)*$/.test(segment)) return false;
  return /\d/.test(segment) || /^[A-Z]+$/.test(segment) || (/[a-z]/.test(segment) && /[A-Z]/.test(segment));
}

function hasOpaquePathSegment(url: string): boolean {
  const path = url.replace(/^[a-z0-9+.-]+:\/\/[^/?#]*/i, "").split(/[?#]/, 1)[0]!;
  return path.split("/").some((segment) => {
    if (looksLikeOpaqueToken(segment)) return true;
    if (/[0-9a-f]{16,}/i.test(segment) && /\d/.test(segment) && /[a-f]/i.test(segment)) return true;
    return segment.length >= 20 && /\d/.test(segment) && /[a-z]/.test(segment) && /[A-Z]/.test(segment) && !/[-_].*[-_].*[-_]/.test(segment);
  });
}

function isSecretUrl(url: string): boolean {
  if (URL_CREDENTIALS.test(url) || URL_SECRET_PARAM.test(url)) return true;
  const hook = WEBHOOK_PATH.exec(url);
  if (WEBHOOK_HOST.test(url) && /\/[^/?#]{4,}/.test(url.replace(/^[a-z0-9+.-]+:\/\/[^/?#]*/i, ""))) return true;
  if (hook && hook[1]!.split("/").some(isTokenSegment)) return true;
  return hasOpaquePathSegment(url);
}

function replaceUrlWithSecret(match: string): string | null {
  const trailing = URL_TRAILING_PUNCTUATION.exec(match)?.[0] ?? "";
  const url = match.slice(0, match.length - trailing.length);
  return isSecretUrl(url) ? placeholderFor("URL_WITH_SECRET") + trailing : null;
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

/** Countries that issue IBANs (SWIFT registry). */
const IBAN_COUNTRIES = new Set(
  "AD AE AL AT AZ BA BE BG BH BI BR BY CH CR CY CZ DE DJ DK DO EE EG ES FI FK FO FR GB GE GI GL GR GT HR HU IE IL IQ IS IT JO KW KZ LB LC LI LT LU LV LY MC MD ME MK MN MR MT MU NI NL NO OM PK PL PS PT QA RO RS RU SA SC SD SE SI SK SM SO ST SV TL TN TR UA VA VG XK".split(" "),
);

/**
 * A valid IBAN (the whole match, or without its last group, which may be a neighbouring word), or the
 * printed grouping of one that was cut off or masked: an IBAN country, check digits and at least two
 * groups of four ("DE89 3704 0044", "DE89 **** **** 3000"), or a compact run right after "IBAN".
 */
function replaceIban(match: string, _groups: Array<string | undefined>, before: string): Replacement {
  const trimmed = match.replace(/(?:…|\.{3})$/, "");
  const groups = trimmed.split(" ");
  for (let end = groups.length; end >= 1; end--) {
    const candidate = groups.slice(0, end).join(" ");
    if (isValidIban(candidate.replace(/ /g, ""))) return { text: placeholderFor("IBAN"), length: candidate.length };
  }
  if (!IBAN_COUNTRIES.has(match.slice(0, 2))) return null;
  const masked = /[*•]|x{2,}|X{4}|…|\.{3}$/.test(match);
  const fullGroups = groups.slice(1).filter((group) => /^[A-Z0-9*•xX]{4}$/.test(group)).length;
  if (fullGroups >= 2 || (masked && groups.length >= 2)) return placeholderFor("IBAN");
  if (/\biban\b[\s:#-]*$/i.test(before) && trimmed.length >= 10) return placeholderFor("IBAN");
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

/** CPF check digits (mod 11 over the first nine, then the first ten digits). */
export function isValidCpf(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false;
  const check = (length: number) => {
    let sum = 0;
    for (let index = 0; index < length; index++) sum += (digits.charCodeAt(index) - 48) * (length + 1 - index);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  return check(9) === digits.charCodeAt(9) - 48 && check(10) === digits.charCodeAt(10) - 48;
}

/** A masked id keeps the shape of an SSN (3-2-4) or CPF (3.3.3-2) with some groups masked and some digits. */
function replaceMaskedId(match: string): Replacement {
  return /[*•Xx#]/.test(match) && /\d{2}/.test(match) ? placeholderFor("NATIONAL_ID") : null;
}

const VERSION_CONTEXT = /(?:\bv|\bversion\s*|\bver\.?\s*)$/i;

function replaceIpv4(_match: string, _groups: Array<string | undefined>, before: string): string | null {
  return VERSION_CONTEXT.test(before) ? null : placeholderFor("IP");
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

/**
 * Long opaque tokens: hex ≥ 32 with a digit and a letter (a git commit hash cannot be told apart from a
 * hex key, so it is scrubbed too), or base64-like ≥ 32 mixing cases and digits with high entropy;
 * snake/kebab identifiers made of short words are not tokens.
 */
export function looksLikeOpaqueToken(token: string): boolean {
  if (token.length < 32) return false;
  if (/^[0-9a-fA-F]+$/.test(token)) return /\d/.test(token) && /[a-fA-F]/.test(token);
  if (!/\d/.test(token) || !/[a-z]/.test(token) || !/[A-Z]/.test(token)) return false;
  const segments = token.split(/[_-]/);
  const isIdentifier = segments.length >= 3 && segments.every((segment) => segment.length < 16);
  return !isIdentifier && shannonEntropy(token) >= 4;
}

/** Base64 with "/" or "+", all three character classes, high entropy, and no path-like word segments. */
function isSlashedSecret(token: string): boolean {
  if (!/[/+]/.test(token) || !/\d/.test(token) || !/[a-z]/.test(token) || !/[A-Z]/.test(token)) return false;
  if (token.split(/[/+]/).some((segment) => /^[A-Z]?[a-z]{3,}$/.test(segment))) return false;
  return shannonEntropy(token) >= 4.2;
}

const IS_TOKEN_CHARACTER = new Uint8Array(128);
for (const character of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_=-") IS_TOKEN_CHARACTER[character.charCodeAt(0)] = 1;

let lastTokenRun: { text: string; length: number; found: boolean } | null = null;

/** `requires`: `length` consecutive token characters somewhere (every key format has a run of 8 or more). */
function hasTokenRun(length: number) {
  return (text: string) => {
    if (lastTokenRun?.text !== text || lastTokenRun.length !== length) lastTokenRun = { text, length, found: hasLongTokenRun(text, length) };
    return lastTokenRun.found;
  };
}

/**
 * Whether `text` holds `length` consecutive `[A-Za-z0-9+/_=-]` characters (every opaque-token match does).
 * Reads about one character in `length` of prose: it probes the last character of each window and, on a
 * token character, walks back to the run's start; the next window that could hold a run ends after it.
 */
function hasLongTokenRun(text: string, length: number): boolean {
  const isToken = (code: number) => code < 128 && IS_TOKEN_CHARACTER[code] === 1;
  let end = length - 1;
  while (end < text.length) {
    if (!isToken(text.charCodeAt(end))) {
      end += length;
      continue;
    }
    let start = end;
    while (start > end - length + 1 && isToken(text.charCodeAt(start - 1))) start--;
    if (start === end - length + 1) return true;
    end = start + length - 1;
  }
  return false;
}

const PHONE_SEPARATOR = /[ .-]/;
const MAX_PHONE_GROUPS = 8;

function isPhoneNumber(span: string): boolean {
  const digits = span.replace(/\D/g, "");
  const groups = span.split(PHONE_SEPARATOR).filter((group) => group.length > 0);
  const lastGroupDigits = (groups.at(-1) ?? "").replace(/\D/g, "");
  if (span.startsWith("+")) return digits.length >= 8 && digits.length <= 15 && lastGroupDigits.length >= 2;
  if (span.startsWith("00")) return /^00[1-9]/.test(span) && digits.length >= 10 && digits.length <= 17 && lastGroupDigits.length >= 2;
  if (span.startsWith("(")) return digits.length >= 10 && digits.length <= 12 && lastGroupDigits.length >= 3;
  if (/^1?[ .-]?\d{3}([ .-])\d{3}\1\d{4}$/.test(span)) return true;
  if (span.startsWith("0")) return digits.length >= 9 && digits.length <= 12 && groups.every((group) => group.length >= 2);
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

const OBFUSCATED_DOT = String.raw`(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|<dot>)\s*|\s+dot\s+)`;
const OBFUSCATED_AT = String.raw`(?:\s*(?:@|\(at\)|\[at\]|\{at\}|<at>)\s*|\s+at\s+)`;
const COMMON_TLDS = "com org net io edu gov mil int co uk de fr es it nl be ch at se no dk fi pl pt ie br ar mx ca us au nz in jp cn kr ru za eu info biz me dev ai app tech xyz";
const OBFUSCATED_EMAIL = new RegExp(
  String.raw`(?<![\w.\]@])([A-Za-z0-9][A-Za-z0-9_%+-]*(?:(?:\.|${OBFUSCATED_DOT})[A-Za-z0-9_%+-]+)*)(${OBFUSCATED_AT})((?:[A-Za-z0-9-]+(?:\s*\.\s*|${OBFUSCATED_DOT}))+)(${COMMON_TLDS.replace(/ /g, "|")})(?![\w[])`,
  "gi",
);
const MAIL_PROVIDERS = /^(?:gmail|googlemail|yahoo|ymail|outlook|hotmail|live|msn|icloud|me|mac|aol|proton|protonmail|pm|gmx|web|mail|yandex|zoho|fastmail|tutanota|orange|free|laposte|libero|t-online|qq|163|naver)\b/i;

/**
 * An "@", a bracketed "at", or the word "at" before a word joined to a dot or a spelled-out dot: every
 * obfuscated email the detector accepts has one (with the plain word "at", a literal dot in the domain
 * must touch its labels: "example . com" is recognised only after an "@").
 */
const OBFUSCATED_EMAIL_SHAPE = /@|[([{<]at[)\]}>]|\sat\s+[\w-]+(?:\.[A-Za-z]|\s*(?:\(dot\)|\[dot\]|\{dot\}|<dot>)|\s+dot\s)/i;

function replaceObfuscatedEmail(match: string, groups: Array<string | undefined>): Replacement {
  const [local = "", at = "", domain = ""] = groups;
  if (at.includes("@")) return placeholderFor("EMAIL");
  const spelled = new RegExp(OBFUSCATED_DOT, "i").test(match) || /[([{<]at[)\]}>]/i.test(at);
  if (spelled) return placeholderFor("EMAIL");
  // The plain word "at" followed by a literal domain: only an address-like local part or a mail provider.
  return /[._\d]/.test(local) || MAIL_PROVIDERS.test(domain.trim()) ? placeholderFor("EMAIL") : null;
}

export const STRUCTURED_DETECTORS: Detector[] = [
  { kind: "PRIVATE_KEY", pattern: PRIVATE_KEY_PATTERN, replace: placeholder("PRIVATE_KEY"), requires: containsAny("PRIVATE KEY") },
  { kind: "PRIVATE_KEY", pattern: TRUNCATED_PRIVATE_KEY_PATTERN, replace: placeholder("PRIVATE_KEY"), requires: containsAny("PRIVATE KEY") },
  ...KNOWN_SECRET_PATTERNS.map(({ pattern, literals }): Detector => ({ kind: "SECRET", pattern, replace: placeholder("SECRET"), requires: all(hasTokenRun(8), containsAny(...literals)) })),
  { kind: "URL_WITH_SECRET", pattern: URL_PATTERN, replace: replaceUrlWithSecret, requires: containsAny("://") },
  {
    kind: "SECRET",
    pattern: /(?<![\w\]])(Bearer\s+)([A-Za-z0-9._~+/-]{16,}=*)/g,
    replace: (_match, [prefix, token]) => (/\d/.test(token!) ? prefix + placeholderFor("SECRET") : null),
    requires: containsAny("Bearer"),
  },
  {
    kind: "EMAIL",
    pattern: /(?<![A-Za-z0-9._%+\]-])[A-Za-z0-9._%+-]+(?:['’][A-Za-z0-9._%+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w[])/g,
    replace: placeholder("EMAIL"),
    requires: containsAny("@"),
  },
  {
    // Masked or cut-off echoes: "j***@example.com", "jane.d…@example.com", "jane.doe@exam…".
    kind: "EMAIL",
    pattern: /(?<![\w.\]])[A-Za-z0-9][A-Za-z0-9._%+'’*•-]*(?:…|\.{3})?@(?:[A-Za-z0-9*•-]+\.)*[A-Za-z0-9*•-]*(?:…|\.{3}|\.[A-Za-z]{2,})/g,
    replace: (match) => (/[*•…]|\.{3}/.test(match) ? placeholderFor("EMAIL") : null),
    requires: containsAny("@"),
  },
  { kind: "EMAIL", pattern: OBFUSCATED_EMAIL, replace: replaceObfuscatedEmail, requires: (text) => (text.includes("@") || text.includes("dot") || text.includes("Dot") || text.includes("DOT") || /\.[A-Za-z]/.test(text)) && OBFUSCATED_EMAIL_SHAPE.test(text) },
  {
    kind: "IBAN",
    pattern: /(?<![\w\]])[A-Z]{2}\d{2}(?:[A-Z0-9]{8,30}|(?: [A-Z0-9*•xX]{4}){1,7}(?: [A-Z0-9*•]{1,4})?)(?:…|\.{3})?(?![\w[])/g,
    replace: replaceIban,
    requires: all(digitCluster(2), matches(/[A-Z]{2}\d\d/)),
  },
  {
    kind: "CARD",
    // One run, or the printed layouts: 4-4-4-4(-1..4) and the 4-6-5 / 4-6-4 Amex and Diners layouts.
    pattern:
      /(?<![\w+\]-])(?:\d{13,19}|\d{4}([ -])\d{6}\1\d{4,5}|\d{4}([ -])\d{4}(?:\2\d{4}){1,2}(?:\2\d{1,4})?)(?![\w[-]|\.[\d[])/g,
    replace: replaceCard,
    requires: digitCluster(13),
  },
  {
    // Brazilian CPF as printed (ddd.ddd.ddd-dd), and as eleven digits right after "CPF" when its check digits hold.
    kind: "NATIONAL_ID",
    pattern: /(?<![\w\].-])(?:\d{3}\.\d{3}\.\d{3}-\d{2}|(?<=\bCPF[\s:#nº°.-]{0,6})\d{11})(?![\w[]|[.-]\d)/gi,
    replace: (match) => (match.includes(".") || isValidCpf(match) ? placeholderFor("NATIONAL_ID") : null),
    requires: digitCluster(11),
  },
  {
    kind: "NATIONAL_ID",
    pattern: /(?<![\d\]-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d[-])/g,
    replace: placeholder("NATIONAL_ID"),
    requires: all(digitCluster(9), matches(/\d-\d\d-\d/)),
  },
  {
    kind: "NATIONAL_ID",
    pattern: /(?<![\w\]])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w[])/g,
    replace: placeholder("NATIONAL_ID"),
    requires: all(digitCluster(6), matches(/[A-Z] ?\d\d ?\d\d ?\d\d ?[A-D]/)),
  },
  {
    kind: "NATIONAL_ID",
    pattern: /(?<![\w\]*•#])(?:[\d*•Xx#]{3}-[\d*•Xx#]{2}-[\d*•Xx#]{4}|[\d*•Xx#]{3}\.[\d*•Xx#]{3}\.[\d*•Xx#]{3}-[\d*•Xx#]{2})(?![\w[*•#])/g,
    replace: replaceMaskedId,
    requires: all(digitCluster(2), matches(/[\d*•Xx#]{3}[-.][\d*•Xx#]{2}/)),
  },
  {
    // Cut-off echoes: "123-45-67…", "123.456.7…".
    kind: "NATIONAL_ID",
    pattern: /(?<![\w\].-])\d{3}(?:-\d{2}-\d{0,3}|\.\d{3}\.\d{0,3}(?:-\d?)?)(?:…|\.{3})/g,
    replace: placeholder("NATIONAL_ID"),
    requires: containsAny("…", "..."),
  },
  {
    kind: "IP",
    pattern: /(?<![\w:.\]])(?:[0-9A-Fa-f]{1,4}:|:)(?::?[0-9A-Fa-f]{1,4}|:){1,8}(?![\w:[])/g,
    replace: (match) => (isIpv6(match) ? placeholderFor("IP") : null),
    requires: all(digitCluster(1), containsAny(":"), matches(/::|[0-9A-Fa-f]:[0-9A-Fa-f]/)),
  },
  {
    kind: "IP",
    pattern: /(?<![\w.\]])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w[]|\.[\d[])/g,
    replace: replaceIpv4,
    requires: all(digitCluster(4), matches(/\d\.\d{1,3}\.\d{1,3}\.\d/)),
  },
  {
    kind: "SECRET",
    pattern: /(?<![A-Za-z0-9+_=\]-])[A-Za-z0-9+_=-]{32,}(?![A-Za-z0-9+_=[-])/g,
    replace: (match) => (looksLikeOpaqueToken(match) ? placeholderFor("SECRET") : null),
    requires: (text) => hasLongTokenRun(text, 32),
  },
  {
    // 40-character base64 secrets with "/" or "+" (AWS secret access keys and the like).
    kind: "SECRET",
    pattern: /(?<![A-Za-z0-9/+=\]])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=[])/g,
    replace: (match) => (isSlashedSecret(match) ? placeholderFor("SECRET") : null),
    requires: (text) => hasLongTokenRun(text, 40),
  },
  {
    kind: "PHONE",
    pattern: /(?<![\w.+\]-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,15}(?:[ .-]\d{1,15})*(?![\w[])/g,
    replace: replacePhoneCandidate,
    rejectionCoversSubspans: true,
    requires: digitCluster(8),
  },
];
