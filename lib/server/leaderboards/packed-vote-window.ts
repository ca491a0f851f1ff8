/**
 * Parsing of a packed vote window (see readVoteWindow in lib/server/store/leaderboard-store.ts: one
 * string, a line per vote) into typed index columns. Two formats:
 * - ids (PostgreSQL): "modelAId modelBId outcome userId YYYY-MM-DD[ createdAt]", outcome as stored;
 * - numbered (SQLite's vote ledger): "modelA modelB outcome annotator YYYY-MM-DD[ createdAt]" with
 *   RatingNumber numbers for the models and the annotator and the outcome as 0, 1 or 2.
 * The main thread and the read-ahead worker (./read-ahead.worker.ts) parse with these same functions.
 */

/** The parser's numbering of the strings of one modality's windows; it continues across windows. */
export interface TPackedWindowNumbering {
  models: Map<string, number>;
  users: Map<string, number>;
  days: Map<string, number>;
  /** Numbered format: the parser's number of each RatingNumber number seen, as a model and as an annotator. */
  modelByNumber: number[];
  userByNumber: number[];
}

/** Entry k of every column is vote k of the window, in its order. */
export interface TPackedWindowColumns {
  count: number;
  /** Numbers in TPackedWindowNumbering.models. */
  modelA: Uint32Array;
  modelB: Uint32Array;
  /** OUTCOME_A_WINS (0), OUTCOME_B_WINS (1) or OUTCOME_TIE (2, ties and both-bad). */
  outcome: Uint8Array;
  /** Numbers in TPackedWindowNumbering.users. */
  user: Uint32Array;
  /** Numbers in TPackedWindowNumbering.days. */
  day: Uint32Array;
  /** createdAt in ms where the line carries it (annotators with several persona versions), else −Infinity. */
  time: Float64Array;
  /** Strings numbered for the first time in this window, in number order. */
  newModels: string[];
  newUsers: string[];
  newDays: string[];
}

export const createPackedWindowNumbering = (): TPackedWindowNumbering => ({ models: new Map(), users: new Map(), days: new Map(), modelByNumber: [], userByNumber: [] });

/** "YYYY-MM-DD", the day field of a line. */
const DAY_LENGTH = 10;

/** Zeroed columns for the lines of `packed` (a vote a line). */
function emptyColumns(packed: string): TPackedWindowColumns {
  let count = 0;
  if (packed.length > 0) {
    count = 1;
    for (let at = packed.indexOf("\n"); at !== -1; at = packed.indexOf("\n", at + 1)) count++;
  }
  return {
    count,
    modelA: new Uint32Array(count),
    modelB: new Uint32Array(count),
    outcome: new Uint8Array(count),
    user: new Uint32Array(count),
    day: new Uint32Array(count),
    time: new Float64Array(count),
    newModels: [],
    newUsers: [],
    newDays: [],
  };
}

/** The number of `value` in `map`; a value seen for the first time is numbered next and listed in `fresh`. */
function numberOfString(map: Map<string, number>, fresh: string[], value: string): number {
  let number = map.get(value);
  if (number === undefined) {
    number = map.size;
    map.set(value, number);
    fresh.push(value);
  }
  return number;
}

/** Lines parsed between two pauses of parsePackedVoteWindowInSteps (a few milliseconds). */
const PARSE_STEP = 4_096;

/** Parses one packed window. Works on offsets; only ids and a change of day allocate strings. Throws on a malformed line. */
export function parsePackedVoteWindow(packed: string, numbering: TPackedWindowNumbering): TPackedWindowColumns {
  const steps = parsePackedVoteWindowInSteps(packed, numbering);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * parsePackedVoteWindow as a generator that pauses every PARSE_STEP lines and returns the same
 * columns: the reader on the request thread (PostgreSQL) yields between the steps, since a week of
 * votes takes tens of milliseconds to parse.
 */
export function* parsePackedVoteWindowInSteps(packed: string, numbering: TPackedWindowNumbering): Generator<void, TPackedWindowColumns> {
  const columns = emptyColumns(packed);
  const { count } = columns;
  let day = "";
  let dayNumber = -1;
  let position = 0;
  for (let k = 0; k < count; k++) {
    if (k > 0 && k % PARSE_STEP === 0) yield;
    let lineEnd = packed.indexOf("\n", position);
    if (lineEnd < 0) lineEnd = packed.length;
    const afterA = packed.indexOf(" ", position);
    const afterB = packed.indexOf(" ", afterA + 1);
    const afterOutcome = packed.indexOf(" ", afterB + 1);
    const afterUser = packed.indexOf(" ", afterOutcome + 1);
    if (afterA < 0 || afterB < 0 || afterOutcome < 0 || afterUser < 0 || afterUser + DAY_LENGTH >= lineEnd + 1) {
      throw new Error(`malformed vote row ${k + 1} of a window`);
    }
    columns.modelA[k] = numberOfString(numbering.models, columns.newModels, packed.slice(position, afterA));
    columns.modelB[k] = numberOfString(numbering.models, columns.newModels, packed.slice(afterA + 1, afterB));
    // "model_a" | "model_b" | "tie" | "both_bad"
    const first = packed.charCodeAt(afterB + 1);
    if (first === 109 /* m */) columns.outcome[k] = packed.charCodeAt(afterB + 7) === 97 /* a */ ? 0 : 1;
    else if (first === 116 /* t */ || first === 98 /* b */) columns.outcome[k] = 2;
    else throw new Error(`unknown vote outcome in row ${k + 1} of a window`);
    columns.user[k] = numberOfString(numbering.users, columns.newUsers, packed.slice(afterOutcome + 1, afterUser));
    if (dayNumber < 0 || !packed.startsWith(day, afterUser + 1)) {
      day = packed.slice(afterUser + 1, afterUser + 1 + DAY_LENGTH);
      dayNumber = numberOfString(numbering.days, columns.newDays, day);
    }
    columns.day[k] = dayNumber;
    const timeStart = afterUser + 1 + DAY_LENGTH + 1;
    columns.time[k] = timeStart < lineEnd ? Date.parse(packed.slice(timeStart, lineEnd)) : Number.NEGATIVE_INFINITY;
    position = lineEnd + 1;
  }
  return columns;
}

/**
 * Parses one window of the numbered format. `idOf` gives the id of a RatingNumber number; it is
 * called once per number and numbering. Works on character codes; only a change of day and a
 * number seen for the first time allocate. Throws on a malformed line.
 */
export function parseNumberedVoteWindow(packed: string, numbering: TPackedWindowNumbering, idOf: (number: number) => string): TPackedWindowColumns {
  const columns = emptyColumns(packed);
  const { count } = columns;
  const numberOf = (byNumber: number[], map: Map<string, number>, fresh: string[], ratingNumber: number): number => {
    const known = byNumber[ratingNumber];
    if (known !== undefined) return known;
    const number = numberOfString(map, fresh, idOf(ratingNumber));
    byNumber[ratingNumber] = number;
    return number;
  };
  let position = 0;
  /** The number at `position` up to the next space; −1 when there is none. */
  const readNumber = (): number => {
    let value = 0;
    let digits = 0;
    for (;;) {
      const code = packed.charCodeAt(position++);
      if (code === 32 /* space */) return digits > 0 ? value : -1;
      if (!(code >= 48 && code <= 57)) return -1;
      value = value * 10 + code - 48;
      digits++;
    }
  };
  let day = "";
  let dayNumber = -1;
  for (let k = 0; k < count; k++) {
    let lineEnd = packed.indexOf("\n", position);
    if (lineEnd < 0) lineEnd = packed.length;
    const modelA = readNumber();
    const modelB = readNumber();
    const outcome = readNumber();
    const user = readNumber();
    if (modelA < 0 || modelB < 0 || outcome < 0 || outcome > 2 || user < 0 || position + DAY_LENGTH > lineEnd) {
      throw new Error(`malformed vote row ${k + 1} of a window`);
    }
    columns.modelA[k] = numberOf(numbering.modelByNumber, numbering.models, columns.newModels, modelA);
    columns.modelB[k] = numberOf(numbering.modelByNumber, numbering.models, columns.newModels, modelB);
    columns.outcome[k] = outcome;
    columns.user[k] = numberOf(numbering.userByNumber, numbering.users, columns.newUsers, user);
    if (dayNumber < 0 || !packed.startsWith(day, position)) {
      day = packed.slice(position, position + DAY_LENGTH);
      dayNumber = numberOfString(numbering.days, columns.newDays, day);
    }
    columns.day[k] = dayNumber;
    const timeStart = position + DAY_LENGTH + 1;
    columns.time[k] = timeStart < lineEnd ? Date.parse(packed.slice(timeStart, lineEnd)) : Number.NEGATIVE_INFINITY;
    position = lineEnd + 1;
  }
  return columns;
}
