import "server-only";
import type { ModalityAggregate } from "@/lib/domain/leaderboard/aggregate";
import { ratingHistory } from "@/lib/domain/leaderboard/history";
import { segmentLabel, singleConditionSegments } from "@/lib/domain/leaderboard/segments";
import type { TLeaderboardData, TLeaderboardRow } from "@/lib/domain/leaderboard/snapshot";
import type { TModality } from "@/lib/domain/vocabulary";
import { voteLogFingerprint } from "@/lib/domain/leaderboard/vote-log";
import { createRandom, seedFromString } from "@/lib/domain/random";
import {
  bootstrapStyleControlInSteps,
  computeLeaderboard,
  computeLeaderboardInSteps,
  computeStyleControlledRatings,
  DEFAULT_PRIOR_SD_POINTS,
  ownEvidenceWeights,
  priorPrecision,
  rankUpperBounds,
  shrinkTowardGlobal,
  type BattleCells,
  type Leaderboard,
  type LeaderboardEntry,
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
/**
 * Part of every snapshot fingerprint: bump it when the way snapshots are computed from the votes
 * changes, so that stored snapshots of unchanged votes are recomputed after a deploy.
 */
const SNAPSHOT_ALGORITHM_VERSION = 2;

/** The settings every board of this deployment is fitted with. */
export const boardSettings = () => ({ priorSdPoints: DEFAULT_PRIOR_SD_POINTS, minVotes: env.PROVISIONAL_MIN_VOTES });

type TEntry = LeaderboardEntry & { ownWeight?: number | null };

/** Rows of the models with votes, in the entries' order (group, then score). */
function toRows(entries: readonly TEntry[], info: Map<string, ModelInfo>): TLeaderboardRow[] {
  return entries
    .filter((entry) => entry.votes > 0)
    .map((entry) => {
      const model = info.get(entry.model);
      return {
        rank: entry.ranked ? entry.rankUb : null,
        group: entry.group + 1,
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
        provisional: entry.provisional,
        elo: entry.elo,
        ownWeight: entry.ownWeight ?? null,
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

const methodOf = (leaderboard: Leaderboard, bootstrapRounds: number): NonNullable<TLeaderboardData["method"]> => ({
  priorSdPoints: leaderboard.priorSdPoints,
  intervals: leaderboard.intervalMethod,
  bootstrapRounds,
  minVotes: env.PROVISIONAL_MIN_VOTES,
});

/**
 * `leaderboard`'s entries moved to other scores (`ratings`), with intervals `intervals` (default:
 * the entries' own widths, centred on the new score), ranks recomputed among the ranked models of
 * each group, sorted by group then score.
 */
function recentred(leaderboard: Leaderboard, ratings: Record<string, number>, intervals?: Record<string, [number, number]>): TEntry[] {
  const played = leaderboard.models.filter((entry) => entry.votes > 0);
  const lower = Float64Array.from(played, (entry) => intervals?.[entry.model]?.[0] ?? ratings[entry.model] - (entry.rating - entry.ciLower));
  const upper = Float64Array.from(played, (entry) => intervals?.[entry.model]?.[1] ?? ratings[entry.model] + (entry.ciUpper - entry.rating));
  // Unranked models take no part in the ranks of others.
  const ranks = rankUpperBounds(lower, upper, Int32Array.from(played, (entry, k) => (entry.ranked ? entry.group : -1 - k)));
  return played
    .map((entry, k) => ({ ...entry, rating: ratings[entry.model], ciLower: lower[k], ciUpper: upper[k], rankUb: ranks[k], elo: null }))
    .sort((x, y) => x.group - y.group || y.rating - x.rating || (x.model < y.model ? -1 : 1));
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

/** Fields every board has, the ones its kind does not set left empty. */
function board(input: Pick<VariantInput, "modality" | "variant" | "label" | "computedAt">, leaderboard: Leaderboard, rows: TLeaderboardRow[], bootstrapRounds: number, voteCount: number) {
  return {
    modality: input.modality,
    variant: input.variant,
    label: input.label,
    computedAt: input.computedAt.toISOString(),
    voteCount,
    rows,
    matrix: matrixOf(leaderboard, rows),
    history: [],
    votesByDay: [],
    shrinkStrength: null,
    styleCoefficients: null,
    styleCoefficientIntervals: null,
    method: methodOf(leaderboard, bootstrapRounds),
    groupCount: leaderboard.groupCount,
    shrinkage: null,
  } satisfies TLeaderboardData;
}

async function overallData(input: VariantInput): Promise<TLeaderboardData> {
  const { modality, variant, cells, aggregate, info } = input;
  const rounds = env.LEADERBOARD_BOOTSTRAP_ROUNDS;
  const leaderboard = await withPauses(computeLeaderboardInSteps(cells, { ...boardSettings(), bootstrapRounds: rounds, seed: seedFromString(`${modality}:${variant}`) }));
  const elo = aggregate.eloRatings();
  const rows = toRows(leaderboard.models.map((entry) => ({ ...entry, elo: elo[entry.model] ?? null })), info);
  return { ...board(input, leaderboard, rows, rounds, cells.total), history: ratingHistory(aggregate.cellsByDay(), undefined, DEFAULT_PRIOR_SD_POINTS), votesByDay: aggregate.votesByDay() };
}

/** A plain leaderboard (no Elo, no history) as stored data: category boards. */
export function leaderboardDataOf(
  leaderboard: Leaderboard,
  context: { modality: TModality; variant: string; label: string; computedAt: Date; voteCount: number; info: Map<string, ModelInfo>; bootstrapRounds: number },
): TLeaderboardData {
  const rows = toRows(leaderboard.models.map((entry) => ({ ...entry, elo: null })), context.info);
  return board(context, leaderboard, rows, context.bootstrapRounds, context.voteCount);
}

/**
 * A segment's leaderboard: ratings shrunk toward the global ones (λ by held-out likelihood); the
 * intervals are the widths of the segment's own 95% posterior intervals (small-sample fit, see
 * lib/domain/rating/prior.ts) centred on the shrunk rating (conservative: shrinkage only narrows
 * them), ranks recomputed from those intervals. The board says how much it leans on the overall
 * one (each model's own-evidence weight and the segment's effective votes), and whether any model's
 * segment-only score differs from its overall score by more than its interval.
 */
export function segmentData(input: VariantInput, globalRatings: Record<string, number>): TLeaderboardData {
  const { modality, variant, cells, info } = input;
  const own = computeLeaderboard(cells, { ...boardSettings(), bootstrapRounds: 0 });
  const shrunk = shrinkTowardGlobal(cells, globalRatings, undefined, { random: createRandom(seedFromString(`shrink:${modality}:${variant}`)) });
  const weights = ownEvidenceWeights(cells, shrunk.ratings, shrunk.strength);
  const entries = recentred(own, shrunk.ratings).map((entry) => ({ ...entry, ownWeight: weights[entry.model] }));
  const rows = toRows(entries, info);
  const played = own.models.filter((entry) => entry.votes > 0);
  const votes = played.reduce((sum, entry) => sum + entry.votes, 0);
  const ownWeight = votes > 0 ? played.reduce((sum, entry) => sum + entry.votes * weights[entry.model], 0) / votes : 0;
  return {
    ...board(input, own, rows, 0, cells.total),
    shrinkStrength: shrunk.strength,
    shrinkage: { ownWeight, effectiveVotes: cells.total * ownWeight, noDetectableDifference: noDetectableDifference(own, globalRatings) },
  };
}

/**
 * Whether every model's segment-only score lies within its 95% interval of its overall score,
 * after aligning the two scales (each is centred on its own models) on the vote-weighted mean gap.
 */
function noDetectableDifference(own: Leaderboard, globalRatings: Record<string, number>): boolean {
  const shared = own.models.filter((entry) => entry.votes > 0 && globalRatings[entry.model] !== undefined);
  const votes = shared.reduce((sum, entry) => sum + entry.votes, 0);
  if (votes === 0) return true;
  const offset = shared.reduce((sum, entry) => sum + entry.votes * (globalRatings[entry.model] - entry.rating), 0) / votes;
  return shared.every((entry) => entry.ciLower + offset <= globalRatings[entry.model] && globalRatings[entry.model] <= entry.ciUpper + offset);
}

/** Bootstrap rounds of the style fit (each refits strengths and the four coefficients on every styled vote). */
export const STYLE_BOOTSTRAP_ROUNDS = 100;

/**
 * Style-controlled leaderboard: contextual BT (length and markdown differences as covariates) on
 * the most recent styled text votes, with the small-sample prior on the strengths. Intervals and
 * the coefficients' intervals come from bootstrapping the style fit itself, never narrower than the
 * plain board's posterior intervals of the same votes (a bootstrap of a few votes collapses).
 */
export async function styleData(input: VariantInput, battles: StyledBattle[]): Promise<TLeaderboardData | null> {
  if (battles.length === 0) return null;
  const { modality, variant, info } = input;
  const settings = { strengthPrecision: priorPrecision(DEFAULT_PRIOR_SD_POINTS) };
  const styled = computeStyleControlledRatings(battles, settings);
  await yieldToEventLoop();
  const plain = computeLeaderboard(battles, { ...boardSettings(), bootstrapRounds: 0 });
  const random = createRandom(seedFromString(`${modality}:${variant}`));
  const bootstrap = await withPauses(bootstrapStyleControlInSteps(battles, { ...settings, rounds: STYLE_BOOTSTRAP_ROUNDS, random }));
  const intervals = Object.fromEntries(
    plain.models.map((entry): [string, [number, number]] => {
      const [low, high] = bootstrap.ratings[entry.model];
      const rating = styled.ratings[entry.model];
      return [entry.model, [Math.min(low, rating - (entry.rating - entry.ciLower)), Math.max(high, rating + (entry.ciUpper - entry.rating))]];
    }),
  );
  const rows = toRows(recentred(plain, styled.ratings, intervals), info);
  return {
    ...board(input, plain, rows, STYLE_BOOTSTRAP_ROUNDS, battles.length),
    method: { ...methodOf(plain, STYLE_BOOTSTRAP_ROUNDS), intervals: "bootstrap-or-posterior" },
    styleCoefficients: styled.coefficients,
    styleCoefficientIntervals: bootstrap.coefficients,
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

