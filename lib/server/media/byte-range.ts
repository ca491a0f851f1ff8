import "server-only";

/** An inclusive byte range, as in `Content-Range: bytes start-end/size`. */
export interface ByteRange {
  start: number;
  end: number;
}

export type RangeRequest =
  /** No Range header, another unit, or several ranges: answer the whole body (200). */
  | { kind: "whole" }
  | { kind: "partial"; range: ByteRange }
  /** Malformed or beyond the end: 416 with `Content-Range: bytes *\/size`. */
  | { kind: "unsatisfiable" };

const SINGLE_RANGE = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i;

/**
 * Interprets a Range header against a body of `size` bytes (RFC 9110 §14): `bytes=a-b`, `bytes=a-`
 * and the suffix form `bytes=-n`. An end past the body is clamped. Multi-range requests get the whole
 * body (allowed by the RFC, and players never send them); other units are ignored.
 */
export function parseRangeHeader(header: string | null, size: number): RangeRequest {
  if (header === null || header.trim() === "") return { kind: "whole" };
  if (!/^bytes=/i.test(header.trim())) return { kind: "whole" };
  if (header.includes(",")) return { kind: "whole" };
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return { kind: "unsatisfiable" };
  const [, first, last] = match;
  if (first === "" && last === "") return { kind: "unsatisfiable" };
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  if (start >= size) return { kind: "unsatisfiable" };
  if (last === "") return { kind: "partial", range: { start, end: size - 1 } };
  if (Number(last) < start) return { kind: "unsatisfiable" };
  return { kind: "partial", range: { start, end: Math.min(Number(last), size - 1) } };
}
