import { readSync } from "node:fs";
import type { BattleDumpReader } from "@/lib/domain/rating/battle-dump";

/** Bytes gathered before the parser runs: a pipe returns 64 KiB a read, the parser wants megabytes. */
const MIN_PARSE_BYTES = 8 * 1024 * 1024;
const READ_BYTES = 16 * 1024 * 1024;

/** One read of `fd` (at `position`, or its current offset when null), waiting out EAGAIN (a non-blocking pipe). */
function readSome(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number {
  for (;;) {
    try {
      return readSync(fd, buffer, offset, length, position);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/**
 * Streams `fd` through the dump reader in reads of up to 16 MiB, parsing once at least
 * MIN_PARSE_BYTES (or the end) are in; a record longer than the buffer grows it. With `range`, reads
 * bytes [start, end) of a file (`final`: the input ends at `end`); without, reads to the end of the
 * input (a file's current offset or a pipe). Returns the input position up to which records were consumed.
 */
export function feedBattleDump(reader: BattleDumpReader, fd: number, range: { start: number; end: number; final: boolean } | null): number {
  let buffer = new Uint8Array(READ_BYTES);
  let filled = 0;
  let parsedUpTo = 0;
  let position = range ? range.start : 0;
  for (;;) {
    if (filled === buffer.length) {
      const larger = new Uint8Array(buffer.length * 2);
      larger.set(buffer);
      buffer = larger;
    }
    const wanted = range ? Math.min(buffer.length - filled, range.end - position - filled) : buffer.length - filled;
    const read = wanted > 0 ? readSome(fd, buffer, filled, wanted, range ? position + filled : null) : 0;
    filled += read;
    const ended = read === 0;
    // A short read from a pipe: read more before parsing, unless the buffer is full or the input ended.
    if (!ended && filled - parsedUpTo < MIN_PARSE_BYTES && filled < buffer.length) continue;
    const final = ended && (range ? range.final : true);
    const consumed = reader.consume(buffer, filled, final);
    if (ended) return position + (final ? filled : consumed);
    buffer.copyWithin(0, consumed, filled);
    position += consumed;
    filled -= consumed;
    parsedUpTo = filled;
  }
}

/**
 * A place to cut a JSONL file of `size` bytes in two near its middle: the start of a line that
 * begins with "{" (so the second part reads as JSONL on its own, as it would in sequence), or -1
 * when the file does not start (after a BOM and whitespace) with "{", i.e. is not JSONL.
 */
export function jsonlCutPoint(fd: number, size: number): number {
  const window = new Uint8Array(1024 * 1024);
  let read = readSome(fd, window, 0, Math.min(window.length, size), 0);
  let first = window[0] === 0xef && window[1] === 0xbb && window[2] === 0xbf ? 3 : 0;
  while (first < read && (window[first] === 0x20 || window[first] === 0x0a || window[first] === 0x0d || window[first] === 0x09)) first++;
  if (window[first] !== 0x7b) return -1;
  const middle = Math.floor(size / 2);
  read = readSome(fd, window, 0, Math.min(window.length, size - middle), middle);
  for (let k = window.indexOf(0x0a); k >= 0 && k + 1 < read; k = window.indexOf(0x0a, k + 1)) {
    if (window[k + 1] === 0x7b) return middle + k + 1;
  }
  return -1;
}
