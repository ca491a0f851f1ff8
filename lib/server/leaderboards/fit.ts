import "server-only";
import type { ModalityAggregate } from "@/lib/domain/leaderboard/aggregate";
import { ratingHistory, ratingsWithFisherIntervals } from "@/lib/domain/leaderboard/history";
import { segmentLabel, singleConditionSegments } from "@/lib/domain/leaderboard/segments";
import type { TLeaderboardData, TLeaderboardRow, TModality } from "@/lib/domain/leaderboard/snapshot";
import { voteLogFingerprint } from "@/lib/domain/leaderboard/vote-log";
import { createRandom, seedFromString } from "@/lib/domain/random";
import {
  computeLeaderboard,
  computeLeaderboardInSteps,
  computeStyleControlledRatings,
  rankUpperBounds,
  shrinkTowardGlobal,
  type BattleCells,
  type Leaderboard,
  type StyledBattle,
} from "@/lib/domain/rating";
import { env } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { currentSnapshotVariants } from "./snapshot-store";
import type { AggregateState } from "./state";
import { OVERALL_VARIANT, segmentVariant } from "./variants";
import type { ModelInfo } from "./vote-store";

/** Fitting the leaderboards of a modality from its aggregated cells (overall, segments, style control). */

/** Single-condition segments with fewer votes are not stored (their ratings would be mostly prior). */
export const SEGMENT_MIN_VOTES = 50;
const SEGMENT_BOOTSTRAP_ROUNDS = 100;
/**
 * Part of every snapshot fingerprint: bump it when the way snapshots are computed from the votes
 * changes, so that stored snapshots of unchanged votes are recomputed after a deploy.
 */
const SNAPSHOT_ALGORITHM_VERSION = 1;

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

export interface VariantInput {
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

/** A plain leaderboard (no Elo, no history) as stored data: category boards. */
export function leaderboardDataOf(
  leaderboard: Leaderboard,
  context: { modality: TModality; variant: string; label: string; computedAt: Date; voteCount: number; info: Map<string, ModelInfo> },
): TLeaderboardData {
  const rows = toRows(leaderboard.models.map((entry) => ({ ...entry, elo: null })), context.info);
  return {
    modality: context.modality,
    variant: context.variant,
    label: context.label,
    computedAt: context.computedAt.toISOString(),
    voteCount: context.voteCount,
    rows,
    matrix: matrixOf(leaderboard, rows),
    history: [],
    votesByDay: [],
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
export function segmentData(input: VariantInput, globalRatings: Record<string, number>): TLeaderboardData {
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

/**
 * Style-controlled leaderboard: contextual BT (length and markdown differences as covariates) on
 * the most recent styled text votes. Intervals are the plain bootstrap widths of the same votes,
 * centred on the style-controlled rating.
 */
export async function styleData(input: VariantInput, battles: StyledBattle[]): Promise<TLeaderboardData | null> {
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


export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a stepwise computation (computeLeaderboardInSteps) letting the event loop run between its steps. */
async function withPauses<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await yieldToEventLoop();
  }
}

export interface TModalityFit {
  /** Of the modality's vote log, exclusions, model names and settings: equal means the stored snapshots are current. */
  fingerprint: string;
  /** Variants stored from the same fingerprint, kept as they are; empty when the modality is refitted. */
  current: string[];
  /** The overall and segment snapshots fitted (none when `current` is not empty). */
  fitted: TLeaderboardData[];
}

/** The overall and segment snapshots of one modality, unless the stored ones are current (and not `rebuild`). */
export async function fitModality(
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

