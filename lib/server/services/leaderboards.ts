import "server-only";
import { categorizePendingBattles } from "@/lib/server/services/categorize-battles";
import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { Dictionary, ModalityAggregate } from "@/lib/domain/leaderboard/aggregate";
import { ratingHistory, ratingsWithFisherIntervals } from "@/lib/domain/leaderboard/history";
import {
  parseSegmentKey,
  personaSegmentConditions,
  personalSegmentCandidates,
  SEGMENT_VARIANT_PREFIX,
  segmentKey,
  segmentLabel,
  singleConditionSegments,
  type TSegmentCondition,
} from "@/lib/domain/leaderboard/segments";
import { decodeVoteLogCheckpoint, encodeVoteLogCheckpoint } from "@/lib/domain/leaderboard/checkpoint";
import { aggregateVoteLog, VoteLog, voteLogColumnsFrom, voteLogFingerprint } from "@/lib/domain/leaderboard/vote-log";
import { MODALITIES, ZLeaderboardDataSchema, type TLeaderboardData, type TLeaderboardRow, type TModality } from "@/lib/domain/leaderboard/snapshot";
import { ZPersonaSchema } from "@/lib/domain/persona/schema";
import { createRandom, seedFromString } from "@/lib/domain/random";
import {
  computeLeaderboard,
  computeLeaderboardInSteps,
  computeStyleControlledRatings,
  countMarkdownStyle,
  rankUpperBounds,
  shrinkTowardGlobal,
  type BattleCells,
  type Leaderboard,
  type Outcome,
  type StyleCounts,
  type StyledBattle,
} from "@/lib/domain/rating";
import { env, isPostgres } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { inSqliteTransaction, sqliteDatabaseFile, sqliteDate, writableSqlite } from "@/lib/server/db/sqlite-direct";
import { libsqlModulePath, walCheckpointerRunning } from "@/lib/server/db/wal-checkpointer";
import { registerBackgroundJob, type BackgroundJob } from "@/lib/server/jobs/registry";
import {
  createPackedWindowNumbering,
  parseNumberedVoteWindow,
  parsePackedVoteWindow,
  type TPackedWindowColumns,
  type TPackedWindowNumbering,
} from "@/lib/server/leaderboards/packed-vote-window";
import { AppError } from "@/lib/server/errors";

/**
 * Leaderboards, computed off the request path and served from LeaderboardSnapshot rows.
 *
 * Data flow: counted votes (countsForRating; deleted accounts' votes still count) are read IN TIME
 * ORDER into one in-memory VoteLog per modality (typed columns, annotators as numbers), and the
 * votes of annotators not excluded are fed into a ModalityAggregate (cells, online Elo, cells per
 * persona class, per persona condition and per day). A recomputation reads only the votes after the
 * cursor, then fits every variant from the aggregated cells, never from raw votes:
 * - Elo is therefore online and incremental (LMArena's K=4 replay, exact in vote order);
 * - when the set of excluded annotators changes, the aggregate is replayed from the log in memory
 *   (no database read);
 * - the logs and their cursors are checkpointed in LeaderboardState ("vote-log", after a full read
 *   and then every CHECKPOINT_MIN_NEW_VOTES new votes); the first run of a process restores the
 *   checkpoint, replays the aggregates from it and reads only the votes after its cursor;
 * - the votes are read again from scratch when there is no usable checkpoint, or when the number
 *   of counted votes up to the cursor changed (a vote was invalidated, deleted, or committed late
 *   with a timestamp at or before the cursor);
 * - the persona of a vote is the annotator's persona version in force when the vote was cast.
 * Ratings never mix modalities: each modality has its own aggregate and snapshots.
 */

export const OVERALL_VARIANT = "overall";
export const STYLE_VARIANT = "style";
/** Single-condition segments with fewer votes are not stored (their ratings would be mostly prior). */
export const SEGMENT_MIN_VOTES = 50;
/** "People like you" takes the most specific segment with at least this many votes. */
export const PERSONAL_MIN_VOTES = 50;
/** Style control refits a per-battle model; it uses the most recent text votes, up to this many. */
export const STYLE_CONTROL_MAX_VOTES = 20_000;
/**
 * Style coefficients describe the whole population of text votes; a few hundred new ones do not
 * move them, so the style variant is refitted only after this many new text votes (or a rebuild).
 */
export const STYLE_REFIT_MIN_NEW_VOTES = 500;
const SEGMENT_BOOTSTRAP_ROUNDS = 100;
/** Order of the modalities in a full read (see feedFromReadAhead). */
const READ_ORDER: readonly TModality[] = ["image", "audio", "text"];
/** Longest stretch (ms) of feeding windows without yielding to the event loop. */
const FEED_SLICE_MS = 30;
/** Votes are read a week at a time, which bounds the packed string of one read. */
const READ_WINDOW_MS = 7 * 86_400_000;
const PERSONAL_CACHE_MS = 60_000;
/**
 * The vote-log checkpoint (≈ 21 bytes a vote) is rewritten after this many new votes; a new
 * process reads at most these many vote rows on top of it.
 */
export const CHECKPOINT_MIN_NEW_VOTES = 20_000;
const VOTE_LOG_STATE_KEY = "vote-log";
/**
 * Part of every snapshot fingerprint: bump it when the way snapshots are computed from the votes
 * changes, so that stored snapshots of unchanged votes are recomputed after a deploy.
 */
const SNAPSHOT_ALGORITHM_VERSION = 1;
const STYLE_STATE_KEY = "style";

export type TLeaderboardVariant = string;

interface ModalityCursor {
  /** createdAt (ms) of the newest vote fed, null before the first. */
  time: number | null;
  /**
   * Counted votes (excluded annotators included) with createdAt ≤ time, as fed. When the database
   * disagrees, a vote was invalidated, deleted, or committed late with a timestamp ≤ time: re-read.
   */
  countedThrough: number;
}

interface ModalityState {
  /** Every counted vote read so far, excluded annotators included, so exclusions replay from memory. */
  log: VoteLog;
  /** The log without the excluded annotators' votes. */
  aggregate: ModalityAggregate;
  cursor: ModalityCursor;
}

interface AggregateState {
  /** Text votes in the aggregate when style control was last fitted; null before the first fit. */
  styleFittedAt: number | null;
  excludedFingerprint: string;
  excludedUsers: Set<string>;
  /** Annotator ids numbered for the logs (shared by the modalities). */
  voters: Dictionary;
  /** Logged votes (all modalities) in the stored checkpoint; 0 when none was stored by this state. */
  checkpointedVotes: number;
  modalities: Record<TModality, ModalityState>;
}

interface PersonaTimeline {
  /** Ascending by time: the persona class in force from `since` on. */
  versions: { since: number; personaClass: string }[];
}

const globalForLeaderboards = globalThis as unknown as {
  leaderboardState?: WeakMap<object, AggregateState>;
  leaderboardRecompute?: { timer: ReturnType<typeof setTimeout> | null; running: Promise<unknown> | null; dirty: boolean };
  personalCache?: Map<string, { at: number; data: TLeaderboardData }>;
  personaTimelines?: WeakMap<object, { fingerprint: string; timelines: Map<string, PersonaTimeline> }>;
};
const states = (globalForLeaderboards.leaderboardState ??= new WeakMap());
const timelineCache = (globalForLeaderboards.personaTimelines ??= new WeakMap());

function emptyState(excludedFingerprint: string, excludedUsers: Set<string>): AggregateState {
  const modalities = Object.fromEntries(
    MODALITIES.map((modality) => {
      const log = new VoteLog();
      return [modality, { log, aggregate: new ModalityAggregate(log.dictionaries), cursor: { time: null, countedThrough: 0 } }];
    }),
  ) as AggregateState["modalities"];
  return { styleFittedAt: null, excludedFingerprint, excludedUsers, voters: new Dictionary(), checkpointedVotes: 0, modalities };
}

async function loadExcludedUsers(db: Db): Promise<{ fingerprint: string; users: Set<string> }> {
  const rows = await db.user.findMany({ where: { votesExcludedAt: { not: null } }, select: { id: true }, orderBy: { id: "asc" } });
  const ids = rows.map((row) => row.id);
  return { fingerprint: `${ids.length}:${seedFromString(ids.join(","))}`, users: new Set(ids) };
}

/**
 * Persona class timelines per annotator, re-parsed only when persona versions were added or
 * removed (versions are never edited in place). On SQLite through the vote reader's connection when
 * there is one: a full read loads them while its workers start, and the first Prisma query of a
 * model in a process costs more than the read itself.
 */
async function loadPersonaTimelines(db: Db, direct: SqliteVoteReader | null = null): Promise<Map<string, PersonaTimeline>> {
  let fingerprint: string;
  if (direct) {
    const [[count, maxCreatedAt, maxId]] = direct.all(`SELECT COUNT(*), MAX("createdAt"), MAX("id") FROM "PersonaVersion"`) as [[number, string | null, string | null]];
    fingerprint = `${count}:${maxCreatedAt === null ? "" : Date.parse(maxCreatedAt)}:${maxId ?? ""}`;
  } else {
    const summary = await db.personaVersion.aggregate({ _count: { _all: true }, _max: { createdAt: true, id: true } });
    fingerprint = `${summary._count._all}:${summary._max.createdAt?.getTime() ?? ""}:${summary._max.id ?? ""}`;
  }
  const cached = timelineCache.get(db);
  if (cached?.fingerprint === fingerprint) return cached.timelines;
  const rows: { userId: string; createdAt: number; data: unknown }[] = direct
    ? (direct.all(`SELECT "userId", "createdAt", "data" FROM "PersonaVersion" ORDER BY "userId", "createdAt"`) as [string, string, string][]).map(([userId, createdAt, data]) => ({
        userId,
        createdAt: Date.parse(createdAt),
        data: parseJsonOrNull(data),
      }))
    : (await db.personaVersion.findMany({ select: { userId: true, createdAt: true, data: true }, orderBy: [{ userId: "asc" }, { createdAt: "asc" }] })).map((row) => ({
        ...row,
        createdAt: row.createdAt.getTime(),
      }));
  const timelines = new Map<string, PersonaTimeline>();
  for (const row of rows) {
    const parsed = ZPersonaSchema.safeParse(row.data);
    const personaClass = parsed.success ? segmentKey(personaSegmentConditions(parsed.data)) : "";
    let timeline = timelines.get(row.userId);
    if (!timeline) timelines.set(row.userId, (timeline = { versions: [] }));
    timeline.versions.push({ since: row.createdAt, personaClass });
  }
  timelineCache.set(db, { fingerprint, timelines });
  return timelines;
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function personaClassAt(timeline: PersonaTimeline | undefined, time: number): string {
  const versions = timeline?.versions;
  if (!versions) return "";
  let personaClass = "";
  for (const version of versions) {
    if (version.since > time) break;
    personaClass = version.personaClass;
  }
  // A vote cast before the first persona (should not happen) is attributed to the first one.
  return personaClass || versions[0].personaClass;
}

const countedVoteWhere = (modality: TModality) => ({ modality, countsForRating: true });

async function countCountedThrough(db: Db, modality: TModality, time: number | null): Promise<number> {
  if (time === null) return 0;
  return db.vote.count({ where: { ...countedVoteWhere(modality), createdAt: { lte: new Date(time) } } });
}

/**
 * Counted votes with createdAt in [from, to), in time order, parsed into columns (numbered by
 * `numbering`); `last` is the newest createdAt. The database packs the window into ONE string with
 * a line per vote (see lib/server/leaderboards/packed-vote-window.ts): turning each row into an
 * object through the driver costs several times the query itself, and so does a full timestamp
 * per row. Annotators with more than one persona version get their vote's createdAt on the line
 * (their persona class depends on the time). Timestamps are stored in UTC, so the day is their
 * date part.
 *
 * SQLite (direct reader) reads the vote ledger, numbered; PostgreSQL aggregates "Vote" with ids
 * (equal timestamps in id order, as the ledger's key orders them too); an in-memory SQLite
 * database, which has no file for a reader of its own, reads "Vote" through Prisma.
 */
async function readVoteWindow(
  db: Db,
  modality: TModality,
  window: { from: Date; to: Date },
  numbering: TPackedWindowNumbering,
  direct: SqliteVoteReader | null,
): Promise<{ columns: TPackedWindowColumns; last: number | null }> {
  const { from, to } = window;
  if (direct) {
    const [rows, last] = direct.statement.get(modality, sqliteDate(from), sqliteDate(to)) as [string | null, string | null];
    return { columns: parseNumberedVoteWindow(rows ?? "", numbering, direct.idOf), last: last === null ? null : Date.parse(last) };
  }
  type TPacked = { rows: string | null; last: Date | string | null };
  let packed: TPacked | undefined;
  if (isPostgres) {
    [packed] = await db.$queryRaw<TPacked[]>`
      SELECT string_agg(
        "modelAId" || ' ' || "modelBId" || ' ' || "outcome"::text || ' ' || "userId" || ' ' || to_char("createdAt", 'YYYY-MM-DD') ||
          CASE WHEN "userId" IN (SELECT "userId" FROM "PersonaVersion" GROUP BY "userId" HAVING COUNT(*) > 1)
            THEN ' ' || to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ELSE '' END,
        E'\n' ORDER BY "createdAt", "id") AS "rows",
        MAX("createdAt") AS "last"
      FROM "Vote"
      WHERE "modality" = CAST(${modality} AS "Modality") AND "countsForRating" = true AND "createdAt" >= ${from} AND "createdAt" < ${to}`;
  } else {
    [packed] = await db.$queryRawUnsafe<TPacked[]>(SQLITE_VOTE_WINDOW_QUERY, modality, from, to);
  }
  const rows = packed?.rows ?? "";
  const last = !packed?.rows || packed.last === null ? null : packed.last instanceof Date ? packed.last.getTime() : Date.parse(packed.last);
  return { columns: parsePackedVoteWindow(rows, numbering), last };
}

/** readVoteWindow on SQLite without a file: from "Vote", with ids; parameters: modality, from, to. */
const SQLITE_VOTE_WINDOW_QUERY = `
  SELECT group_concat(line, char(10)) AS "rows", MAX("createdAt") AS "last" FROM (
    SELECT printf('%s %s %s %s %.10s%s', "modelAId", "modelBId", "outcome", "userId", "createdAt",
      CASE WHEN "userId" IN (SELECT "userId" FROM "PersonaVersion" GROUP BY "userId" HAVING COUNT(*) > 1)
        THEN ' ' || "createdAt" ELSE '' END) AS line,
      "createdAt"
    FROM "Vote"
    WHERE "modality" = ? AND "countsForRating" = true AND "createdAt" >= ? AND "createdAt" < ?
    ORDER BY "createdAt", "id"
  )`;

/**
 * readVoteWindow on SQLite: from the vote ledger (prisma/migrations/*_vote_ledger: a narrow row per
 * counted vote with its line precomputed, clustered by modality and time), numbered; parameters:
 * modality, from, to. A third of the time of the same window from "Vote", and a tenth of the parsing.
 */
const SQLITE_LEDGER_WINDOW_QUERY = `
  SELECT group_concat(CASE WHEN "userNumber" IN (
      SELECT n."number" FROM "PersonaVersion" p JOIN "RatingNumber" n ON n."id" = p."userId" GROUP BY p."userId" HAVING COUNT(*) > 1)
    THEN "line" || ' ' || "createdAt" ELSE "line" END, char(10)) AS "rows", MAX("createdAt") AS "last"
  FROM (
    SELECT "line", "userNumber", "createdAt" FROM "VoteLedger"
    WHERE "modality" = ? AND "createdAt" >= ? AND "createdAt" < ?
    ORDER BY "createdAt", "voteId"
  )`;
/** The id of a RatingNumber number. */
const SQLITE_RATING_NUMBER_QUERY = `SELECT "id" FROM "RatingNumber" WHERE "number" = ?`;
/** The first ledger time in [from, until] of a modality; parameters: modality, from, until. */
const SQLITE_LEDGER_FIRST_QUERY = `SELECT MIN("createdAt") FROM "VoteLedger" WHERE "modality" = ? AND "createdAt" >= ? AND "createdAt" <= ?`;

/** A read-only libsql connection of its own on the SQLite file, with the ledger's window query prepared. */
interface SqliteVoteReader {
  file: string;
  statement: { get(...parameters: unknown[]): unknown };
  /** The id of a RatingNumber number. */
  idOf(number: number): string;
  /** Raw row arrays of `sql`. */
  all(sql: string, ...parameters: unknown[]): unknown[][];
  close(): void;
}

/**
 * SQLite: reads the vote windows (and the styled battles) through a read-only libsql connection of
 * its own, in raw row arrays, which skips the Prisma driver adapter's per-query and per-value
 * conversions (a third of the read time at a million votes). Null on PostgreSQL or an in-memory
 * database (then Prisma reads).
 */
async function openSqliteVoteReader(db: Db): Promise<SqliteVoteReader | null> {
  const file = await sqliteDatabaseFile(db);
  if (!file) return null;
  const { default: Database } = await import("libsql");
  const connection = new Database(file, { readonly: true });
  const numberQuery = connection.prepare(SQLITE_RATING_NUMBER_QUERY).raw(true);
  return {
    file,
    statement: connection.prepare(SQLITE_LEDGER_WINDOW_QUERY).raw(true),
    idOf: (number) => {
      const row = numberQuery.get(number) as [string] | undefined;
      if (!row) throw new AppError("INTERNAL", `The vote ledger names an unknown number ${number}.`);
      return row[0];
    },
    all: (sql, ...parameters) => connection.prepare(sql).raw(true).all(...parameters) as unknown[][],
    close: () => connection.close(),
  };
}

/**
 * What feeding one modality's windows needs: the parser's numbering of the windows' strings and,
 * per parser number, the index in the modality's dictionaries (and per annotator: voter index,
 * exclusion, and the persona class index when it never changed, −1: look it up by time).
 */
interface FeedContext {
  state: AggregateState;
  timelines: Map<string, PersonaTimeline>;
  /** Numbering of the parser in this thread (windows read here); the worker keeps its own. */
  numbering: TPackedWindowNumbering;
  models: number[];
  days: number[];
  annotators: { voter: number; excluded: boolean; fixedClass: number; timeline: PersonaTimeline | undefined }[];
}

const feedContext = (state: AggregateState, timelines: Map<string, PersonaTimeline>): FeedContext => ({
  state,
  timelines,
  numbering: createPackedWindowNumbering(),
  models: [],
  days: [],
  annotators: [],
});

/**
 * Feeds one parsed window (parsePackedVoteWindow, numbered by the same parser as the earlier
 * windows of this context) into the modality's log and, unless `logOnly`, its aggregate.
 */
function feedWindowColumns(columns: TPackedWindowColumns, entry: ModalityState, context: FeedContext, logOnly = false): void {
  const { log, aggregate, cursor } = entry;
  const { models, personaClasses, days } = log.dictionaries;
  for (const model of columns.newModels) context.models.push(models.index(model));
  for (const day of columns.newDays) context.days.push(days.index(day));
  for (const userId of columns.newUsers) {
    const timeline = context.timelines.get(userId);
    const fixedClass = !timeline || timeline.versions.length === 1 ? personaClasses.index(personaClassAt(timeline, 0)) : -1;
    context.annotators.push({ voter: context.state.voters.index(userId), excluded: context.state.excludedUsers.has(userId), fixedClass, timeline });
  }
  for (let k = 0; k < columns.count; k++) {
    const modelA = context.models[columns.modelA[k]];
    const modelB = context.models[columns.modelB[k]];
    const code = columns.outcome[k];
    const annotator = context.annotators[columns.user[k]];
    const day = context.days[columns.day[k]];
    // Versions added since the read started have no time on the row (−Infinity); they apply to later votes only.
    const personaClass = annotator.fixedClass >= 0 ? annotator.fixedClass : personaClasses.index(personaClassAt(annotator.timeline, columns.time[k]));
    log.append(modelA, modelB, code, annotator.voter, personaClass, day);
    if (!logOnly && !annotator.excluded) aggregate.addIndexedVote(modelA, modelB, code, personaClass, day);
  }
  cursor.countedThrough += columns.count;
}

/** Feeds the counted votes after the cursor (up to `until`) into the log and aggregate, by time windows. */
async function feedNewVotes(db: Db, modality: TModality, entry: ModalityState, context: FeedContext, until: Date, direct: SqliteVoteReader | null): Promise<void> {
  const { cursor } = entry;
  let windowStart: number | null = cursor.time === null ? null : cursor.time + 1;
  if (windowStart === null) {
    const first = await db.vote.findFirst({ where: countedVoteWhere(modality), orderBy: { createdAt: "asc" }, select: { createdAt: true } });
    if (!first) return;
    windowStart = first.createdAt.getTime();
  }
  while (windowStart !== null && windowStart <= until.getTime()) {
    const windowEnd = Math.min(windowStart + READ_WINDOW_MS, until.getTime() + 1);
    const { columns, last } = await readVoteWindow(db, modality, { from: new Date(windowStart), to: new Date(windowEnd) }, context.numbering, direct);
    feedWindowColumns(columns, entry, context);
    if (last !== null) cursor.time = last;
    // Jump over stretches without votes instead of querying empty windows.
    const next = await db.vote.findFirst({
      where: { ...countedVoteWhere(modality), createdAt: { gte: new Date(windowEnd), lte: until } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    });
    windowStart = next ? next.createdAt.getTime() : null;
  }
}

/**
 * One parsed window of a modality (`window`: its number on the job's grid), or the end of a
 * modality's windows, or the packed styled votes, or a failure.
 */
type TReadAheadMessage =
  | { modality: TModality; window: number; columns: TPackedWindowColumns; last: number | null }
  | { modality: TModality; done: true }
  | { style: string }
  | { failed: string };

/**
 * Body of a read-ahead worker (plain CommonJS, evaluated, so it needs neither tsx nor a file of
 * its own), its jobs in the order the caller feeds them. A vote job (a modality from a time on) is cut into windows of `windowMs` on a grid that
 * starts at the job's `from`; worker `workerIndex` of `workerCount` reads the windows whose grid
 * number is its own modulo the count, so the workers partition the votes whatever each of them
 * sees, parses them into index columns (the columns' buffers are transferred, not copied) and
 * posts them in order; stretches without votes are jumped over. A style job is done by worker 0
 * alone: the packed styled votes (SQLITE_STYLED_PACKED_QUERY since the style cutoff).
 */
const READ_AHEAD_WORKER = `
// Helper some TypeScript transforms (tsx's keepNames) wrap inner functions in.
var __name = (target) => target;
const parseNumberedVoteWindow = ${parseNumberedVoteWindow.toString()};
const { parentPort, workerData } = require("node:worker_threads");
const { libsql, file, windowQuery, firstQuery, numberQuery, windowMs, jobs, workerIndex, workerCount } = workerData;
try {
  const Database = require(libsql);
  const connection = new Database(file, { readonly: true });
  const windows = connection.prepare(windowQuery).raw(true);
  const first = connection.prepare(firstQuery).raw(true);
  const numbers = connection.prepare(numberQuery).raw(true);
  const idOf = (number) => {
    const row = numbers.get(number);
    if (!row) throw new Error("the vote ledger names an unknown number " + number);
    return row[0];
  };
  const iso = (ms) => new Date(ms).toISOString().replace("Z", "+00:00");
  for (const job of jobs) {
    if (job.style) {
      if (workerIndex === 0) {
        const [since] = connection.prepare(job.style.cutoffQuery).raw(true).get(job.style.maxVotes - 1) || [iso(0)];
        const [rows] = connection.prepare(job.style.packedQuery).raw(true).get(since);
        parentPort.postMessage({ style: rows ?? "" });
      }
      continue;
    }
    const { modality, from, until } = job;
    const numbering = { models: new Map(), users: new Map(), days: new Map(), modelByNumber: [], userByNumber: [] };
    const firstFrom = (start) => {
      const [at] = first.get(modality, iso(start), iso(until));
      return at == null ? null : Date.parse(at);
    };
    let next = firstFrom(from);
    while (next !== null && next <= until) {
      const window = Math.floor((next - from) / windowMs);
      const start = from + window * windowMs;
      const end = Math.min(start + windowMs, until + 1);
      if (window % workerCount === workerIndex) {
        const [rows, last] = windows.get(modality, iso(start), iso(end));
        const columns = parseNumberedVoteWindow(rows ?? "", numbering, idOf);
        const buffers = [columns.modelA, columns.modelB, columns.outcome, columns.user, columns.day, columns.time].map((column) => column.buffer);
        parentPort.postMessage({ modality, window, columns, last: last == null ? null : Date.parse(last) }, buffers);
      }
      next = firstFrom(end);
    }
    parentPort.postMessage({ modality, done: true });
  }
  connection.close();
} catch (error) {
  parentPort.postMessage({ failed: String((error && error.message) || error) });
}
`;

/** Read-ahead workers; `next(k)` is worker k's next message, in the order it posted them. */
interface ReadAhead {
  workers: number;
  next(worker: number): Promise<TReadAheadMessage>;
  close(): void;
}

/** Message queue of one worker. */
function workerInbox(worker: Worker): () => Promise<TReadAheadMessage> {
  const received: TReadAheadMessage[] = [];
  let waiting: ((message: TReadAheadMessage) => void) | null = null;
  const deliver = (message: TReadAheadMessage) => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(message);
    } else received.push(message);
  };
  worker.on("message", deliver);
  worker.on("error", (error) => deliver({ failed: error.message }));
  worker.on("exit", (code) => deliver({ failed: `read-ahead worker exited (${code})` }));
  return () => {
    const message = received.shift();
    return message ? Promise.resolve(message) : new Promise((resolve) => (waiting = resolve));
  };
}

/**
 * A full read on SQLite: worker threads (one per core, at most two), each with its own read-only
 * connection, run the window queries and parse the windows while this thread feeds the parsed
 * windows in time order and fits the modalities already read; worker 0 also packs the styled
 * votes. Null when a worker cannot start.
 */
type TReadAheadJob = { modality: TModality; from: number; until: number } | { style: { cutoffQuery: string; packedQuery: string; maxVotes: number } };

/** The job that packs the styled text votes (see SQLITE_STYLED_PACKED_QUERY). */
const styleJob = (): TReadAheadJob => ({ style: { cutoffQuery: SQLITE_STYLE_CUTOFF_QUERY, packedQuery: SQLITE_STYLED_PACKED_QUERY, maxVotes: STYLE_CONTROL_MAX_VOTES } });

/**
 * The packed styled votes read by a worker thread: the query takes 0.1–0.3 s at 20,000 votes and
 * would stall the event loop that long. Null when the worker cannot start or fails.
 */
async function readStyledPackedOffThread(file: string): Promise<string | null> {
  const readAhead = startReadAhead(file, [styleJob()], 1);
  if (!readAhead) return null;
  try {
    const message = await readAhead.next(0);
    return "style" in message ? message.style : null;
  } finally {
    readAhead.close();
  }
}

function startReadAhead(file: string, jobs: TReadAheadJob[], workerCount = Math.max(1, Math.min(2, availableParallelism()))): ReadAhead | null {
  const workers: Worker[] = [];
  try {
    const libsql = libsqlModulePath();
    for (let workerIndex = 0; workerIndex < workerCount; workerIndex++) {
      const workerData = {
        libsql,
        file,
        windowQuery: SQLITE_LEDGER_WINDOW_QUERY,
        firstQuery: SQLITE_LEDGER_FIRST_QUERY,
        numberQuery: SQLITE_RATING_NUMBER_QUERY,
        windowMs: READ_WINDOW_MS,
        jobs,
        workerIndex,
        workerCount,
      };
      workers.push(new Worker(READ_AHEAD_WORKER, { eval: true, execArgv: [], workerData }));
    }
  } catch {
    for (const worker of workers) void worker.terminate();
    return null;
  }
  const inboxes = workers.map(workerInbox);
  return {
    workers: workerCount,
    next: (worker) => inboxes[worker](),
    close: () => {
      for (const worker of workers) {
        worker.removeAllListeners();
        void worker.terminate();
      }
    },
  };
}

interface TRefreshOptions {
  forceRebuild: boolean;
  /**
   * Called during a full read as soon as a modality's aggregate is complete: the caller can fit
   * it while the workers read the next modalities.
   */
  onModalityRead?: (state: AggregateState, modality: TModality) => void;
  /**
   * During a full read, called with the styled text votes packed by a read-ahead worker
   * (SQLITE_STYLED_PACKED_QUERY) before the text votes are read: the caller can fit style control
   * while they are.
   */
  onStyleRows?: (state: AggregateState, rows: string) => void;
}

/**
 * Feeds every modality from the read-ahead workers, merging their windows in grid (time) order.
 * False when a worker failed before anything was fed (the caller reads in this thread instead); a
 * failure after that throws, since the state holds part of the votes.
 *
 * The modalities are read in READ_ORDER, text (the largest, as a rule, and the one with style
 * control) last: the others are fitted, and the styled votes packed and fitted, while the text
 * votes are read.
 */
async function feedFromReadAhead(
  state: AggregateState,
  loadTimelines: () => Promise<Map<string, PersonaTimeline>>,
  file: string,
  until: Date,
  options: Pick<TRefreshOptions, "onModalityRead" | "onStyleRows">,
): Promise<boolean> {
  const voteJob = (modality: TModality) => {
    const { time } = state.modalities[modality].cursor;
    return { modality, from: time === null ? 0 : time + 1, until: until.getTime() };
  };
  const jobs: TReadAheadJob[] = READ_ORDER.flatMap((modality) => (modality === "text" && options.onStyleRows ? [styleJob(), voteJob(modality)] : [voteJob(modality)]));
  const readAhead = startReadAhead(file, jobs);
  if (!readAhead) return false;
  // Loaded while the workers start and read their first windows: the first query of a process
  // and the persona parsing take a few hundred milliseconds on this thread.
  const timelinesLoaded = loadTimelines();
  let fed = false;
  const next = async (worker: number, modality: TModality) => {
    const message = await readAhead.next(worker);
    if ("failed" in message) {
      if (!fed) return null;
      throw new AppError("INTERNAL", `Reading the votes failed: ${message.failed}`);
    }
    if ("style" in message || message.modality !== modality) throw new AppError("INTERNAL", "Vote windows arrived out of order.");
    return message;
  };
  try {
    const timelines = await timelinesLoaded;
    /** Per voter index: 1 when excluded; extended as the windows number new voters. */
    const isExcluded: number[] = [];
    let lastPause = performance.now();
    for (const job of jobs) {
      if ("style" in job) {
        const message = await readAhead.next(0);
        if ("failed" in message) {
          if (!fed) return false;
          throw new AppError("INTERNAL", `Reading the styled votes failed: ${message.failed}`);
        }
        if (!("style" in message)) throw new AppError("INTERNAL", "Vote windows arrived out of order.");
        options.onStyleRows?.(state, message.style);
        continue;
      }
      const { modality } = job;
      const entry = state.modalities[modality];
      // Each worker numbers the strings of its windows itself.
      const contexts = Array.from({ length: readAhead.workers }, () => feedContext(state, timelines));
      const heads = [];
      for (let worker = 0; worker < readAhead.workers; worker++) heads.push(await next(worker, modality));
      for (;;) {
        let pick = -1;
        for (let worker = 0; worker < heads.length; worker++) {
          const head = heads[worker];
          if (head === null) return false;
          if ("done" in head) continue;
          const current = pick < 0 ? null : heads[pick];
          if (!current || ("window" in current && head.window < current.window)) pick = worker;
        }
        if (pick < 0) break;
        const head = heads[pick] as Extract<TReadAheadMessage, { window: number }>;
        fed = true;
        // Into the log, then into the aggregate as one batch (the log was empty before this read,
        // so its entries from `first` on are the window's).
        const first = entry.log.length;
        feedWindowColumns(head.columns, entry, contexts[pick], true);
        for (let voter = isExcluded.length; voter < state.voters.size; voter++) isExcluded.push(state.excludedUsers.has(state.voters.values[voter]) ? 1 : 0);
        entry.aggregate.addIndexedVotes(voteLogColumnsFrom(entry.log, first), entry.log.length - first, isExcluded);
        if (head.last !== null) entry.cursor.time = head.last;
        // Windows already waiting in the inbox resolve at once: yield now and then, or feeding a
        // whole modality would hold the event loop.
        if (performance.now() - lastPause > FEED_SLICE_MS) {
          await yieldToEventLoop();
          lastPause = performance.now();
        }
        heads[pick] = await next(pick, modality);
      }
      options.onModalityRead?.(state, modality);
    }
    return true;
  } finally {
    readAhead.close();
  }
}

/** Per voter index: 1 when the voter is excluded, as aggregateVoteLog takes it. */
const excludedVoterFlags = (voters: Dictionary, excludedUsers: Set<string>) => Uint8Array.from(voters.values, (userId) => (excludedUsers.has(userId) ? 1 : 0));

type TRefreshMode = "read" | "checkpoint" | "replay" | "incremental";

const totalLogged = (state: AggregateState) => MODALITIES.reduce((sum, modality) => sum + state.modalities[modality].log.length, 0);

/**
 * The state stored by saveCheckpoint, with aggregates replayed for the current exclusions; null
 * when there is none, it does not decode, or counted votes changed up to one of its cursors.
 */
async function restoreCheckpoint(db: Db, excluded: { fingerprint: string; users: Set<string> }): Promise<AggregateState | null> {
  const row = await db.leaderboardState.findUnique({ where: { key: VOTE_LOG_STATE_KEY }, select: { data: true } });
  const checkpoint = row ? decodeVoteLogCheckpoint(row.data) : null;
  if (!checkpoint) return null;
  for (const modality of MODALITIES) {
    const entry = checkpoint.logs[modality];
    if (!entry || (await countCountedThrough(db, modality, entry.cursor.time)) !== entry.cursor.countedThrough) return null;
  }
  const voters = Dictionary.from(checkpoint.voters);
  const isExcluded = excludedVoterFlags(voters, excluded.users);
  const modalities = Object.fromEntries(
    MODALITIES.map((modality) => {
      const { log, cursor } = checkpoint.logs[modality];
      return [modality, { log, aggregate: aggregateVoteLog(log, isExcluded), cursor: { ...cursor } }];
    }),
  ) as AggregateState["modalities"];
  const state: AggregateState = { styleFittedAt: null, excludedFingerprint: excluded.fingerprint, excludedUsers: excluded.users, voters, checkpointedVotes: 0, modalities };
  state.checkpointedVotes = totalLogged(state);
  return state;
}

/**
 * Stores the logs and cursors after a full read, or once CHECKPOINT_MIN_NEW_VOTES votes were logged
 * since the last checkpoint. On SQLite the row (≈ 8 MB at a million votes) is written by a thread
 * of its own, while this one fits the text modality; the returned promise settles when it is
 * stored. Writes are chained, so an older checkpoint never lands after a newer one.
 */
function saveCheckpointIfDue(db: Db, state: AggregateState, mode: TRefreshMode): Promise<void> {
  const logged = totalLogged(state);
  if (logged === 0 || (mode !== "read" && logged - state.checkpointedVotes < CHECKPOINT_MIN_NEW_VOTES)) return Promise.resolve();
  const logs = Object.fromEntries(MODALITIES.map((modality) => [modality, state.modalities[modality]]));
  const data = encodeVoteLogCheckpoint({ voters: state.voters.values, logs });
  state.checkpointedVotes = logged;
  const written = checkpointWrites.then(() => writeStateRowOffThread(db, VOTE_LOG_STATE_KEY, data));
  checkpointWrites = written.catch(() => undefined);
  return written.catch((error: unknown) => {
    // The next run writes it again; the leaderboards themselves do not depend on it.
    state.checkpointedVotes = 0;
    console.warn("[leaderboards] storing the vote-log checkpoint failed:", error instanceof Error ? error.message : error);
  });
}
let checkpointWrites: Promise<unknown> = Promise.resolve();

/** Writes one LeaderboardState row on SQLite through its own connection (busy timeout: only that thread waits). */
const STATE_WRITER_WORKER = `
const { workerData } = require("node:worker_threads");
const { libsql, file, sql, key, updatedAt, data, autocheckpoint } = workerData;
const Database = require(libsql);
const connection = new Database(file);
try {
  connection.exec("PRAGMA busy_timeout = 10000");
  connection.exec("PRAGMA synchronous = NORMAL");
  if (!autocheckpoint) connection.exec("PRAGMA wal_autocheckpoint = 0");
  connection.prepare(sql).run(key, updatedAt, Buffer.from(data));
} finally {
  connection.close();
}
`;

async function writeStateRowOffThread(db: Db, key: string, data: Uint8Array<ArrayBuffer>): Promise<void> {
  const file = await sqliteDatabaseFile(db);
  if (!file) return writeLeaderboardRows(db, [{ kind: "state", key, data }]);
  const owned = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
  let worker: Worker;
  try {
    const workerData = { libsql: libsqlModulePath(), file, sql: UPSERT_STATE_SQLITE, key, updatedAt: sqliteDate(new Date()), data: owned, autocheckpoint: !walCheckpointerRunning(file) };
    worker = new Worker(STATE_WRITER_WORKER, { eval: true, execArgv: [], workerData, transferList: [owned.buffer] });
  } catch {
    return writeLeaderboardRows(db, [{ kind: "state", key, data: owned }]);
  }
  await new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the writer thread exited with code ${code}`))));
  });
}

/** One row write of a recomputation; see writeLeaderboardRows. */
type TLeaderboardWrite =
  | { kind: "snapshot"; data: TLeaderboardData; computedAt: Date }
  | { kind: "state"; key: string; data: Uint8Array }
  /** Deletes the modality's snapshots of every other variant. */
  | { kind: "keep-only"; modality: TModality; variants: string[] };

const UPSERT_SNAPSHOT_SQLITE = `
  INSERT INTO "LeaderboardSnapshot" ("id", "modality", "variant", "computedAt", "voteCount", "data") VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT ("modality", "variant") DO UPDATE SET "computedAt" = excluded."computedAt", "voteCount" = excluded."voteCount", "data" = excluded."data"`;
const UPSERT_STATE_SQLITE = `
  INSERT INTO "LeaderboardState" ("key", "updatedAt", "data") VALUES (?, ?, ?)
  ON CONFLICT ("key") DO UPDATE SET "updatedAt" = excluded."updatedAt", "data" = excluded."data"`;
const KEEP_ONLY_SQLITE = `DELETE FROM "LeaderboardSnapshot" WHERE "modality" = ? AND "variant" NOT IN (SELECT "value" FROM json_each(?))`;

/**
 * Writes leaderboard rows in one transaction, in raw SQL: Prisma's upsert compiles each query,
 * re-serializes the JSON and reads the row back (the whole 8 MB vote log, for the checkpoint). On a
 * SQLite file, through a writable libsql connection of its own with prepared statements, which also
 * skips the driver adapter's per-value conversions (the checkpoint went out as base64); else raw
 * statements in a Prisma transaction. Dates in SQLite as the driver adapter stores them.
 */
async function writeLeaderboardRows(db: Db, writes: TLeaderboardWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const file = await sqliteDatabaseFile(db);
  if (file) {
    const connection = await writableSqlite(file);
    const upsertSnapshot = connection.prepare(UPSERT_SNAPSHOT_SQLITE);
    const upsertState = connection.prepare(UPSERT_STATE_SQLITE);
    const keepOnly = connection.prepare(KEEP_ONLY_SQLITE);
    await inSqliteTransaction(connection, () => {
      for (const write of writes) {
        if (write.kind === "snapshot") {
          const { data } = write;
          upsertSnapshot.run(`lbs_${randomUUID()}`, data.modality, data.variant, sqliteDate(write.computedAt), data.voteCount, JSON.stringify(data));
        } else if (write.kind === "state") upsertState.run(write.key, sqliteDate(new Date()), Buffer.from(write.data.buffer, write.data.byteOffset, write.data.byteLength));
        else keepOnly.run(write.modality, JSON.stringify(write.variants));
      }
    });
    return;
  }
  await db.$transaction(
    writes.map((write) => {
      if (write.kind === "keep-only") return db.leaderboardSnapshot.deleteMany({ where: { modality: write.modality, variant: { notIn: write.variants } } });
      if (write.kind === "state") return upsertStateRaw(db, write.key, write.data);
      return upsertSnapshotRaw(db, write.data, write.computedAt);
    }),
  );
}

function upsertSnapshotRaw(db: Db, data: TLeaderboardData, computedAt: Date) {
  const json = JSON.stringify(data);
  const id = `lbs_${randomUUID()}`;
  return isPostgres
    ? db.$executeRaw`
        INSERT INTO "LeaderboardSnapshot" ("id", "modality", "variant", "computedAt", "voteCount", "data")
        VALUES (${id}, CAST(${data.modality} AS "Modality"), ${data.variant}, ${computedAt}, ${data.voteCount}, CAST(${json} AS jsonb))
        ON CONFLICT ("modality", "variant") DO UPDATE SET "computedAt" = EXCLUDED."computedAt", "voteCount" = EXCLUDED."voteCount", "data" = EXCLUDED."data"`
    : db.$executeRawUnsafe(UPSERT_SNAPSHOT_SQLITE, id, data.modality, data.variant, sqliteDate(computedAt), data.voteCount, json);
}

function upsertStateRaw(db: Db, key: string, data: Uint8Array) {
  const updatedAt = new Date();
  return isPostgres
    ? db.$executeRaw`
        INSERT INTO "LeaderboardState" ("key", "updatedAt", "data") VALUES (${key}, ${updatedAt}, ${data})
        ON CONFLICT ("key") DO UPDATE SET "updatedAt" = EXCLUDED."updatedAt", "data" = EXCLUDED."data"`
    : db.$executeRawUnsafe(UPSERT_STATE_SQLITE, key, sqliteDate(updatedAt), data);
}

const snapshotFingerprintKey = (modality: TModality) => `snapshots:${modality}`;

/**
 * The variants stored for `modality` when they were computed from the state `fingerprint` names
 * (same vote log, exclusions, model names and settings), else none: they must be recomputed.
 */
async function currentSnapshotVariants(db: Db, modality: TModality, fingerprint: string): Promise<string[]> {
  const row = await db.leaderboardState.findUnique({ where: { key: snapshotFingerprintKey(modality) }, select: { data: true } });
  if (!row || new TextDecoder().decode(row.data) !== fingerprint) return [];
  const snapshots = await db.leaderboardSnapshot.findMany({ where: { modality }, select: { variant: true } });
  return snapshots.map((snapshot) => snapshot.variant);
}

const snapshotFingerprintWrite = (modality: TModality, fingerprint: string): TLeaderboardWrite => ({
  kind: "state",
  key: snapshotFingerprintKey(modality),
  data: new TextEncoder().encode(fingerprint),
});

interface TStyleFit {
  /** Text votes in the aggregate when style control was fitted. */
  fittedAt: number;
  excludedFingerprint: string;
}

/**
 * When the stored style snapshot was fitted, as recorded by recordStyleFit; null when there is no
 * style snapshot or it was fitted under another set of exclusions (so it is refitted).
 */
async function storedStyleFit(db: Db, excludedFingerprint: string): Promise<number | null> {
  const row = await db.leaderboardState.findUnique({ where: { key: STYLE_STATE_KEY }, select: { data: true } });
  if (!row) return null;
  const snapshot = await db.leaderboardSnapshot.findUnique({ where: { modality_variant: { modality: "text", variant: STYLE_VARIANT } }, select: { id: true } });
  if (!snapshot) return null;
  try {
    const fit = JSON.parse(new TextDecoder().decode(row.data)) as Partial<TStyleFit>;
    return fit.excludedFingerprint === excludedFingerprint && typeof fit.fittedAt === "number" ? fit.fittedAt : null;
  } catch {
    return null;
  }
}

async function recordStyleFit(db: Db, fit: TStyleFit): Promise<void> {
  const data = new TextEncoder().encode(JSON.stringify(fit));
  await writeLeaderboardRows(db, [{ kind: "state", key: STYLE_STATE_KEY, data }]);
}

/**
 * Brings the in-memory logs and aggregates up to date with the database (see the module comment
 * for when they are re-read or replayed). Returns how.
 */
type TRefreshed = { state: AggregateState; mode: TRefreshMode; checkpointSaved: Promise<void> };

function refreshAggregates(db: Db, now: Date, options: TRefreshOptions): Promise<TRefreshed> {
  // One refresh at a time: two concurrent feeders would both feed the votes after the same cursor.
  const run = refreshQueue.then(() => refreshAggregatesNow(db, now, options));
  refreshQueue = run.catch(() => undefined);
  return run;
}
let refreshQueue: Promise<unknown> = Promise.resolve();

async function refreshAggregatesNow(db: Db, now: Date, options: TRefreshOptions): Promise<TRefreshed> {
  const { forceRebuild } = options;
  const excluded = await loadExcludedUsers(db);
  let state = states.get(db);
  let mode: TRefreshMode = forceRebuild || !state ? "read" : "incremental";
  if (!state && !forceRebuild) {
    const restored = await restoreCheckpoint(db, excluded);
    if (restored) {
      state = restored;
      mode = "checkpoint";
      states.set(db, state);
    }
  }
  if (state && mode === "incremental") {
    for (const modality of MODALITIES) {
      const { cursor } = state.modalities[modality];
      if ((await countCountedThrough(db, modality, cursor.time)) !== cursor.countedThrough) mode = "read";
    }
  }
  if (mode === "read" || !state) {
    state = emptyState(excluded.fingerprint, excluded.users);
    states.set(db, state);
  } else if (state.excludedFingerprint !== excluded.fingerprint) {
    mode = "replay";
    state.excludedFingerprint = excluded.fingerprint;
    state.excludedUsers = excluded.users;
    const isExcluded = excludedVoterFlags(state.voters, excluded.users);
    for (const modality of MODALITIES) {
      const entry = state.modalities[modality];
      entry.aggregate = aggregateVoteLog(entry.log, isExcluded);
    }
    state.styleFittedAt = null;
  }
  const direct = await openSqliteVoteReader(db);
  // Loaded where the votes are fed: a full read starts its workers first.
  let timelinesLoaded: Promise<Map<string, PersonaTimeline>> | null = null;
  const loadTimelines = () => {
    if (!timelinesLoaded) {
      timelinesLoaded = loadPersonaTimelines(db, direct);
      timelinesLoaded.catch(() => undefined);
    }
    return timelinesLoaded;
  };
  try {
    const readAhead =
      direct !== null && mode === "read"
        ? await feedFromReadAhead(state, loadTimelines, direct.file, now, options).catch((error: unknown) => {
            // Part of the votes were fed: forget the state, so that the next run reads them all again.
            states.delete(db);
            throw error;
          })
        : false;
    const timelines = await loadTimelines();
    for (const modality of readAhead ? [] : MODALITIES) {
      // Persona class indices belong to each modality's dictionaries, so the annotator cache does too.
      await feedNewVotes(db, modality, state.modalities[modality], feedContext(state, timelines), now, direct);
    }
  } finally {
    direct?.close();
  }
  const checkpointSaved = saveCheckpointIfDue(db, state, mode);
  return { state, mode, checkpointSaved };
}

interface ModelInfo {
  slug: string;
  displayName: string;
  organizationId: string | null;
  organizationName: string | null;
}

async function loadModelInfo(db: Db): Promise<Map<string, ModelInfo>> {
  const models = await db.arenaModel.findMany({
    select: { id: true, slug: true, displayName: true, organizationId: true, organization: { select: { name: true } } },
  });
  return new Map(
    models.map((model) => [
      model.id,
      { slug: model.slug, displayName: model.displayName, organizationId: model.organizationId, organizationName: model.organization.name },
    ]),
  );
}

function toRows(
  models: { model: string; rating: number; ciLower: number; ciUpper: number; rankUb: number; votes: number; wins: number; losses: number; ties: number; elo: number | null }[],
  info: Map<string, ModelInfo>,
): TLeaderboardRow[] {
  const minVotes = env.PROVISIONAL_MIN_VOTES;
  return models
    .filter((entry) => entry.votes > 0)
    .map((entry) => {
      const model = info.get(entry.model);
      return {
        rank: entry.rankUb,
        modelId: entry.model,
        slug: model?.slug ?? entry.model,
        displayName: model?.displayName ?? entry.model,
        organizationId: model?.organizationId ?? null,
        organizationName: model?.organizationName ?? null,
        rating: entry.rating,
        ciLower: entry.ciLower,
        ciUpper: entry.ciUpper,
        votes: entry.votes,
        wins: entry.wins,
        losses: entry.losses,
        ties: entry.ties,
        provisional: entry.votes < minVotes,
        elo: entry.elo,
      };
    });
}

function matrixOf(leaderboard: Leaderboard, rows: TLeaderboardRow[]): TLeaderboardData["matrix"] {
  const position = new Map(leaderboard.modelOrder.map((model, index) => [model, index]));
  const ids = rows.map((row) => row.modelId);
  return {
    modelIds: ids,
    winRate: ids.map((a) => ids.map((b) => leaderboard.winRate[position.get(a)!][position.get(b)!])),
    counts: ids.map((a) => ids.map((b) => leaderboard.counts[position.get(a)!][position.get(b)!])),
  };
}

interface VariantInput {
  modality: TModality;
  variant: string;
  label: string;
  computedAt: Date;
  cells: BattleCells;
  aggregate: ModalityAggregate;
  info: Map<string, ModelInfo>;
}

async function overallData({ modality, variant, label, computedAt, cells, aggregate, info }: VariantInput): Promise<TLeaderboardData> {
  const leaderboard = await withPauses(computeLeaderboardInSteps(cells, { bootstrapRounds: env.LEADERBOARD_BOOTSTRAP_ROUNDS, seed: seedFromString(`${modality}:${variant}`) }));
  const elo = aggregate.eloRatings();
  const rows = toRows(leaderboard.models.map((entry) => ({ ...entry, elo: elo[entry.model] ?? null })), info);
  return {
    modality,
    variant,
    label,
    computedAt: computedAt.toISOString(),
    voteCount: cells.total,
    rows,
    matrix: matrixOf(leaderboard, rows),
    history: ratingHistory(aggregate.cellsByDay()),
    votesByDay: aggregate.votesByDay(),
    shrinkStrength: null,
    styleCoefficients: null,
  };
}

/**
 * A segment's leaderboard: ratings shrunk toward the global ones (λ by held-out likelihood); the
 * intervals are the widths of the segment's own 95% intervals centred on the shrunk rating
 * (conservative: shrinkage only narrows them), ranks recomputed from those intervals. The widths
 * come from the Fisher information of the segment's BT fit (±1.96·SE, as the history checkpoints):
 * ~80 segments × 100 bootstrap rounds were half of a recomputation. A segment whose models are not
 * all connected falls back to SEGMENT_BOOTSTRAP_ROUNDS bootstrap rounds.
 */
function segmentData(input: VariantInput, globalRatings: Record<string, number>): TLeaderboardData {
  const { modality, variant, label, computedAt, cells, info } = input;
  let plain = computeLeaderboard(cells, { bootstrapRounds: 0 });
  const fisher = ratingsWithFisherIntervals(cells);
  const complete = plain.models.every((entry) => entry.votes === 0 || (fisher[entry.model]?.lower != null && fisher[entry.model]?.upper != null));
  if (complete) {
    const models = plain.models.map((entry) => (entry.votes === 0 ? entry : { ...entry, ciLower: fisher[entry.model].lower!, ciUpper: fisher[entry.model].upper! }));
    plain = { ...plain, models };
  } else {
    plain = computeLeaderboard(cells, { bootstrapRounds: SEGMENT_BOOTSTRAP_ROUNDS, seed: seedFromString(`${modality}:${variant}`) });
  }
  const shrunk = shrinkTowardGlobal(cells, globalRatings, undefined, { random: createRandom(seedFromString(`shrink:${modality}:${variant}`)) });
  const played = plain.models.filter((entry) => entry.votes > 0);
  const lower = Float64Array.from(played, (entry) => shrunk.ratings[entry.model] - (entry.rating - entry.ciLower));
  const upper = Float64Array.from(played, (entry) => shrunk.ratings[entry.model] + (entry.ciUpper - entry.rating));
  const ranks = rankUpperBounds(lower, upper, new Int32Array(played.length));
  const entries = played
    .map((entry, k) => ({ ...entry, rating: shrunk.ratings[entry.model], ciLower: lower[k], ciUpper: upper[k], rankUb: ranks[k], elo: null }))
    .sort((x, y) => y.rating - x.rating || (x.model < y.model ? -1 : 1));
  const rows = toRows(entries, info);
  return {
    modality,
    variant,
    label,
    computedAt: computedAt.toISOString(),
    voteCount: cells.total,
    rows,
    matrix: matrixOf(plain, rows),
    history: [],
    votesByDay: [],
    shrinkStrength: shrunk.strength,
    styleCoefficients: null,
  };
}

interface StyleRow {
  voteId: string;
  modelAId: string;
  modelBId: string;
  outcome: Outcome;
  userId: string;
  side: "a" | "b";
  styleFeatures: unknown;
  text: string | null;
}

function toStyleCounts(features: unknown, text: string | null): StyleCounts {
  const parsed = typeof features === "string" ? (JSON.parse(features) as unknown) : features;
  if (parsed && typeof parsed === "object") {
    const record = parsed as Record<string, unknown>;
    const number = (key: string) => (typeof record[key] === "number" ? (record[key] as number) : 0);
    return { tokens: number("tokens"), headers: number("headers"), lists: number("lists"), bold: number("bold") };
  }
  return countMarkdownStyle(text ?? "");
}

const STYLED_BATTLES_QUERY = `
  SELECT v."id" AS "voteId", v."modelAId", v."modelBId", v."outcome", v."userId", r."side", r."styleFeatures",
         CASE WHEN r."styleFeatures" IS NULL THEN r."text" END AS "text"
  FROM "Vote" v
  JOIN "Turn" t ON t."battleId" = v."battleId"
  JOIN "Response" r ON r."turnId" = t."id"
  WHERE v."modality" = 'text' AND v."countsForRating" = true AND v."createdAt" >= $1`;

/** Style counts of one battle, zeroed. */
const zeroStyle = (): StyleCounts => ({ tokens: 0, headers: 0, lists: 0, bold: 0 });

function addStyle(target: StyleCounts, counts: StyleCounts): void {
  target.tokens += counts.tokens;
  target.headers += counts.headers;
  target.lists += counts.lists;
  target.bold += counts.bold;
}

/**
 * Adds per-response rows (features, or the text when a response has none) to their battles, by
 * vote id; rows of votes not in `byVote` start a battle, unless `onlyKnown`.
 */
function addStyleRows(byVote: Map<string, StyledBattle>, rows: StyleRow[], excludedUsers: Set<string>, onlyKnown = false): void {
  for (const row of rows) {
    if (excludedUsers.has(row.userId)) continue;
    let battle = byVote.get(row.voteId);
    if (!battle) {
      if (onlyKnown) continue;
      battle = { modelA: row.modelAId, modelB: row.modelBId, outcome: row.outcome, styleA: zeroStyle(), styleB: zeroStyle() };
      byVote.set(row.voteId, battle);
    }
    addStyle(row.side === "a" ? battle.styleA : battle.styleB, toStyleCounts(row.styleFeatures, row.text));
  }
}

const STYLE_FEATURE_SUMS = ["a", "b"]
  .flatMap((side) => ["tokens", "headers", "lists", "bold"].map((feature) => `total(CASE WHEN r."side" = '${side}' THEN json_extract(r."styleFeatures", '$.${feature}') END)`))
  .join(" || ' ' || ");

/**
 * SQLite: the styled text votes since ? summed per vote inside SQLite, as ONE string with a line
 * per vote: "voteId modelAId modelBId outcome userId" + the 4 style features of side a and of side b
 * (from the stored styleFeatures) + the number of responses without stored features (their text is
 * counted afterwards, see STYLED_BATTLES_QUERY). As for the vote windows, one packed string instead
 * of a row object per response keeps the driver out of the way.
 */
const SQLITE_STYLED_PACKED_QUERY = `
  SELECT group_concat(line, char(10)) FROM (
    SELECT v."id" || ' ' || v."modelAId" || ' ' || v."modelBId" || ' ' || v."outcome" || ' ' || v."userId" || ' ' ||
      ${STYLE_FEATURE_SUMS} || ' ' || (count(*) - count(r."styleFeatures")) AS line
    FROM "Vote" v
    JOIN "Turn" t ON t."battleId" = v."battleId"
    JOIN "Response" r ON r."turnId" = t."id"
    WHERE v."modality" = 'text' AND v."countsForRating" = true AND v."createdAt" >= ?
    GROUP BY v."id"
  )`;

/** SQLite: createdAt of the STYLE_CONTROL_MAX_VOTES-th newest counted text vote (parameter: that number − 1). */
const SQLITE_STYLE_CUTOFF_QUERY = `SELECT "createdAt" FROM "Vote" WHERE "modality" = 'text' AND "countsForRating" = true ORDER BY "createdAt" DESC LIMIT 1 OFFSET ?`;

/** Parses SQLITE_STYLED_PACKED_QUERY's string; `incomplete` when some response had no stored features. */
function parseStyledPacked(packed: string, excludedUsers: Set<string>): { byVote: Map<string, StyledBattle>; incomplete: boolean } {
  const byVote = new Map<string, StyledBattle>();
  let incomplete = false;
  for (const line of packed ? packed.split("\n") : []) {
    const fields = line.split(" ");
    if (fields.length !== 14) throw new Error("malformed styled vote row");
    const [voteId, modelA, modelB, outcome, userId] = fields;
    if (Number(fields[13]) > 0) incomplete = true;
    if (excludedUsers.has(userId)) continue;
    const counts = (offset: number): StyleCounts => ({ tokens: Number(fields[offset]), headers: Number(fields[offset + 1]), lists: Number(fields[offset + 2]), bold: Number(fields[offset + 3]) });
    byVote.set(voteId, { modelA, modelB, outcome: outcome as Outcome, styleA: counts(5), styleB: counts(9) });
  }
  return { byVote, incomplete };
}

/**
 * The most recent counted text votes with both sides' style (summed over turns). On SQLite,
 * `prefetched` is SQLITE_STYLED_PACKED_QUERY's string when the read-ahead worker already ran it.
 */
async function loadStyledBattles(db: Db, excludedUsers: Set<string>, prefetched: string | null = null): Promise<StyledBattle[]> {
  const file = prefetched === null ? await sqliteDatabaseFile(db) : null;
  const since = async () => {
    const cutoff = await db.vote.findMany({
      where: countedVoteWhere("text"),
      orderBy: { createdAt: "desc" },
      skip: STYLE_CONTROL_MAX_VOTES - 1,
      take: 1,
      select: { createdAt: true },
    });
    return cutoff[0]?.createdAt ?? new Date(0);
  };
  if (isPostgres || (prefetched === null && !file)) {
    const byVote = new Map<string, StyledBattle>();
    addStyleRows(byVote, await db.$queryRawUnsafe<StyleRow[]>(STYLED_BATTLES_QUERY, await since()), excludedUsers);
    return [...byVote.values()];
  }
  const from = sqliteDate(await since());
  const packed = prefetched ?? (await readStyledPackedOffThread(file!)) ?? (await readStyledPackedHere(db, from));
  const { byVote, incomplete } = parseStyledPacked(packed, excludedUsers);
  if (incomplete) {
    // Responses without stored features (older rows): their text is counted here.
    const rows = await db.$queryRawUnsafe<StyleRow[]>(`${STYLED_BATTLES_QUERY} AND r."styleFeatures" IS NULL`, new Date(Date.parse(from)));
    addStyleRows(byVote, rows, excludedUsers, true);
  }
  return [...byVote.values()];
}

/** SQLITE_STYLED_PACKED_QUERY in this thread (when no worker can start). */
async function readStyledPackedHere(db: Db, from: string): Promise<string> {
  const direct = await openSqliteVoteReader(db);
  try {
    return (direct?.all(SQLITE_STYLED_PACKED_QUERY, from)[0]?.[0] as string | null) ?? "";
  } finally {
    direct?.close();
  }
}

/**
 * Style-controlled leaderboard: contextual BT (length and markdown differences as covariates) on
 * the most recent styled text votes. Intervals are the plain bootstrap widths of the same votes,
 * centred on the style-controlled rating.
 */
async function styleData(input: VariantInput, battles: StyledBattle[]): Promise<TLeaderboardData | null> {
  if (battles.length === 0) return null;
  const { modality, variant, label, computedAt, info } = input;
  const styled = computeStyleControlledRatings(battles);
  await yieldToEventLoop();
  const plain = await withPauses(computeLeaderboardInSteps(battles, { bootstrapRounds: SEGMENT_BOOTSTRAP_ROUNDS, seed: seedFromString(`${modality}:${variant}`) }));
  const lower = Float64Array.from(plain.models, (entry) => styled.ratings[entry.model] - (entry.rating - entry.ciLower));
  const upper = Float64Array.from(plain.models, (entry) => styled.ratings[entry.model] + (entry.ciUpper - entry.rating));
  const groups = new Int32Array(plain.models.map((entry) => entry.group));
  const ranks = rankUpperBounds(lower, upper, groups);
  const entries = plain.models
    .map((entry, k) => ({ ...entry, rating: styled.ratings[entry.model], ciLower: lower[k], ciUpper: upper[k], rankUb: ranks[k], elo: null }))
    .sort((x, y) => x.group - y.group || y.rating - x.rating || (x.model < y.model ? -1 : 1));
  const rows = toRows(entries, info);
  return {
    modality,
    variant,
    label,
    computedAt: computedAt.toISOString(),
    voteCount: battles.length,
    rows,
    matrix: matrixOf(plain, rows),
    history: [],
    votesByDay: [],
    shrinkStrength: null,
    styleCoefficients: styled.coefficients,
  };
}

export const segmentVariant = (conditions: readonly TSegmentCondition[]) => `${SEGMENT_VARIANT_PREFIX}${segmentKey(conditions)}`;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a stepwise computation (computeLeaderboardInSteps) letting the event loop run between its steps. */
async function withPauses<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await yieldToEventLoop();
  }
}

interface TModalityFit {
  /** Of the modality's vote log, exclusions, model names and settings: equal means the stored snapshots are current. */
  fingerprint: string;
  /** Variants stored from the same fingerprint, kept as they are; empty when the modality is refitted. */
  current: string[];
  /** The overall and segment snapshots fitted (none when `current` is not empty). */
  fitted: TLeaderboardData[];
}

/** The overall and segment snapshots of one modality, unless the stored ones are current (and not `rebuild`). */
async function fitModality(
  db: Db,
  state: AggregateState,
  modality: TModality,
  context: { info: Map<string, ModelInfo>; infoFingerprint: number; now: Date; rebuild: boolean },
): Promise<TModalityFit> {
  const { aggregate, log } = state.modalities[modality];
  const { info, infoFingerprint, now, rebuild } = context;
  const fingerprint = [SNAPSHOT_ALGORITHM_VERSION, voteLogFingerprint(log), state.excludedFingerprint, infoFingerprint, env.LEADERBOARD_BOOTSTRAP_ROUNDS, env.PROVISIONAL_MIN_VOTES].join("|");
  const current = rebuild ? [] : await currentSnapshotVariants(db, modality, fingerprint);
  const fitted: TLeaderboardData[] = [];
  if (current.length > 0 || aggregate.voteCount === 0) return { fingerprint, current, fitted };
  const cells = aggregate.cells();
  const base = { modality, computedAt: now, aggregate, info };
  const overall = await overallData({ ...base, variant: OVERALL_VARIANT, label: "Overall", cells });
  fitted.push(overall);
  const globalRatings = Object.fromEntries(overall.rows.map((row) => [row.modelId, row.rating]));
  for (const segment of singleConditionSegments()) {
    const segmentCells = aggregate.segmentCells(segment);
    if (segmentCells.total < SEGMENT_MIN_VOTES) continue;
    // Fits run on the server's event loop: let requests through between two of them.
    await yieldToEventLoop();
    fitted.push(segmentData({ ...base, variant: segmentVariant(segment), label: segmentLabel(segment), cells: segmentCells }, globalRatings));
  }
  return { fingerprint, current, fitted };
}

export interface TRecomputeResult {
  /** Snapshots written this time. */
  snapshots: number;
  /** Modalities whose overall and segment snapshots were already computed from the same votes and settings, so kept as they are. */
  unchangedModalities: TModality[];
  /** Whether the aggregates were rebuilt (votes read again, or replayed after an exclusion change). */
  rebuilt: boolean;
  /** "replay": online Elo replayed from the first vote; "incremental": only new votes were fed. */
  eloMode: "replay" | "incremental";
  /**
   * "read": every counted vote was read from the database; "checkpoint": restored from the stored
   * vote-log checkpoint, then the votes after it read; "replay": replayed from memory after an
   * exclusion change; "incremental": new votes only.
   */
  refresh: TRefreshMode;
  voteCounts: Record<TModality, number>;
  seconds: number;
  /** Seconds per phase: reading votes into the aggregates, fitting, style control, storing. */
  phases: { aggregate: number; fit: number; style: number; store: number };
}

/**
 * Recomputes and stores every leaderboard snapshot: per modality "overall", "style" (text) and one
 * "segment:<key>" per single-condition persona segment with at least SEGMENT_MIN_VOTES votes;
 * snapshots of variants that no longer qualify are deleted. A modality whose snapshots were stored
 * from the same vote log, exclusions, model names and settings (its fingerprint in
 * LeaderboardState) is neither refitted nor rewritten, unless `rebuild`. Style control is refitted
 * only after STYLE_REFIT_MIN_NEW_VOTES new text votes. Also clears the personal cache.
 */
export async function computeAndStoreLeaderboards(db: Db, options: { now?: Date; rebuild?: boolean } = {}): Promise<TRecomputeResult> {
  // Category boards read the tags: voted battles are tagged before they are aggregated.
  await categorizePendingBattles(db);
  const started = performance.now();
  const now = options.now ?? new Date();
  const phases = { aggregate: 0, fit: 0, style: 0, store: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof phases) => {
    const at = performance.now();
    phases[phase] += (at - mark) / 1000;
    mark = at;
  };
  const rebuild = options.rebuild ?? false;
  const info = await loadModelInfo(db);
  const infoFingerprint = seedFromString(JSON.stringify([...info.entries()].sort(([x], [y]) => (x < y ? -1 : 1))));
  // During a full read, a modality is fitted as soon as its votes are in, while the read-ahead
  // worker reads the next modality's votes (and then the styled votes) on the other core.
  const earlyFits = new Map<TModality, Promise<TModalityFit>>();
  const onModalityRead = (readState: AggregateState, modality: TModality) => {
    const fit = fitModality(db, readState, modality, { info, infoFingerprint, now, rebuild });
    fit.catch(() => undefined);
    earlyFits.set(modality, fit);
  };
  // And style control is fitted from the styled votes a worker packs before the text votes.
  const early: { style: Promise<TLeaderboardData | null> | null } = { style: null };
  const styleInput = (aggregate: ModalityAggregate) => ({ modality: "text" as const, computedAt: now, aggregate, info, variant: STYLE_VARIANT, label: "Style control", cells: aggregate.cells() });
  const onStyleRows = (readState: AggregateState, rows: string) => {
    const { aggregate } = readState.modalities.text;
    early.style = loadStyledBattles(db, readState.excludedUsers, rows).then((battles) => styleData(styleInput(aggregate), battles));
    early.style.catch(() => undefined);
  };
  const { state, mode, checkpointSaved } = await refreshAggregates(db, now, { forceRebuild: rebuild, onModalityRead, onStyleRows });
  const rebuilt = mode !== "incremental";
  lap("aggregate");
  const voteCounts = {} as Record<TModality, number>;
  let snapshots = 0;
  const unchangedModalities: TModality[] = [];
  for (const modality of MODALITIES) {
    const { aggregate } = state.modalities[modality];
    voteCounts[modality] = aggregate.voteCount;
    const { fingerprint, current, fitted } = await (earlyFits.get(modality) ?? fitModality(db, state, modality, { info, infoFingerprint, now, rebuild }));
    const stored = [...fitted];
    /** Variants left as they are in the database this time. */
    const kept = current.filter((variant) => variant !== STYLE_VARIANT);
    if (current.length > 0) unchangedModalities.push(modality);
    lap("fit");
    if (modality === "text" && aggregate.voteCount > 0) {
      // A new process (or one restored from a checkpoint) keeps the stored fit while it is recent.
      if (state.styleFittedAt === null && !rebuild) state.styleFittedAt = await storedStyleFit(db, state.excludedFingerprint);
      const due = state.styleFittedAt === null || Math.abs(aggregate.voteCount - state.styleFittedAt) >= STYLE_REFIT_MIN_NEW_VOTES;
      if (due) {
        const fitNow = async () => styleData(styleInput(aggregate), await loadStyledBattles(db, state.excludedUsers));
        // (An early fit saw the same votes and exclusions as this run.)
        const style = early.style ? await early.style.catch(fitNow) : await fitNow();
        if (style) stored.push(style);
        state.styleFittedAt = aggregate.voteCount;
        await recordStyleFit(db, { fittedAt: aggregate.voteCount, excludedFingerprint: state.excludedFingerprint });
      } else kept.push(STYLE_VARIANT);
      lap("style");
    }
    await writeLeaderboardRows(db, [
      { kind: "keep-only", modality, variants: [...stored.map((data) => data.variant), ...kept] },
      ...stored.map((data): TLeaderboardWrite => ({ kind: "snapshot", data: ZLeaderboardDataSchema.parse(data), computedAt: now })),
      ...(current.length === 0 ? [snapshotFingerprintWrite(modality, fingerprint)] : []),
    ]);
    snapshots += stored.length;
    lap("store");
  }
  await checkpointSaved;
  globalForLeaderboards.personalCache?.clear();
  return {
    snapshots,
    unchangedModalities,
    rebuilt,
    eloMode: rebuilt ? "replay" : "incremental",
    refresh: mode,
    voteCounts,
    seconds: (performance.now() - started) / 1000,
    phases,
  };
}

const recompute = (globalForLeaderboards.leaderboardRecompute ??= { timer: null, running: null, dirty: false });

/**
 * Asks for a recomputation after new votes: debounced by LEADERBOARD_DEBOUNCE_MS so a burst of
 * votes costs one run, never concurrent with another run in this process (a request during a run
 * schedules one more). Returns at once; failures are logged, the next vote or job retries.
 */
export function scheduleLeaderboardRecompute(db?: Db): void {
  recompute.dirty = true;
  if (recompute.timer) return;
  recompute.timer = setTimeout(() => {
    recompute.timer = null;
    void runScheduledRecompute(db);
  }, env.LEADERBOARD_DEBOUNCE_MS);
  recompute.timer.unref?.();
}

async function runScheduledRecompute(db?: Db): Promise<void> {
  if (recompute.running) {
    await recompute.running.catch(() => undefined);
    if (recompute.timer) return;
  }
  if (!recompute.dirty) return;
  recompute.dirty = false;
  const database = db ?? (await import("@/lib/server/db")).db;
  recompute.running = computeAndStoreLeaderboards(database).catch((error: unknown) => {
    console.error("[leaderboards] recomputation failed", error);
  });
  await recompute.running;
  recompute.running = null;
  if (recompute.dirty && !recompute.timer) scheduleLeaderboardRecompute(db);
}

/**
 * Background job body: recomputes when there is no snapshot yet or when counted votes were cast
 * after the newest snapshot (covers start-up and votes taken by another instance).
 */
export async function recomputeLeaderboardsIfStale(db: Db, now: Date = new Date()): Promise<boolean> {
  const newest = await db.leaderboardSnapshot.findFirst({ orderBy: { computedAt: "desc" }, select: { computedAt: true } });
  const newer = await db.vote.findFirst({ where: { countsForRating: true, ...(newest ? { createdAt: { gt: newest.computedAt } } : {}) }, select: { id: true } });
  if (!newer) return false;
  await computeAndStoreLeaderboards(db, { now });
  return true;
}

/**
 * Recomputes on start and every minute when stale, once across instances. Registered when this
 * module loads, so lib/server/jobs/catalog.ts only needs `import "@/lib/server/services/leaderboards"`.
 */
export const LEADERBOARD_JOB: BackgroundJob = {
  name: "leaderboards:recompute",
  intervalMs: 60_000,
  run: ({ db, now }) => recomputeLeaderboardsIfStale(db, now).then(() => undefined),
};
registerBackgroundJob(LEADERBOARD_JOB);

export interface TLeaderboardView {
  data: TLeaderboardData | null;
  /** Segment variants stored for this modality, for the filter menu. */
  segments: { variant: string; label: string; voteCount: number }[];
  hasStyle: boolean;
}

const ZVariantSchema = (variant: string) =>
  variant === OVERALL_VARIANT ||
  variant === STYLE_VARIANT ||
  (variant.startsWith(SEGMENT_VARIANT_PREFIX) && parseSegmentKey(variant.slice(SEGMENT_VARIANT_PREFIX.length)) !== null);

/** Whether `variant` names a leaderboard variant ("overall", "style" or "segment:<key>"). */
export function isLeaderboardVariant(variant: string): boolean {
  return ZVariantSchema(variant);
}

/**
 * The stored leaderboard of one modality and variant (null when none was computed: no votes yet,
 * or a segment too small), with the list of available variants. Asks for a recomputation when
 * votes exist but no snapshot does (first start).
 */
export async function getLeaderboard(db: Db, modality: TModality, variant: string = OVERALL_VARIANT): Promise<TLeaderboardView> {
  if (!isLeaderboardVariant(variant)) throw new AppError("BAD_REQUEST", `Unknown leaderboard variant "${variant}".`);
  const snapshots = await db.leaderboardSnapshot.findMany({ where: { modality }, select: { variant: true, voteCount: true } });
  const snapshot = await db.leaderboardSnapshot.findUnique({ where: { modality_variant: { modality, variant } }, select: { data: true } });
  if (snapshots.length === 0 && (await db.vote.findFirst({ where: { modality, countsForRating: true }, select: { id: true } }))) {
    scheduleLeaderboardRecompute();
  }
  const data = snapshot ? ZLeaderboardDataSchema.parse(snapshot.data) : null;
  return {
    data,
    segments: snapshots
      .filter((row) => row.variant.startsWith(SEGMENT_VARIANT_PREFIX))
      .map((row) => ({ variant: row.variant, label: segmentLabel(parseSegmentKey(row.variant.slice(SEGMENT_VARIANT_PREFIX.length)) ?? []), voteCount: row.voteCount }))
      .sort((x, y) => (x.variant < y.variant ? -1 : 1)),
    hasStyle: snapshots.some((row) => row.variant === STYLE_VARIANT),
  };
}

export interface TPersonalLeaderboard {
  data: TLeaderboardData | null;
  /** Why there is none: no persona, or no matching segment with enough votes. */
  reason: "no_persona" | "not_enough_votes" | null;
}

/**
 * "For people like you": the most specific combination of the user's persona conditions whose
 * segment has at least PERSONAL_MIN_VOTES votes, shrunk toward the global ratings. Computed from
 * the in-memory aggregate (refreshed first) and cached for a minute per user and modality.
 */
export async function getPersonalLeaderboard(db: Db, userId: string, modality: TModality, now: Date = new Date()): Promise<TPersonalLeaderboard> {
  const persona = await db.personaVersion.findFirst({ where: { userId }, orderBy: { version: "desc" }, select: { data: true } });
  const parsed = persona ? ZPersonaSchema.safeParse(persona.data) : null;
  const conditions = parsed?.success ? personaSegmentConditions(parsed.data) : [];
  if (conditions.length === 0) return { data: null, reason: "no_persona" };

  const cache = (globalForLeaderboards.personalCache ??= new Map());
  const cacheKey = `${modality}|${segmentKey(conditions)}`;
  const cached = cache.get(cacheKey);
  if (cached && now.getTime() - cached.at < PERSONAL_CACHE_MS) return { data: cached.data, reason: null };

  const { state } = await refreshAggregates(db, now, { forceRebuild: false });
  const { aggregate } = state.modalities[modality];
  if (aggregate.voteCount === 0) return { data: null, reason: "not_enough_votes" };
  const info = await loadModelInfo(db);
  const overall = computeLeaderboard(aggregate.cells(), { bootstrapRounds: 0 });
  const globalRatings = Object.fromEntries(overall.models.map((entry) => [entry.model, entry.rating]));
  for (const segment of personalSegmentCandidates(conditions)) {
    const cells = aggregate.segmentCells(segment);
    if (cells.total < PERSONAL_MIN_VOTES) continue;
    const data = ZLeaderboardDataSchema.parse(
      segmentData(
        { modality, variant: `personal:${segmentKey(segment)}`, label: `People like you (${segmentLabel(segment)})`, computedAt: now, cells, aggregate, info },
        globalRatings,
      ),
    );
    cache.set(cacheKey, { at: now.getTime(), data });
    return { data, reason: null };
  }
  return { data: null, reason: "not_enough_votes" };
}

/** Test hook: forgets the in-memory aggregates and personal cache of `db`. */
export function forgetLeaderboardState(db: Db): void {
  states.delete(db);
  globalForLeaderboards.personalCache?.clear();
}
