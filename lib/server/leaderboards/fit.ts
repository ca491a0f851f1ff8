import "server-only";
import { segmentLabel, singleConditionSegments } from "@/lib/domain/leaderboard/segments";
import type { TLeaderboardData } from "@/lib/domain/leaderboard/snapshot";
import type { TModality } from "@/lib/domain/vocabulary";
import { voteLogFingerprintInSteps } from "@/lib/domain/leaderboard/vote-log";
import { DEFAULT_PRIOR_SD_POINTS } from "@/lib/domain/rating";
import { env } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { leaderboardStore, type TModalityVoteCount } from "@/lib/server/store/leaderboard-store";
import type { BoardFitter } from "./board-fitter";
import type { TBoardSettings, TNamedCells } from "./boards";
import { fitCategoryBoards } from "./categories";
import { computeAndStoreLift } from "./lift";
import { currentSnapshotVariants, hasSnapshotFingerprint } from "./snapshot-store";
import type { AggregateState } from "./state";
import { segmentVariant } from "./variants";
import { runStepsYielding } from "@/lib/server/yielding";
import type { ModelInfo } from "./vote-store";

/**
 * Deciding which boards of a modality to fit and gathering their cells; the fitting threads
 * (./board-fitter.ts) fit them, each board as soon as its input is there, so that both threads stay
 * busy and the request thread only waits.
 */

/** Single-condition segments with fewer votes are not stored (their ratings would be mostly prior). */
const SEGMENT_MIN_VOTES = 50;
/**
 * Part of every snapshot fingerprint: bump it when the way snapshots are computed from the votes
 * changes, so that stored snapshots of unchanged votes are recomputed after a deploy.
 */
const SNAPSHOT_ALGORITHM_VERSION = 2;

/** The settings every board of this deployment is fitted with. */
export const boardSettings = (): TBoardSettings => ({ priorSdPoints: DEFAULT_PRIOR_SD_POINTS, minVotes: env.PROVISIONAL_MIN_VOTES, bootstrapRounds: env.LEADERBOARD_BOOTSTRAP_ROUNDS });

export interface TModalityFit {
  /** Of the modality's vote log, exclusions, model names and settings: equal means the stored snapshots are current. */
  fingerprint: string;
  /** Variants stored from the same fingerprint, kept as they are; empty when the modality is refitted. */
  current: string[];
  /** The overall, segment and (text) category snapshots fitted (none when `current` is not empty). */
  fitted: TLeaderboardData[];
}

/**
 * The overall, segment and category snapshots of one modality, and its personalization lift stored,
 * unless the stored snapshots are current (and not `rebuild`): the cells are taken from the aggregate
 * here, and the overall board, the segment boards and the grouped vote counts (the category boards'
 * cells and the lift's, one scan on the store's own thread) are all started at once, each fitted by
 * `fitter` when its input is there.
 */
export async function fitModality(
  db: Db,
  state: AggregateState,
  modality: TModality,
  context: {
    info: Map<string, ModelInfo>;
    infoFingerprint: number;
    now: Date;
    rebuild: boolean;
    fitter: BoardFitter;
    /** The modality's category boards (and its lift stored), when they were started before its votes were read (see fitFromCounts). */
    byCounts?: Promise<TLeaderboardData[]>;
  },
): Promise<TModalityFit> {
  const { aggregate, log } = state.modalities[modality];
  const { info, infoFingerprint, now, rebuild, fitter } = context;
  const settings = boardSettings();
  const fingerprinting = async () => [SNAPSHOT_ALGORITHM_VERSION, await runStepsYielding(voteLogFingerprintInSteps(log)), state.excludedFingerprint, infoFingerprint, settings.bootstrapRounds, settings.minVotes].join("|");
  // A modality certainly refitted (its counts' fits started: context.byCounts) needs its fingerprint only to
  // store it, so its boards are posted before its log is hashed: after a full read, the text log's hash (taking
  // turns on this thread with the checkpoint's encoding) held back the run's last fits.
  let known: string | null = null;
  if (!context.byCounts) {
    known = await fingerprinting();
    const current = rebuild ? [] : await currentSnapshotVariants(db, modality, known);
    if (current.length > 0 || aggregate.voteCount === 0) return { fingerprint: known, current, fitted: [] };
  } else if (aggregate.voteCount === 0) return { fingerprint: await fingerprinting(), current: [], fitted: [] };
  const segments: TNamedCells[] = [];
  for (const segment of singleConditionSegments()) {
    const cells = aggregate.segmentCells(segment);
    if (cells.total >= SEGMENT_MIN_VOTES) segments.push({ variant: segmentVariant(segment), label: segmentLabel(segment), cells });
  }
  const cells = aggregate.cells();
  const job = { modality, computedAt: now, settings, info };
  const overall = fitter.fit({ ...job, kind: "overall", overall: { cells, elo: aggregate.eloRatings(), cellsByDay: aggregate.cellsByDay(), votesByDay: aggregate.votesByDay() } });
  // Cells of its own: a posted job's typed arrays go to the fitting thread (./board-fitter.ts).
  const bySegment = fitter.fit({ ...job, kind: "segments", overallCells: aggregate.cells(), segments });
  // Category boards and the personalization lift follow the votes: refitted with them, kept with them.
  const byCounts = context.byCounts ?? fitFromCounts(db, modality, leaderboardStore(db).modalityVoteCounts([modality])[0], context);
  const [fingerprint, ...fitted] = await Promise.all([known ?? fingerprinting(), overall, bySegment, byCounts]);
  return { fingerprint, current: [], fitted: fitted.flat() };
}

/**
 * The modality's category boards (text), fitted by `fitter`, and its personalization lift, fitted and
 * stored, from its grouped vote counts: they need neither the vote log nor the aggregate, so a modality
 * certainly refitted (scansIfCertainlyRefitted) has them fitted as soon as its scan is done, during the
 * vote read, instead of after it (in a traced cold full read they had been the last 0.8 s of a 21 s run, load 15).
 */
export function fitFromCounts(
  db: Db,
  modality: TModality,
  scan: Promise<TModalityVoteCount[]>,
  context: { info: Map<string, ModelInfo>; now: Date; fitter: BoardFitter },
): Promise<TLeaderboardData[]> {
  const { info, now, fitter } = context;
  const settings = boardSettings();
  return scan.then(async (counts) => {
    const [categories] = await Promise.all([modality === "text" ? fitCategoryBoards(counts, info, now, settings, fitter) : [], computeAndStoreLift(db, modality, counts, info, now, fitter)]);
    return categories;
  });
}

/**
 * The grouped-count scans (the category boards' and the lift's cells) of those of `modalities` that
 * are refitted whatever their votes (`rebuild`, or no snapshot stored with a fingerprint), started now,
 * in the order given, so that they run alongside the vote read instead of after it: a scan is the
 * longest single piece of a first recomputation. The others are left out (fitModality scans once it
 * knows their votes changed).
 */
export async function scansIfCertainlyRefitted(db: Db, modalities: readonly TModality[], rebuild: boolean): Promise<Map<TModality, Promise<TModalityVoteCount[]>>> {
  const scanned: TModality[] = [];
  for (const modality of modalities) if (rebuild || !(await hasSnapshotFingerprint(db, modality))) scanned.push(modality);
  const counts = leaderboardStore(db).modalityVoteCounts(scanned);
  for (const scan of counts) scan.catch(() => undefined);
  return new Map(scanned.map((modality, k) => [modality, counts[k]]));
}
