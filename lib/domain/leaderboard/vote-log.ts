import { runSteps } from "../rating/bootstrap";
import { createAggregateDictionaries, ModalityAggregate, type TAggregateDictionaries } from "./aggregate";

const INITIAL_CAPACITY = 1024;

type TIndexColumn = Uint8Array | Uint16Array | Uint32Array;

/** Typed columns of votes (entry k of each column is vote k), at any integer width. */
export interface TVoteLogColumns {
  modelA: TIndexColumn;
  modelB: TIndexColumn;
  outcome: TIndexColumn;
  voter: TIndexColumn;
  personaClass: TIndexColumn;
  day: TIndexColumn;
}

/**
 * Every counted vote of one modality in time order, column-wise (about 21 bytes a vote), with the
 * voter as an opaque number: what a leaderboard aggregate is rebuilt from when the set of excluded
 * voters changes, without reading the votes again.
 *
 * Invariants: entries are never reordered or removed; every index refers to the shared
 * dictionaries (models, persona classes, days), and modelA[k] !== modelB[k].
 */
export class VoteLog implements TVoteLogColumns {
  readonly dictionaries: TAggregateDictionaries;
  length = 0;
  modelA = new Uint32Array(INITIAL_CAPACITY);
  modelB = new Uint32Array(INITIAL_CAPACITY);
  outcome = new Uint8Array(INITIAL_CAPACITY);
  voter = new Uint32Array(INITIAL_CAPACITY);
  personaClass = new Uint32Array(INITIAL_CAPACITY);
  day = new Uint32Array(INITIAL_CAPACITY);

  constructor(dictionaries: TAggregateDictionaries = createAggregateDictionaries()) {
    this.dictionaries = dictionaries;
  }

  /**
   * A log holding the first `length` entries of the given columns, for restoring a checkpoint. A
   * column already of the log's own type (Uint8Array for the outcome, Uint32Array for the others)
   * is taken as it is, not copied (the caller gives it up; see voteLogColumn); others are copied
   * with room to grow. Every column must hold at least `length` entries.
   */
  static fromColumns(dictionaries: TAggregateDictionaries, length: number, columns: TVoteLogColumns): VoteLog {
    const log = new VoteLog(dictionaries);
    const capacity = Math.max(INITIAL_CAPACITY, length);
    const check = (column: TIndexColumn) => {
      if (column.length < length) throw new Error("vote log column shorter than the log");
      return column;
    };
    /** Whether a column can be taken as it is: of the type, with room for at least INITIAL_CAPACITY entries, on a plain buffer. */
    const owned = (column: TIndexColumn, type: typeof Uint8Array | typeof Uint32Array) => column instanceof type && column.length >= INITIAL_CAPACITY && column.buffer instanceof ArrayBuffer;
    const wide = (column: TIndexColumn): Uint32Array<ArrayBuffer> => {
      if (owned(check(column), Uint32Array)) return column as Uint32Array<ArrayBuffer>;
      const target = new Uint32Array(capacity);
      target.set(column.subarray(0, length));
      return target;
    };
    const outcome = check(columns.outcome);
    if (owned(outcome, Uint8Array)) log.outcome = outcome as Uint8Array<ArrayBuffer>;
    else {
      log.outcome = new Uint8Array(capacity);
      log.outcome.set(outcome.subarray(0, length));
    }
    log.modelA = wide(columns.modelA);
    log.modelB = wide(columns.modelB);
    log.voter = wide(columns.voter);
    log.personaClass = wide(columns.personaClass);
    log.day = wide(columns.day);
    log.length = length;
    return log;
  }

  /** Appends one vote (indices into the dictionaries; outcome an OUTCOME_* code). */
  append(modelA: number, modelB: number, outcome: number, voter: number, personaClass: number, day: number): void {
    if (this.length === this.modelA.length) this.grow();
    const k = this.length++;
    this.modelA[k] = modelA;
    this.modelB[k] = modelB;
    this.outcome[k] = outcome;
    this.voter[k] = voter;
    this.personaClass[k] = personaClass;
    this.day[k] = day;
  }

  /** Room for at least `capacity` entries, so that appending up to it never copies the columns. */
  reserve(capacity: number): void {
    runSteps(this.reserveInSteps(capacity));
  }

  /**
   * reserve as a generator that pauses after each column it allocates and copies (six columns of the
   * text modality's 700,000 votes allocated at once held the event loop ~20 ms of a full read, most
   * of it the fresh pages' faults): a caller on a shared event loop can yield between the steps. The
   * log takes the new columns together at the end, so it must not be appended to until it returns.
   */
  *reserveInSteps(capacity: number): Generator<void, void> {
    if (capacity <= this.modelA.length) return;
    const widen = <T extends Uint32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(column: T, make: (size: number) => T): T => {
      const wider = make(capacity);
      wider.set(column);
      return wider;
    };
    const wide = (column: Uint32Array<ArrayBuffer>) => widen(column, (size) => new Uint32Array(size));
    const modelA = wide(this.modelA);
    yield;
    const modelB = wide(this.modelB);
    yield;
    const outcome = widen(this.outcome, (size) => new Uint8Array(size));
    yield;
    const voter = wide(this.voter);
    yield;
    const personaClass = wide(this.personaClass);
    yield;
    const day = wide(this.day);
    this.modelA = modelA;
    this.modelB = modelB;
    this.outcome = outcome;
    this.voter = voter;
    this.personaClass = personaClass;
    this.day = day;
  }

  private grow(): void {
    this.reserve(this.modelA.length * 2);
  }
}

/**
 * An empty column of the type a VoteLog keeps for `name` (Uint8Array for the outcome, Uint32Array for
 * the others) with room for `length` entries and an eighth more, for restoring a checkpoint:
 * VoteLog.fromColumns takes it without copying once filled, and the votes read after a restore are
 * appended without copying the whole log at once (six columns of a million votes held the event loop ~30 ms).
 */
export function voteLogColumn(name: keyof TVoteLogColumns, length: number): Uint8Array<ArrayBuffer> | Uint32Array<ArrayBuffer> {
  const capacity = Math.max(INITIAL_CAPACITY, length + (length >> 3));
  return name === "outcome" ? new Uint8Array(capacity) : new Uint32Array(capacity);
}

/** Views (no copies) of the log's columns from entry `first` on: the entries appended since the log had `first` entries. */
export function voteLogColumnsFrom(log: VoteLog, first: number): TVoteLogColumns {
  return {
    modelA: log.modelA.subarray(first, log.length),
    modelB: log.modelB.subarray(first, log.length),
    outcome: log.outcome.subarray(first, log.length),
    voter: log.voter.subarray(first, log.length),
    personaClass: log.personaClass.subarray(first, log.length),
    day: log.day.subarray(first, log.length),
  };
}

/**
 * A fresh aggregate (sharing the log's dictionaries) of the logged votes whose voter is not
 * excluded, fed in log order, so online Elo is replayed exactly. `isExcluded[voter]` is truthy for
 * excluded voters; voters beyond its length count.
 */
export function aggregateVoteLog(log: VoteLog, isExcluded: ArrayLike<number | boolean>): ModalityAggregate {
  const aggregate = new ModalityAggregate(log.dictionaries);
  aggregate.addIndexedVotes(log, log.length, isExcluded);
  return aggregate;
}

/** Entries of a column hashed between two pauses of voteLogFingerprintInSteps (well under a millisecond). */
const FINGERPRINT_STEP = 32_768;

/**
 * A 64-bit fingerprint (16 hex digits) of the log's entries and dictionaries: equal logs give equal
 * fingerprints, and a log that differs in any entry, in its length or in any dictionary value
 * almost surely gives another (two independent 32-bit hashes). Used to tell whether the snapshots
 * computed from a log are still current.
 */
export function voteLogFingerprint(log: VoteLog): string {
  return runSteps(voteLogFingerprintInSteps(log));
}

/**
 * voteLogFingerprint as a generator that pauses every FINGERPRINT_STEP entries of a column and
 * returns the same fingerprint: a caller on a shared event loop can yield between the steps (a
 * million votes take tens of milliseconds).
 */
export function* voteLogFingerprintInSteps(log: VoteLog): Generator<void, string> {
  const hashes = new Int32Array([0x811c9dc5, 0x01234567]);
  const { models, personaClasses, days } = log.dictionaries;
  for (const values of [models.values, personaClasses.values, days.values]) {
    hashColumn(hashes, [values.length], 0, 1);
    for (let k = 0; k < values.length; k++) {
      hashString(hashes, values[k]);
      // Thousands of persona classes.
      if (k % FINGERPRINT_STRINGS_STEP === FINGERPRINT_STRINGS_STEP - 1) yield;
    }
    yield;
  }
  hashColumn(hashes, [log.length], 0, 1);
  // Column by column: one tight loop per typed column (a closure call per value made this the
  // slowest step of a recomputation over a million votes).
  for (const column of [log.modelA, log.modelB, log.outcome, log.voter, log.personaClass, log.day]) {
    for (let from = 0; from < log.length; from += FINGERPRINT_STEP) {
      hashColumn(hashes, column, from, Math.min(log.length, from + FINGERPRINT_STEP));
      yield;
    }
  }
  return (hashes[0] >>> 0).toString(16).padStart(8, "0") + (hashes[1] >>> 0).toString(16).padStart(8, "0");
}

/** Strings hashed between two pauses of voteLogFingerprintInSteps. */
const FINGERPRINT_STRINGS_STEP = 256;

/** Mixes the character codes of `value` into both hashes, as hashColumn does a column's values. */
function hashString(hashes: Int32Array, value: string): void {
  let first = hashes[0];
  let second = hashes[1];
  for (let k = 0; k < value.length; k++) {
    const code = value.charCodeAt(k);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x5bd1e995);
  }
  hashes[0] = first;
  hashes[1] = second;
}

/** Mixes the values [from, to) of `column` into both 32-bit hashes (FNV-1a style, two primes). */
function hashColumn(hashes: Int32Array, column: ArrayLike<number>, from: number, to: number): void {
  let first = hashes[0];
  let second = hashes[1];
  for (let k = from; k < to; k++) {
    const value = column[k];
    first = Math.imul(first ^ value, 0x01000193);
    second = Math.imul(second ^ value, 0x5bd1e995);
  }
  hashes[0] = first;
  hashes[1] = second;
}
