import { readSync } from "node:fs";
import { BattleDumpReader, type BattleDumpReaderOptions, type TBattleDumpPart } from "@/lib/domain/rating/battle-dump";
import { jsonScanner } from "@/lib/domain/rating/json-scanner";

/** Bytes gathered before the parser runs: a pipe returns 64 KiB a read, the parser wants megabytes. */
const MIN_PARSE_BYTES = 8 * 1024 * 1024;
/** A pipe's buffer: MIN_PARSE_BYTES and room to read on. */
const PIPE_READ_BYTES = 16 * 1024 * 1024;
/**
 * A file's buffer: a file read returns what is asked, so a small buffer parses as fast, its bytes are
 * still in the CPU cache when parsed, and it touches few fresh pages (each costs a page fault: several
 * microseconds on our VM, more than reading the page).
 */
const FILE_READ_BYTES = 256 * 1024;

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
 * Streams `fd` through the dump reader in reads of up to the buffer's size, parsing once at least
 * MIN_PARSE_BYTES (or the end, or a full buffer) are in; a record longer than the buffer grows it. With `range`, reads
 * bytes [start, end) of a file (`final`: the input ends at `end`); without, reads to the end of the
 * input (a file's current offset or a pipe). Returns the input position up to which records were consumed.
 * The bytes are read straight into the record scanner's memory (this thread's: every part read here
 * reuses it), so the scanner reads them where they are.
 */
export function feedBattleDump(reader: BattleDumpReader, fd: number, range: { start: number; end: number; final: boolean } | null, source: "file" | "pipe" = "file"): number {
  const scanner = jsonScanner();
  let buffer = scanner.inputArea(source === "file" ? FILE_READ_BYTES : PIPE_READ_BYTES);
  let filled = 0;
  let parsedUpTo = 0;
  let position = range ? range.start : 0;
  for (;;) {
    // A longer area keeps what the shorter one held (same place in the memory).
    if (filled === buffer.length) buffer = scanner.inputArea(buffer.length * 2);
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

/** Whether the file starts (after a BOM and whitespace) with "{", i.e. is JSONL rather than a JSON array. */
function startsAsJsonl(fd: number, size: number): boolean {
  const window = new Uint8Array(64 * 1024);
  const read = readSome(fd, window, 0, Math.min(window.length, size), 0);
  let first = window[0] === 0xef && window[1] === 0xbb && window[2] === 0xbf ? 3 : 0;
  while (first < read && (window[first] === 0x20 || window[first] === 0x0a || window[first] === 0x0d || window[first] === 0x09)) first++;
  return first < read && window[first] === 0x7b;
}

/** How far after a cut position a line start is looked for. */
const LINE_SEARCH_BYTES = 1024 * 1024;

/**
 * The first line start at or after `near` whose line begins with "{" within LINE_SEARCH_BYTES, or -1;
 * read in windows of 64 KiB (a FastChat line is about 1 KB, so one window almost always does).
 */
function lineStartAfter(fd: number, size: number, near: number, window: Uint8Array): number {
  const searchEnd = Math.min(size, near + LINE_SEARCH_BYTES);
  // Consecutive windows share one byte, so that a newline ending a window is checked with the byte after it.
  for (let offset = near; offset < searchEnd - 1; offset += window.length - 1) {
    const read = readSome(fd, window, 0, Math.min(window.length, searchEnd - offset), offset);
    for (let k = window.indexOf(0x0a); k >= 0 && k + 1 < read; k = window.indexOf(0x0a, k + 1)) {
      if (window[k + 1] === 0x7b) return offset + k + 1;
    }
    if (read < window.length) break;
  }
  return -1;
}

const newSearchWindow = () => new Uint8Array(64 * 1024);

/**
 * A place to cut a JSONL file of `size` bytes in two near its middle: the start of a line that
 * begins with "{" (so the second part reads as JSONL on its own, as it would in sequence), or -1
 * when the file does not start (after a BOM and whitespace) with "{", i.e. is not JSONL.
 */
export function jsonlCutPoint(fd: number, size: number): number {
  return startsAsJsonl(fd, size) ? lineStartAfter(fd, size, Math.floor(size / 2), newSearchWindow()) : -1;
}

/**
 * Bounds [0, c1, …, size] cutting a JSONL file into parts of about `partBytes` at line starts as
 * jsonlCutPoint chooses them, strictly increasing; null when the file is not JSONL or has one part.
 */
export function jsonlPartBounds(fd: number, size: number, partBytes: number): number[] | null {
  if (!startsAsJsonl(fd, size)) return null;
  const bounds = [0];
  const window = newSearchWindow();
  for (let near = partBytes; near < size; near += partBytes) {
    const cut = lineStartAfter(fd, size, near, window);
    if (cut > bounds[bounds.length - 1] && cut < size) bounds.push(cut);
  }
  bounds.push(size);
  return bounds.length > 2 ? bounds : null;
}

/** Bytes [start, end) of the file read by a reader of their own (the input ends at `end`): its part, for another reader's `append`. */
export function readDumpPart(fd: number, start: number, end: number, options: BattleDumpReaderOptions, expectedBattles = 0): TBattleDumpPart {
  const reader = new BattleDumpReader(options);
  reader.builder.reserve(expectedBattles);
  feedBattleDump(reader, fd, { start, end, final: true });
  return reader.part();
}

/** Parts [bounds[k], bounds[k+1]) of one dump; `next` (one Int32 on a SharedArrayBuffer, shared by the readers' threads) is the next part nobody took. */
export interface TUntakenParts {
  bounds: number[];
  next: Int32Array;
  options: BattleDumpReaderOptions;
}

export type TDumpParts = { index: number; part: TBattleDumpPart }[];

/**
 * Reads the next untaken part until none is left; the other thread does the same, so the faster one
 * reads more. A part that fails (an invalid record without skipInvalid, whose message would count lines
 * from the part's start) is left out and ends this thread's reading: the caller reads from there in sequence.
 */
export function readUntakenParts(fd: number, { bounds, next, options }: TUntakenParts): TDumpParts {
  const parts: TDumpParts = [];
  // Battles per byte of the parts read so far: each part's log is sized once instead of doubling up to it.
  let bytes = 0;
  let battles = 0;
  for (let index = Atomics.add(next, 0, 1); index < bounds.length - 1; index = Atomics.add(next, 0, 1)) {
    const size = bounds[index + 1] - bounds[index];
    let part: TBattleDumpPart;
    try {
      part = readDumpPart(fd, bounds[index], bounds[index + 1], options, bytes > 0 ? Math.ceil((1.05 * size * battles) / bytes) : 0);
    } catch {
      break;
    }
    bytes += size;
    battles += part.log.length;
    parts.push({ index, part });
  }
  return parts;
}
