import "server-only";
import { Dictionary, ModalityAggregate } from "@/lib/domain/leaderboard/aggregate";
import type { TPartialCells } from "@/lib/domain/leaderboard/cells";
import { decodeVoteLogCheckpointInSteps, encodeVoteLogCheckpointInSteps } from "@/lib/domain/leaderboard/checkpoint";
import { MODALITIES, type TModality } from "@/lib/domain/vocabulary";
import { voteLogColumnsFrom, type VoteLog } from "@/lib/domain/leaderboard/vote-log";
import type { Db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { leaderboardStore, type LeaderboardReader } from "@/lib/server/store/leaderboard-store";
import { createPackedWindowNumbering, type TPackedWindowColumns, type TPackedWindowNumbering } from "./packed-vote-window";
import { styleJob, type TReadAheadJob } from "./read-ahead";
import type { TPackedStyledVotes } from "./styled-rows";
import { VOTE_LOG_STATE_KEY, writeStateRowOffThread } from "./snapshot-store";
import {
  emptyState,
  excludedVoterFlags,
  loadExcludedUsers,
  loadPersonaTimelines,
  states,
  totalLogged,
  type AggregateState,
  type ModalityState,
  type TRefreshMode,
} from "./state";
import { READ_WINDOW_MS } from "./vote-store";
import { WindowCells, type PersonaTimeline, type TWindowClasses } from "./window-cells";
import { runStepsYielding, timeSlices, yieldToEventLoop } from "@/lib/server/yielding";

/** Bringing the in-memory aggregates (./state.ts) up to date with the counted votes in the database. */

/** Order of the modalities in a full read (see feedFromReadAhead). */
const READ_ORDER: readonly TModality[] = ["image", "audio", "text"];
/**
 * Longest stretch (ms) of feeding or replaying votes without yielding to the event loop: a request
 * waits at most about this long for it on a quiet machine (a loaded one stretches each stretch by its
 * run queue, so they are kept short). Votes are fed in chunks of FEED_CHUNK between the checks.
 */
const FEED_SLICE_MS = 5;
const FEED_CHUNK = 512;
/**
 * The vote-log checkpoint (≈ 21 bytes a vote) is rewritten after this many new votes; a new
 * process reads at most these many vote rows on top of it.
 */
const CHECKPOINT_MIN_NEW_VOTES = 20_000;

/**
 * What feeding one modality's windows needs: the parser's numbering of the windows' strings and,
 * per parser number, the index in the modality's dictionaries (per annotator: voter index and
 * exclusion; per persona class: the index of the class numbered by the windows' WindowCells).
 */
interface FeedContext {
  state: AggregateState;
  /** Numbering of the parser in this thread (windows read here); the read-ahead thread keeps its own. */
  numbering: TPackedWindowNumbering;
  models: number[];
  days: number[];
  personaClasses: number[];
  annotators: { voter: number; excluded: boolean }[];
}

const feedContext = (state: AggregateState): FeedContext => ({ state, numbering: createPackedWindowNumbering(), models: [], days: [], personaClasses: [], annotators: [] });

/**
 * Feeds votes [from, to) of one parsed window (numbered by the same parser, and classified by the
 * same WindowCells, as the earlier windows of this context) into the modality's log, and takes
 * Elo's step for those of annotators not excluded: the ordered part of a vote. Their cells come
 * from the WindowCells (mergeCells). The first range starts at 0 (it numbers the window's new strings).
 */
function feedWindowColumns(columns: TPackedWindowColumns, classes: TWindowClasses, entry: ModalityState, context: FeedContext, from = 0, to = columns.count): void {
  const { log, aggregate, cursor } = entry;
  const { models, personaClasses, days } = log.dictionaries;
  if (from === 0) {
    for (const model of columns.newModels) context.models.push(models.index(model));
    for (const day of columns.newDays) context.days.push(days.index(day));
    for (const personaClass of classes.newPersonaClasses) context.personaClasses.push(personaClasses.index(personaClass));
    for (const userId of columns.newUsers) context.annotators.push({ voter: context.state.voters.index(userId), excluded: context.state.excludedUsers.has(userId) });
  }
  for (let k = from; k < to; k++) {
    const modelA = context.models[columns.modelA[k]];
    const modelB = context.models[columns.modelB[k]];
    const code = columns.outcome[k];
    const annotator = context.annotators[columns.user[k]];
    log.append(modelA, modelB, code, annotator.voter, context.personaClasses[classes.personaClass[k]], context.days[columns.day[k]]);
    if (!annotator.excluded) aggregate.addElo(modelA, modelB, code);
  }
  cursor.countedThrough += to - from;
}

/** Adds cells counted off the log (a WindowCells' partial) into the modality's aggregate, a persona class per step between pauses. */
const mergeCells = (entry: ModalityState, cells: TPartialCells) => runStepsYielding(entry.aggregate.mergePartialInSteps(cells), FEED_SLICE_MS);

/** Feeds one window's votes chunk by chunk, yielding between them: a window holds tens of thousands of votes. */
async function feedWindowInChunks(columns: TPackedWindowColumns, classes: TWindowClasses, entry: ModalityState, context: FeedContext, slice: ReturnType<typeof timeSlices>): Promise<void> {
  for (let from = 0; from < columns.count || from === 0; from += FEED_CHUNK) {
    feedWindowColumns(columns, classes, entry, context, from, Math.min(columns.count, from + FEED_CHUNK));
    if (slice.due) await slice.pause();
  }
}

/** Feeds the counted votes after the cursor (up to `until`), read on this thread, into the log and aggregate, by time windows. */
async function feedNewVotes(modality: TModality, entry: ModalityState, context: FeedContext, timelines: Map<string, PersonaTimeline>, until: Date, reader: LeaderboardReader): Promise<void> {
  const { cursor } = entry;
  let windowStart: number | null = cursor.time === null ? null : cursor.time + 1;
  if (windowStart === null) {
    windowStart = await reader.firstVoteTime(modality, 0, until.getTime());
    if (windowStart === null) return;
  }
  const cells = new WindowCells(timelines, context.state.excludedUsers);
  const slice = timeSlices(FEED_SLICE_MS);
  while (windowStart !== null && windowStart <= until.getTime()) {
    const windowEnd = Math.min(windowStart + READ_WINDOW_MS, until.getTime() + 1);
    const { columns, last } = await reader.readVoteWindow(modality, { from: new Date(windowStart), to: new Date(windowEnd) }, context.numbering);
    await feedWindowInChunks(columns, cells.add(columns, context.numbering), entry, context, slice);
    if (last !== null) cursor.time = last;
    // Jump over stretches without votes instead of querying empty windows.
    windowStart = await reader.firstVoteTime(modality, windowEnd, until.getTime());
  }
  await mergeCells(entry, cells.partial(context.numbering));
}

export interface TRefreshOptions {
  forceRebuild: boolean;
  /**
   * Called during a full read as soon as a modality's aggregate is complete: the caller can fit
   * it while the read-ahead thread reads the next modalities.
   */
  onModalityRead?: (state: AggregateState, modality: TModality) => void;
  /**
   * During a full read, called with the styled text votes packed by the read-ahead thread
   * (lib/server/store/leaderboard-sqlite-queries.ts, styledPackedQuery) before any vote is read: the caller can fit style control
   * while they are.
   */
  onStyleRows?: (state: AggregateState, rows: TPackedStyledVotes) => void;
}

/**
 * Feeds every modality from the read-ahead thread: its windows' votes into the logs (with Elo's
 * steps) in time order, then its cells of the modality into the aggregate. False when the store
 * reads on this thread; a failure throws (the caller forgets the state, which may hold part of the
 * votes).
 *
 * The styled votes are packed first: style control, the longest single fit (about as long as the
 * whole vote read), is fitted while the votes are read; packed just before the text votes, its fit
 * was the last of a traced run to end, after the text boards. The modalities are read in READ_ORDER, text
 * (the largest, as a rule) last: the others are fitted while the text votes are read.
 */
async function feedFromReadAhead(
  state: AggregateState,
  reader: LeaderboardReader,
  timelines: Promise<Map<string, PersonaTimeline>>,
  until: Date,
  options: Pick<TRefreshOptions, "onModalityRead" | "onStyleRows">,
): Promise<boolean> {
  const voteJob = (modality: TModality) => {
    const { time } = state.modalities[modality].cursor;
    return { modality, from: time === null ? 0 : time + 1, until: until.getTime() };
  };
  const jobs: TReadAheadJob[] = [...(options.onStyleRows ? [styleJob()] : []), ...READ_ORDER.map(voteJob)];
  const readAhead = await reader.startReadAhead(
    jobs,
    timelines.then((loaded) => ({ timelines: loaded, excludedUsers: [...state.excludedUsers] })),
  );
  if (!readAhead) return false;
  const next = async () => {
    const message = await readAhead.next();
    if ("failed" in message) throw new AppError("INTERNAL", `Reading the votes failed: ${message.failed}`);
    return message;
  };
  const outOfOrder = () => new AppError("INTERNAL", "Vote windows arrived out of order.");
  try {
    const slice = timeSlices(FEED_SLICE_MS);
    for (const job of jobs) {
      if ("style" in job) {
        const message = await next();
        if (!("style" in message)) throw outOfOrder();
        options.onStyleRows?.(state, message.style);
        continue;
      }
      const { modality } = job;
      const entry = state.modalities[modality];
      const count = await next();
      if (!("votes" in count) || count.modality !== modality) throw outOfOrder();
      // Sized once (allocated while the log is short), a column per step: doubling six columns of half a
      // million votes held the event loop. With an eighth more room, as a restored checkpoint's columns
      // (voteLogColumn): the next runs' votes are appended without copying the whole log at once.
      const votes = entry.log.length + count.votes;
      await runStepsYielding(entry.log.reserveInSteps(votes + (votes >> 3)), FEED_SLICE_MS);
      const context = feedContext(state);
      for (;;) {
        const message = await next();
        if ("style" in message || "votes" in message || message.modality !== modality) throw outOfOrder();
        if ("done" in message) {
          await mergeCells(entry, message.cells);
          break;
        }
        await feedWindowInChunks(message.columns, message.classes, entry, context, slice);
        if (message.last !== null) entry.cursor.time = message.last;
      }
      options.onModalityRead?.(state, modality);
    }
    return true;
  } finally {
    readAhead.close();
  }
}

/**
 * A fresh aggregate of the logged votes whose voter is not excluded (as aggregateVoteLog), fed in
 * log order in chunks, yielding after FEED_SLICE_MS of them (a million votes take about half a
 * second): a replay never holds the event loop for long.
 */
async function replayVoteLog(log: VoteLog, isExcluded: ArrayLike<number>): Promise<ModalityAggregate> {
  const aggregate = new ModalityAggregate(log.dictionaries);
  await runStepsYielding(aggregate.defineClassesInSteps(), FEED_SLICE_MS);
  const slice = timeSlices(FEED_SLICE_MS);
  for (let first = 0; first < log.length; first += FEED_CHUNK) {
    aggregate.addIndexedVotes(voteLogColumnsFrom(log, first), Math.min(FEED_CHUNK, log.length - first), isExcluded);
    if (slice.due) await slice.pause();
  }
  return aggregate;
}

/** Whether the counted votes up to a cursor differ from what was fed (a vote invalidated, deleted, or committed late). */
async function votesChangedUpTo(db: Db, cursors: { modality: TModality; cursor: ModalityState["cursor"] }[]): Promise<boolean> {
  const counts = await leaderboardStore(db).countCountedThrough(cursors.map(({ modality, cursor }) => ({ modality, time: cursor.time })));
  return cursors.some(({ cursor }, k) => counts[k] !== cursor.countedThrough);
}

/**
 * The state stored by saveCheckpoint, with aggregates replayed for the current exclusions; null
 * when there is none, it does not decode, or counted votes changed up to one of its cursors.
 */
async function restoreCheckpoint(db: Db, excluded: { fingerprint: string; users: Set<string> }): Promise<AggregateState | null> {
  const data = await leaderboardStore(db).readStateRow(VOTE_LOG_STATE_KEY);
  const checkpoint = data ? await runStepsYielding(decodeVoteLogCheckpointInSteps(data)) : null;
  if (!checkpoint) return null;
  if (MODALITIES.some((modality) => !checkpoint.logs[modality])) return null;
  if (await votesChangedUpTo(db, MODALITIES.map((modality) => ({ modality, cursor: checkpoint.logs[modality].cursor })))) return null;
  const voters = Dictionary.from(checkpoint.voters);
  const isExcluded = excludedVoterFlags(voters, excluded.users);
  const modalities = {} as AggregateState["modalities"];
  for (const modality of MODALITIES) {
    const { log, cursor } = checkpoint.logs[modality];
    modalities[modality] = { log, aggregate: await replayVoteLog(log, isExcluded), cursor: { ...cursor } };
  }
  const state: AggregateState = { styleFittedAt: null, excludedFingerprint: excluded.fingerprint, excludedUsers: excluded.users, voters, checkpointedVotes: 0, modalities };
  state.checkpointedVotes = totalLogged(state);
  return state;
}

/**
 * Stores the logs and cursors after a full read, or once CHECKPOINT_MIN_NEW_VOTES votes were logged
 * since the last checkpoint: encoded here in steps, before the refresh is over (a personal
 * leaderboard's refresh may append to the logs after it), then on SQLite the row (≈ 8 MB at a
 * million votes) is written by a thread of its own, while this one fits the text modality; `saved`
 * settles when it is stored. Writes are chained, so an older checkpoint never lands after a newer one.
 */
async function saveCheckpointIfDue(db: Db, state: AggregateState, mode: TRefreshMode): Promise<{ saved: Promise<void> }> {
  const logged = totalLogged(state);
  if (logged === 0 || (mode !== "read" && logged - state.checkpointedVotes < CHECKPOINT_MIN_NEW_VOTES)) return { saved: Promise.resolve() };
  const logs = Object.fromEntries(MODALITIES.map((modality) => [modality, state.modalities[modality]]));
  const data = await runStepsYielding(encodeVoteLogCheckpointInSteps({ voters: state.voters.values, logs }));
  state.checkpointedVotes = logged;
  const written = checkpointWrites.then(() => writeStateRowOffThread(db, VOTE_LOG_STATE_KEY, data));
  checkpointWrites = written.catch(() => undefined);
  const saved = written.catch((error: unknown) => {
    // The next run writes it again; the leaderboards themselves do not depend on it.
    state.checkpointedVotes = 0;
    console.warn("[leaderboards] storing the vote-log checkpoint failed:", error instanceof Error ? error.message : error);
  });
  return { saved };
}
let checkpointWrites: Promise<unknown> = Promise.resolve();

/**
 * Brings the in-memory logs and aggregates up to date with the database (see the module comment
 * for when they are re-read or replayed). Returns how.
 */
export type TRefreshed = { state: AggregateState; mode: TRefreshMode; checkpointSaved: Promise<void> };

export function refreshAggregates(db: Db, now: Date, options: TRefreshOptions): Promise<TRefreshed> {
  // One refresh at a time: two concurrent feeders would both feed the votes after the same cursor.
  const run = refreshQueue.then(() => refreshAggregatesNow(db, now, options));
  refreshQueue = run.catch(() => undefined);
  return run;
}
let refreshQueue: Promise<unknown> = Promise.resolve();

async function refreshAggregatesNow(db: Db, now: Date, options: TRefreshOptions): Promise<TRefreshed> {
  const { forceRebuild } = options;
  const excluded = await loadExcludedUsers(db);
  // (SQLite's queries resolve as microtasks: see computeAndStoreNow.)
  await yieldToEventLoop();
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
    const current = state;
    if (await votesChangedUpTo(db, MODALITIES.map((modality) => ({ modality, cursor: current.modalities[modality].cursor })))) mode = "read";
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
      entry.aggregate = await replayVoteLog(entry.log, isExcluded);
    }
    state.styleFittedAt = null;
  }
  await yieldToEventLoop();
  const reader = await leaderboardStore(db).openReader();
  try {
    const current = state;
    const timelinesLoaded = loadPersonaTimelines(db, reader);
    timelinesLoaded.catch(() => undefined);
    const readAhead = mode === "read" && (await feedFromReadAhead(current, reader, timelinesLoaded, now, options));
    if (!readAhead) {
      const timelines = await timelinesLoaded;
      // Persona class indices belong to each modality's dictionaries, so the feeding context does too.
      for (const modality of MODALITIES) await feedNewVotes(modality, current.modalities[modality], feedContext(current), timelines, now, reader);
    }
  } catch (error) {
    // Part of the votes may have been fed: forget the state, so that the next run reads them all again.
    states.delete(db);
    throw error;
  } finally {
    reader.close();
  }
  const { saved: checkpointSaved } = await saveCheckpointIfDue(db, state, mode);
  return { state, mode, checkpointSaved };
}

