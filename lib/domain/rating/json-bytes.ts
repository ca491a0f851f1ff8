/**
 * Byte-level JSON helpers for the battle-dump reader (./battle-dump.ts), around its WebAssembly record
 * scanner (./json-scanner.wat): finding where a JSON array element ends, skipping whitespace, and the
 * value of a number the scanner accepted.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const NEWLINE = 0x0a;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

export function bytesEqual(bytes: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let k = 0; k < expected.length; k++) if (bytes[start + k] !== expected[k]) return false;
  return true;
}

export const FAILED = -1;

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Math.pow(10, k));

/**
 * Value of the number in [start, end) that the scanner accepted (JSON's number grammar). Exact (correctly rounded) for
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
