import { Dictionary } from "./aggregate";
import { runSteps } from "../rating/bootstrap";
import { VoteLog, voteLogColumn } from "./vote-log";

/**
 * Binary checkpoint of the leaderboard vote logs, so a new process restores ≈ 21 bytes a vote in
 * one read instead of reading and parsing every vote row again.
 *
 * Layout: a Uint32 magic (written in the platform's byte order, so a checkpoint read on a machine
 * of the other order is rejected rather than misread), the Uint32 byte length of a JSON header
 * (voters, per log its dictionaries, length and cursor), the header padded to 4 bytes, then per log
 * in header order the columns modelA, modelB, outcome, voter, personaClass, day, each at the width
 * its dictionary's size implies (see encodeVoteLogCheckpoint) and padded to 4 bytes.
 *
 * Invariant: decodeVoteLogCheckpoint(encodeVoteLogCheckpoint(c)) restores equal logs, dictionaries,
 * voters and cursors; anything malformed or of another format version decodes to null.
 */

const CHECKPOINT_MAGIC = 0x4c42_4b31;
const CHECKPOINT_FORMAT = 2;
const COLUMNS = ["modelA", "modelB", "outcome", "voter", "personaClass", "day"] as const;
type TColumn = (typeof COLUMNS)[number];
type TNarrowColumn = Uint8Array | Uint16Array | Uint32Array;

/** Where a log stands in the database: see the service's cursor (createdAt ms of the newest vote fed, votes fed up to it). */
interface TCheckpointCursor {
  time: number | null;
  countedThrough: number;
}

export interface TVoteLogCheckpoint {
  /** Annotator ids; a log's voter v is voters[v]. */
  voters: readonly string[];
  logs: Record<string, { log: VoteLog; cursor: TCheckpointCursor }>;
}

interface TLogHeader {
  name: string;
  length: number;
  models: string[];
  personaClasses: string[];
  days: string[];
  cursor: TCheckpointCursor;
}

interface THeader {
  format: number;
  voters: string[];
  logs: TLogHeader[];
}

const padded = (bytes: number) => Math.ceil(bytes / 4) * 4;

/** Entries of a column narrowed (encoding) or checked and widened (decoding) between two pauses of the stepwise codec. */
const CODEC_STEP = 65_536;

/** Exclusive upper bound of each column's values, from the dictionaries (outcome codes fit a byte). */
function columnBounds(log: TLogHeader, voterCount: number): Record<TColumn, number> {
  const models = log.models.length;
  return { modelA: models, modelB: models, outcome: 256, voter: voterCount, personaClass: log.personaClasses.length, day: log.days.length };
}

/** Bytes per entry of a column whose values stay below `bound`. */
const widthFor = (bound: number) => (bound <= 0x100 ? 1 : bound <= 0x1_0000 ? 2 : 4);

const columnOf = (width: number, buffer: ArrayBufferLike, offset: number, length: number): TNarrowColumn =>
  width === 1 ? new Uint8Array(buffer, offset, length) : width === 2 ? new Uint16Array(buffer, offset, length) : new Uint32Array(buffer, offset, length);

/** Bytes one log takes: each column at the width of its bound, padded to 4 bytes. */
function logBytes(log: TLogHeader, voterCount: number): number {
  const bounds = columnBounds(log, voterCount);
  return COLUMNS.reduce((sum, column) => sum + padded(widthFor(bounds[column]) * log.length), 0);
}

/**
 * Each column is stored at 1, 2 or 4 bytes an entry, the least its dictionary's size allows
 * (≈ 8 bytes a vote instead of 21 with tens of models, thousands of annotators, hundreds of days):
 * reading the checkpoint back is what a new process waits for.
 */
export function encodeVoteLogCheckpoint(checkpoint: TVoteLogCheckpoint): Uint8Array<ArrayBuffer> {
  return runSteps(encodeVoteLogCheckpointInSteps(checkpoint));
}

/**
 * encodeVoteLogCheckpoint as a generator that pauses before every CODEC_STEP entries of each column (a
 * million votes' six columns narrowed at once held the event loop 30–40 ms) and returns the same bytes:
 * a caller on a shared event loop can yield between the steps. The logs must not change until it returns.
 */
export function* encodeVoteLogCheckpointInSteps(checkpoint: TVoteLogCheckpoint): Generator<void, Uint8Array<ArrayBuffer>> {
  const entries = Object.entries(checkpoint.logs);
  const header: THeader = {
    format: CHECKPOINT_FORMAT,
    voters: [...checkpoint.voters],
    logs: entries.map(([name, { log, cursor }]) => ({
      name,
      length: log.length,
      models: log.dictionaries.models.values,
      personaClasses: log.dictionaries.personaClasses.values,
      days: log.dictionaries.days.values,
      cursor,
    })),
  };
  const voterCount = header.voters.length;
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const total = 8 + padded(headerBytes.length) + header.logs.reduce((sum, log) => sum + logBytes(log, voterCount), 0);
  const bytes = new Uint8Array(total);
  const words = new Uint32Array(bytes.buffer, 0, 2);
  words[0] = CHECKPOINT_MAGIC;
  words[1] = headerBytes.length;
  bytes.set(headerBytes, 8);
  let offset = 8 + padded(headerBytes.length);
  for (const [k, [, { log }]] of entries.entries()) {
    const bounds = columnBounds(header.logs[k], voterCount);
    for (const column of COLUMNS) {
      const width = widthFor(bounds[column]);
      // Narrowed straight into place (every column starts 4-byte aligned, padded), CODEC_STEP entries a step:
      // a whole column of the text modality's 700,000 votes narrowed in one step held the event loop 15 ms,
      // most of it the fresh pages of the output (stalls3).
      const narrow = columnOf(width, bytes.buffer, offset, log.length);
      for (let from = 0; from < log.length || from === 0; from += CODEC_STEP) {
        yield;
        narrow.set(log[column].subarray(from, Math.min(log.length, from + CODEC_STEP)), from);
      }
      offset += padded(width * log.length);
    }
  }
  return bytes;
}

function parseHeader(bytes: Uint8Array): { header: THeader; offset: number } | null {
  if (bytes.length < 8) return null;
  const words = new Uint32Array(bytes.slice(0, 8).buffer);
  if (words[0] !== CHECKPOINT_MAGIC || 8 + words[1] > bytes.length) return null;
  try {
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + words[1]))) as THeader;
    if (header.format !== CHECKPOINT_FORMAT || !Array.isArray(header.voters) || !Array.isArray(header.logs)) return null;
    return { header, offset: 8 + padded(words[1]) };
  } catch {
    return null;
  }
}

/** The checkpoint `bytes` encode, or null when they are not a checkpoint of this format (or truncated, or out of range). */
export function decodeVoteLogCheckpoint(bytes: Uint8Array): TVoteLogCheckpoint | null {
  return runSteps(decodeVoteLogCheckpointInSteps(bytes));
}

/**
 * decodeVoteLogCheckpoint as a generator that pauses every CODEC_STEP entries of a column (a
 * million votes' columns take tens of milliseconds to check and widen) and returns the same
 * checkpoint: a caller on a shared event loop can yield between the steps.
 *
 * Each column is read in place through a view of `bytes` (its offset in the layout is 4-byte aligned;
 * bytes that sit at another offset in memory are copied once) and checked and widened into the
 * column the log keeps, a step at a time: a copy of each column before widening it allocated twice
 * the checkpoint in fresh memory, a column per step, and its page faults and the collections that
 * external memory triggers were the longest pieces of a restarted process's first run (stalls3).
 */
export function* decodeVoteLogCheckpointInSteps(bytes: Uint8Array): Generator<void, TVoteLogCheckpoint | null> {
  const parsed = parseHeader(bytes);
  if (!parsed) return null;
  const { header } = parsed;
  const voterCount = header.voters.length;
  if (parsed.offset + header.logs.reduce((sum, log) => sum + logBytes(log, voterCount), 0) !== bytes.length) return null;
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  let offset = aligned.byteOffset + parsed.offset;
  const logs: TVoteLogCheckpoint["logs"] = {};
  for (const entry of header.logs) {
    const bounds = columnBounds(entry, voterCount);
    const columns = {} as Record<TColumn, TNarrowColumn>;
    for (const column of COLUMNS) {
      const width = widthFor(bounds[column]);
      const stored = columnOf(width, aligned.buffer, offset, entry.length);
      offset += padded(width * entry.length);
      const wide = voteLogColumn(column, entry.length);
      // Outcome codes are not indices: any byte is kept.
      const bound = column === "outcome" ? 0x100 : bounds[column];
      for (let from = 0; from < entry.length; from += CODEC_STEP) {
        if (!copiedBelow(stored, wide, from, Math.min(entry.length, from + CODEC_STEP), bound)) return null;
        yield;
      }
      columns[column] = wide;
    }
    const dictionaries = { models: Dictionary.from(entry.models), personaClasses: Dictionary.from(entry.personaClasses), days: Dictionary.from(entry.days) };
    logs[entry.name] = { log: VoteLog.fromColumns(dictionaries, entry.length, columns), cursor: entry.cursor };
  }
  return { voters: header.voters, logs };
}

/** Copies entries [from, to) of `stored` into `wide`; false (and stops) at the first that is not below `bound`. */
function copiedBelow(stored: TNarrowColumn, wide: Uint8Array | Uint32Array, from: number, to: number, bound: number): boolean {
  for (let k = from; k < to; k++) {
    const value = stored[k];
    if (value >= bound) return false;
    wide[k] = value;
  }
  return true;
}
