/**
 * Byte-level JSON scanning for the battle-dump reader (./battle-dump.ts): skipping strings, numbers,
 * literals and whole values without allocating, and finding where an array element ends. Each
 * function returns the position after what it read, or FAILED when the bytes are not what it
 * expects or the buffer ends first (the reader then hands the record to JSON.parse).
 */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const NEWLINE = 0x0a;
const MAX_FAST_DEPTH = 64;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function isHexDigit(byte: number): boolean {
  return isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

export function bytesEqual(bytes: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let k = 0; k < expected.length; k++) if (bytes[start + k] !== expected[k]) return false;
  return true;
}

export const FAILED = -1;

/** 1 for the bytes a JSON string holds as they are: not `"`, `\` or a control character. */
export const PLAIN_STRING_BYTE = new Uint8Array(256);
for (let byte = 0x20; byte < 256; byte++) PLAIN_STRING_BYTE[byte] = byte === QUOTE || byte === BACKSLASH ? 0 : 1;

/** End of a JSON string whose contents continue at `pos` (index after the closing quote), or FAILED. */
function finishString(bytes: Uint8Array, pos: number, end: number): number {
  for (;;) {
    while (pos < end && PLAIN_STRING_BYTE[bytes[pos]] === 1) pos++;
    if (pos >= end) return FAILED;
    if (bytes[pos] === QUOTE) return pos + 1;
    if (bytes[pos] !== BACKSLASH) return FAILED;
    pos = skipEscape(bytes, pos, end);
    if (pos === FAILED) return FAILED;
  }
}

/** Past the escape sequence whose backslash is at `pos`, or FAILED. */
function skipEscape(bytes: Uint8Array, pos: number, end: number): number {
  if (pos + 1 >= end) return FAILED;
  const escaped = bytes[pos + 1];
  if (escaped === 0x75) {
    if (pos + 6 > end) return FAILED;
    for (let k = 2; k < 6; k++) if (!isHexDigit(bytes[pos + k])) return FAILED;
    return pos + 6;
  }
  // " \ / b f n r t
  const valid =
    escaped === QUOTE || escaped === BACKSLASH || escaped === 0x2f || escaped === 0x62 || escaped === 0x66 || escaped === 0x6e || escaped === 0x72 || escaped === 0x74;
  return valid ? pos + 2 : FAILED;
}

/** End of a JSON number starting at `start` (strict grammar), or FAILED. */
export function skipNumber(bytes: Uint8Array, start: number, end: number): number {
  let pos = start;
  if (bytes[pos] === 0x2d) pos++;
  if (pos >= end) return FAILED;
  if (bytes[pos] === 0x30) pos++;
  else if (isDigit(bytes[pos])) while (pos < end && isDigit(bytes[pos])) pos++;
  else return FAILED;
  if (pos < end && bytes[pos] === 0x2e) {
    pos++;
    if (pos >= end || !isDigit(bytes[pos])) return FAILED;
    while (pos < end && isDigit(bytes[pos])) pos++;
  }
  if (pos < end && (bytes[pos] === 0x65 || bytes[pos] === 0x45)) {
    pos++;
    if (pos < end && (bytes[pos] === 0x2b || bytes[pos] === 0x2d)) pos++;
    if (pos >= end || !isDigit(bytes[pos])) return FAILED;
    while (pos < end && isDigit(bytes[pos])) pos++;
  }
  return pos;
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Math.pow(10, k));

/**
 * Value of the number in [start, end) that `skipNumber` accepted. Exact (correctly rounded) for
 * plain decimals with a mantissa below 2^53 and ≤ 22 fraction digits: one IEEE division of
 * exact operands. Anything else goes through Number().
 */
export function numberValue(bytes: Uint8Array, start: number, end: number): number {
  let pos = start;
  const negative = bytes[pos] === 0x2d;
  if (negative) pos++;
  let mantissa = 0;
  let fractionDigits = 0;
  let inFraction = false;
  for (; pos < end; pos++) {
    const byte = bytes[pos];
    if (byte === 0x2e) {
      inFraction = true;
      continue;
    }
    if (!isDigit(byte)) return Number(String.fromCharCode(...bytes.subarray(start, end)));
    mantissa = mantissa * 10 + (byte - 0x30);
    if (inFraction) fractionDigits++;
  }
  if (mantissa >= 9007199254740992 || fractionDigits > 22) {
    return Number(String.fromCharCode(...bytes.subarray(start, end)));
  }
  const value = fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits];
  return negative ? -value : value;
}

export function skipWhitespace(bytes: Uint8Array, pos: number, end: number): number {
  while (pos < end && isWhitespace(bytes[pos])) pos++;
  return pos;
}

export function skipLiteral(bytes: Uint8Array, pos: number, end: number, literal: Uint8Array): number {
  return bytesEqual(bytes, pos, Math.min(pos + literal.length, end), literal) ? pos + literal.length : FAILED;
}

export const TRUE_BYTES = new TextEncoder().encode("true");
export const FALSE_BYTES = new TextEncoder().encode("false");
export const NULL_BYTES = new TextEncoder().encode("null");

const IN_OBJECT = 1;
const IN_ARRAY = 2;
/** Open containers of the value skipValue is in (one value at a time: no re-entrance). */
const openContainers = new Uint8Array(MAX_FAST_DEPTH + 1);

/** 1 for JSON whitespace. */
export const WHITESPACE_BYTE = new Uint8Array(256);
WHITESPACE_BYTE[0x20] = WHITESPACE_BYTE[0x0a] = WHITESPACE_BYTE[0x0d] = WHITESPACE_BYTE[0x09] = 1;
/** 1 for JSON whitespace within one JSONL line: a newline ends the record instead. */
export const LINE_WHITESPACE_BYTE = WHITESPACE_BYTE.slice();
LINE_WHITESPACE_BYTE[0x0a] = 0;

/**
 * End of any JSON value at `pos` (validated), or FAILED (invalid or nested too deep); `whitespace`
 * says which bytes may separate tokens (LINE_WHITESPACE_BYTE inside a JSONL line). One loop
 * with a stack of open containers, with the plain runs of strings, digits and whitespace scanned
 * inline rather than a call per token: the nested fields the ratings do not read (conv_metadata,
 * dedup_tag, …) are most of a FastChat record's bytes, made of short keys and numbers.
 */
export function skipValue(bytes: Uint8Array, pos: number, end: number, depth: number, whitespace: Uint8Array = WHITESPACE_BYTE): number {
  let open = 0;
  for (;;) {
    // A value starts at pos.
    if (pos >= end) return FAILED;
    const byte = bytes[pos];
    if (byte === QUOTE) {
      pos++;
      while (pos < end && PLAIN_STRING_BYTE[bytes[pos]] === 1) pos++;
      if (pos < end && bytes[pos] === QUOTE) pos++;
      else pos = finishString(bytes, pos, end);
    } else if (byte >= 0x31 && byte <= 0x39) {
      // A plain positive integer inline; anything with a fraction or exponent is re-read by skipNumber.
      const start = pos;
      pos++;
      while (pos < end && bytes[pos] >= 0x30 && bytes[pos] <= 0x39) pos++;
      if (pos < end && (bytes[pos] === 0x2e || bytes[pos] === 0x65 || bytes[pos] === 0x45)) pos = skipNumber(bytes, start, end);
    } else if (byte === 0x2d || byte === 0x30) pos = skipNumber(bytes, pos, end);
    else if (byte === 0x74) pos = skipLiteral(bytes, pos, end, TRUE_BYTES);
    else if (byte === 0x66) pos = skipLiteral(bytes, pos, end, FALSE_BYTES);
    else if (byte === 0x6e) pos = skipLiteral(bytes, pos, end, NULL_BYTES);
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (depth + open >= MAX_FAST_DEPTH) return FAILED;
      pos++;
      while (pos < end && whitespace[bytes[pos]] === 1) pos++;
      if (pos >= end) return FAILED;
      if (bytes[pos] === (byte === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) pos++;
      else {
        openContainers[open++] = byte === OPEN_BRACE ? IN_OBJECT : IN_ARRAY;
        if (byte === OPEN_BRACE) {
          pos = skipKey(bytes, pos, end, whitespace);
          if (pos === FAILED) return FAILED;
        }
        continue;
      }
    } else return FAILED;
    if (pos === FAILED) return FAILED;
    // After a value: close containers until one continues with a comma, or the outer value ends.
    for (;;) {
      if (open === 0) return pos;
      while (pos < end && whitespace[bytes[pos]] === 1) pos++;
      if (pos >= end) return FAILED;
      const next = bytes[pos];
      const container = openContainers[open - 1];
      if (next === COMMA) {
        pos++;
        while (pos < end && whitespace[bytes[pos]] === 1) pos++;
        if (container === IN_OBJECT) {
          pos = skipKey(bytes, pos, end, whitespace);
          if (pos === FAILED) return FAILED;
        }
        break;
      }
      if (next !== (container === IN_OBJECT ? CLOSE_BRACE : CLOSE_BRACKET)) return FAILED;
      pos++;
      open--;
    }
  }
}

/** Past `"key" :` and the whitespace after it (pos at the key's quote), or FAILED. */
function skipKey(bytes: Uint8Array, pos: number, end: number, whitespace: Uint8Array): number {
  if (pos >= end || bytes[pos] !== QUOTE) return FAILED;
  pos++;
  while (pos < end && PLAIN_STRING_BYTE[bytes[pos]] === 1) pos++;
  if (pos < end && bytes[pos] === QUOTE) pos++;
  else {
    pos = finishString(bytes, pos, end);
    if (pos === FAILED) return FAILED;
  }
  while (pos < end && whitespace[bytes[pos]] === 1) pos++;
  if (pos >= end || bytes[pos] !== COLON) return FAILED;
  pos++;
  while (pos < end && whitespace[bytes[pos]] === 1) pos++;
  return pos;
}

/**
 * End of the array element starting at `pos`: for objects and arrays, the matching close
 * bracket (strings respected); for scalars, the next "," / "]" / whitespace. FAILED if the
 * buffer ends first.
 */
export function findElementEnd(bytes: Uint8Array, pos: number, end: number): number {
  const first = bytes[pos];
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    if (first === QUOTE) return skipStringLoose(bytes, pos, end);
    while (pos < end && bytes[pos] !== COMMA && bytes[pos] !== CLOSE_BRACKET && !isWhitespace(bytes[pos])) pos++;
    return pos < end ? pos : FAILED;
  }
  let depth = 0;
  while (pos < end) {
    const byte = bytes[pos];
    if (byte === QUOTE) {
      pos = skipStringLoose(bytes, pos, end);
      if (pos === FAILED) return FAILED;
      continue;
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return pos + 1;
    }
    pos++;
  }
  return FAILED;
}

/** Like finishString from the opening quote, but only finds the end (validation is the record parser's job). */
function skipStringLoose(bytes: Uint8Array, start: number, end: number): number {
  let pos = start + 1;
  while (pos < end) {
    const byte = bytes[pos];
    if (byte === QUOTE) return pos + 1;
    pos += byte === BACKSLASH ? 2 : 1;
  }
  return FAILED;
}
