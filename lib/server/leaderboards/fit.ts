import "server-only";
import { segmentLabel, singleConditionSegments } from "@/lib/domain/leaderboard/segments";
import type { TLeaderboardData } from "@/lib/domain/leaderboard/snapshot";
import type { TModality } from "@/lib/domain/vocabulary";
import { voteLogFingerprintInSteps } from "@/lib/domain/leaderboard/vote-log";
import { DEFAULT_PRIOR_SD_POINTS } from "@/lib/domain/rating";
import { env } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import type { BoardFitter } from "./board-fitter";
import type { TBoardSettings, TNamedCells } from "./boards";
import { currentSnapshotVariants } from "./snapshot-store";
import type { AggregateState } from "./state";
import { segmentVariant } from "./variants";
import { runStepsYielding } from "./yielding";
import type { ModelInfo } from "./vote-store";

/** Deciding which boards of a modality to fit and gathering their cells; the fitting threads (./board-fitter.ts) fit them. */

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
  /** The overall and segment snapshots fitted (none when `current` is not empty). */
  fitted: TLeaderboardData[];
}

/**
 * The overall and segment snapshots of one modality, unless the stored ones are current (and not
 * `rebuild`): the cells are taken from the aggregate here, the boards fitted by `fitter`.
 */
export async function fitModality(
  db: Db,
  state: AggregateState,
  modality: TModality,
  context: { info: Map<string, ModelInfo>; infoFingerprint: number; now: Date; rebuild: boolean; fitter: BoardFitter },
): Promise<TModalityFit> {
  const { aggregate, log } = state.modalities[modality];
  const { info, infoFingerprint, now, rebuild, fitter } = context;
  const settings = boardSettings();
  const fingerprint = [SNAPSHOT_ALGORITHM_VERSION, await runStepsYielding(voteLogFingerprintInSteps(log)), state.excludedFingerprint, infoFingerprint, settings.bootstrapRounds, settings.minVotes].join("|");
  const current = rebuild ? [] : await currentSnapshotVariants(db, modality, fingerprint);
  if (current.length > 0 || aggregate.voteCount === 0) return { fingerprint, current, fitted: [] };
  const segments: TNamedCells[] = [];
  for (const segment of singleConditionSegments()) {
    const cells = aggregate.segmentCells(segment);
    if (cells.total >= SEGMENT_MIN_VOTES) segments.push({ variant: segmentVariant(segment), label: segmentLabel(segment), cells });
  }
  const overall = { cells: aggregate.cells(), elo: aggregate.eloRatings(), cellsByDay: aggregate.cellsByDay(), votesByDay: aggregate.votesByDay() };
  const fitted = await fitter.fit({ kind: "modality", modality, computedAt: now, settings, info, overall, segments });
  return { fingerprint, current, fitted };
}
