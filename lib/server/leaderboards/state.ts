import "server-only";
import { Dictionary, ModalityAggregate } from "@/lib/domain/leaderboard/aggregate";
import { type TLeaderboardData } from "@/lib/domain/leaderboard/snapshot";
import { MODALITIES, type TModality } from "@/lib/domain/vocabulary";
import { VoteLog } from "@/lib/domain/leaderboard/vote-log";
import { seedFromString } from "@/lib/domain/random";
import type { Db } from "@/lib/server/db";
import { leaderboardStore, type LeaderboardReader } from "@/lib/server/store/leaderboard-store";
import { conditionKeysOf, personaSegmentConditions, segmentKey } from "@/lib/domain/leaderboard/segments";
import { ZPersonaSchema } from "@/lib/domain/persona/schema";
import { runStepsYielding, yieldToEventLoop } from "@/lib/server/yielding";
import type { PersonaTimeline } from "./window-cells";

/**
 * The in-memory aggregate state of the leaderboards, one per database client, kept on globalThis
 * (Next's dev server reloads modules).
 *
 * Data flow: counted votes (countsForRating; deleted accounts' votes still count) are read IN TIME
 * ORDER into one in-memory VoteLog per modality (typed columns, annotators as numbers), and the
 * votes of annotators not excluded are fed into a ModalityAggregate (cells, online Elo, cells per
 * persona class, per persona condition and per day). A recomputation reads only the votes after the
 * cursor (./refresh.ts), then fits every variant from the aggregated cells, never from raw votes
 * (./fit.ts):
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


interface ModalityCursor {
  /** createdAt (ms) of the newest vote fed, null before the first. */
  time: number | null;
  /**
   * Counted votes (excluded annotators included) with createdAt ≤ time, as fed. When the database
   * disagrees, a vote was invalidated, deleted, or committed late with a timestamp ≤ time: re-read.
   */
  countedThrough: number;
}

export interface ModalityState {
  /** Every counted vote read so far, excluded annotators included, so exclusions replay from memory. */
  log: VoteLog;
  /** The log without the excluded annotators' votes. */
  aggregate: ModalityAggregate;
  cursor: ModalityCursor;
}

export interface AggregateState {
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

export const globalForLeaderboards = globalThis as unknown as {
  leaderboardState?: WeakMap<object, AggregateState>;
  leaderboardRecompute?: { timer: ReturnType<typeof setTimeout> | null; running: Promise<unknown> | null; dirty: boolean; lane: Promise<unknown> };
  personalCache?: Map<string, { at: number; data: TLeaderboardData }>;
  personaTimelines?: WeakMap<object, { fingerprint: string; timelines: Map<string, PersonaTimeline> }>;
};
export const states = (globalForLeaderboards.leaderboardState ??= new WeakMap());
const timelineCache = (globalForLeaderboards.personaTimelines ??= new WeakMap());

export function emptyState(excludedFingerprint: string, excludedUsers: Set<string>): AggregateState {
  const modalities = Object.fromEntries(
    MODALITIES.map((modality) => {
      const log = new VoteLog();
      return [modality, { log, aggregate: new ModalityAggregate(log.dictionaries), cursor: { time: null, countedThrough: 0 } }];
    }),
  ) as AggregateState["modalities"];
  return { styleFittedAt: null, excludedFingerprint, excludedUsers, voters: new Dictionary(), checkpointedVotes: 0, modalities };
}

export async function loadExcludedUsers(db: Db): Promise<{ fingerprint: string; users: Set<string> }> {
  const ids = await leaderboardStore(db).excludedUserIds();
  return { fingerprint: `${ids.length}:${seedFromString(ids.join(","))}`, users: new Set(ids) };
}

/**
 * Persona class timelines per annotator, re-parsed only when persona versions were added or
 * removed (versions are never edited in place), in slices.
 */
export async function loadPersonaTimelines(db: Db, reader: LeaderboardReader): Promise<Map<string, PersonaTimeline>> {
  // Each read on a turn of its own: SQLite's answer synchronously, so the caller's reader opening, the
  // summary, the versions' read and the first slice of parsing ran as one task (31 ms of the request
  // thread's CPU in a profiled full read, stalls3).
  await yieldToEventLoop();
  const fingerprint = await reader.personaFingerprint();
  const cached = timelineCache.get(db);
  if (cached?.fingerprint === fingerprint) return cached.timelines;
  await yieldToEventLoop();
  const timelines = await runStepsYielding(personaTimelinesInSteps(await reader.personaVersions()));
  timelineCache.set(db, { fingerprint, timelines });
  return timelines;
}

/** Rows between two pauses of personaTimelinesInSteps. */
const TIMELINE_STEP = 64;

/**
 * Persona class timelines per annotator from the persona versions (by annotator, then time), with
 * each class's single conditions (conditionKeysOf, as ModalityAggregate derives them), pausing every TIMELINE_STEP rows:
 * thousands of personas parsed and keyed take a few hundred milliseconds on a busy machine.
 */
function* personaTimelinesInSteps(rows: readonly { userId: string; createdAt: number; data: unknown }[]): Generator<void, Map<string, PersonaTimeline>> {
  const timelines = new Map<string, PersonaTimeline>();
  for (let k = 0; k < rows.length; k++) {
    if (k > 0 && k % TIMELINE_STEP === 0) yield;
    const row = rows[k];
    const parsed = ZPersonaSchema.safeParse(row.data);
    const personaClass = parsed.success ? segmentKey(personaSegmentConditions(parsed.data)) : "";
    const conditions = conditionKeysOf(personaClass);
    let timeline = timelines.get(row.userId);
    if (!timeline) timelines.set(row.userId, (timeline = { versions: [] }));
    timeline.versions.push({ since: row.createdAt, personaClass, conditions });
  }
  return timelines;
}

/** Per voter index: 1 when the voter is excluded, as aggregateVoteLog takes it. */
export const excludedVoterFlags = (voters: Dictionary, excludedUsers: Set<string>) => Uint8Array.from(voters.values, (userId) => (excludedUsers.has(userId) ? 1 : 0));

export type TRefreshMode = "read" | "checkpoint" | "replay" | "incremental";

export const totalLogged = (state: AggregateState) => MODALITIES.reduce((sum, modality) => sum + state.modalities[modality].log.length, 0);

/** Forgets the in-memory aggregates and personal cache of `db`. */
export function forgetLeaderboardState(db: Db): void {
  states.delete(db);
  globalForLeaderboards.personalCache?.clear();
}
