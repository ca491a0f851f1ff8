import { ratingHistory } from "@/lib/domain/leaderboard/history";
import type { TLeaderboardData, TLeaderboardRow } from "@/lib/domain/leaderboard/snapshot";
import type { TModality } from "@/lib/domain/vocabulary";
import { createRandom, seedFromString } from "@/lib/domain/random";
import { runSteps } from "@/lib/domain/rating/bootstrap";
import {
  bootstrapStyleControlInSteps,
  computeLeaderboard,
  computeStyleControlledRatings,
  ownEvidenceWeights,
  priorPrecision,
  rankUpperBounds,
  shrinkTowardGlobal,
  type BattleCells,
  type Leaderboard,
  type LeaderboardEntry,
  type StyledBattle,
} from "@/lib/domain/rating";
import { styledBattlesOf, type TStyledBattleColumns } from "./styled-rows";
import { OVERALL_VARIANT } from "./variants";
import type { ModelInfo } from "./vote-store";

/**
 * Building one board's stored data from its cells (overall, segment, category and style boards).
 * Pure and synchronous, with every setting passed in (no environment, no database): the
 * recomputation runs these in its fitting thread (./fit.worker.ts), a request ("people like you",
 * ./read.ts) on its own thread.
 */

/** The settings of a deployment that every board is fitted with (./fit.ts, boardSettings). */
export interface TBoardSettings {
  priorSdPoints: number;
  /** Fewer votes than this: the model's row is provisional and unranked. */
  minVotes: number;
  /** Bootstrap rounds of an overall board. */
  bootstrapRounds: number;
}

/** What names and dates a board. */
export interface TBoardHeader {
  modality: TModality;
  variant: string;
  label: string;
  computedAt: Date;
}

/** Bootstrap rounds of the style fit (each refits strengths and the four coefficients on every styled vote). */
const STYLE_BOOTSTRAP_ROUNDS = 100;
/** Bootstrap rounds of a category board. */
export const CATEGORY_BOOTSTRAP_ROUNDS = 200;

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

const methodOf = (leaderboard: Leaderboard, bootstrapRounds: number, settings: TBoardSettings): NonNullable<TLeaderboardData["method"]> => ({
  priorSdPoints: leaderboard.priorSdPoints,
  intervals: leaderboard.intervalMethod,
  bootstrapRounds,
  minVotes: settings.minVotes,
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

/** Fields every board has, the ones its kind does not set left empty. */
function board(header: TBoardHeader, leaderboard: Leaderboard, rows: TLeaderboardRow[], bootstrapRounds: number, voteCount: number, settings: TBoardSettings) {
  return {
    modality: header.modality,
    variant: header.variant,
    label: header.label,
    computedAt: header.computedAt.toISOString(),
    voteCount,
    rows,
    matrix: matrixOf(leaderboard, rows),
    history: [],
    votesByDay: [],
    shrinkStrength: null,
    styleCoefficients: null,
    styleCoefficientIntervals: null,
    method: methodOf(leaderboard, bootstrapRounds, settings),
    groupCount: leaderboard.groupCount,
    shrinkage: null,
  } satisfies TLeaderboardData;
}

const fitSettings = (settings: TBoardSettings) => ({ priorSdPoints: settings.priorSdPoints, minVotes: settings.minVotes });

/** What an overall board is fitted from: the modality's cells, its online Elo and its cells per day. */
interface TOverallInput {
  cells: BattleCells;
  elo: Record<string, number>;
  cellsByDay: { day: string; cells: BattleCells }[];
  votesByDay: { day: string; votes: number }[];
}

/** A modality's overall board: BT with bootstrap intervals, online Elo, rating history and votes per day. */
function overallBoard(header: TBoardHeader, input: TOverallInput, info: Map<string, ModelInfo>, settings: TBoardSettings): TLeaderboardData {
  const { cells, elo } = input;
  const rounds = settings.bootstrapRounds;
  const leaderboard = computeLeaderboard(cells, { ...fitSettings(settings), bootstrapRounds: rounds, seed: seedFromString(`${header.modality}:${header.variant}`) });
  const rows = toRows(leaderboard.models.map((entry) => ({ ...entry, elo: elo[entry.model] ?? null })), info);
  return { ...board(header, leaderboard, rows, rounds, cells.total, settings), history: ratingHistory(input.cellsByDay, undefined, settings.priorSdPoints), votesByDay: input.votesByDay };
}

/** A plain board (no Elo, no history) with `bootstrapRounds` bootstrap intervals: category boards. */
function plainBoard(header: TBoardHeader, cells: BattleCells, info: Map<string, ModelInfo>, settings: TBoardSettings, bootstrapRounds: number): TLeaderboardData {
  const leaderboard = computeLeaderboard(cells, { ...fitSettings(settings), bootstrapRounds, seed: seedFromString(`${header.modality}:${header.variant}`) });
  const rows = toRows(leaderboard.models.map((entry) => ({ ...entry, elo: null })), info);
  return board(header, leaderboard, rows, bootstrapRounds, cells.total, settings);
}

/**
 * A segment's leaderboard: ratings shrunk toward the global ones (λ by held-out likelihood); the
 * intervals are the widths of the segment's own 95% posterior intervals (small-sample fit, see
 * lib/domain/rating/prior.ts) centred on the shrunk rating (conservative: shrinkage only narrows
 * them), ranks recomputed from those intervals. The board says how much it leans on the overall
 * one (each model's own-evidence weight and the segment's effective votes), and whether any model's
 * segment-only score differs from its overall score by more than its interval.
 */
export function segmentBoard(header: TBoardHeader, cells: BattleCells, globalRatings: Record<string, number>, info: Map<string, ModelInfo>, settings: TBoardSettings): TLeaderboardData {
  const own = computeLeaderboard(cells, { ...fitSettings(settings), bootstrapRounds: 0 });
  const shrunk = shrinkTowardGlobal(cells, globalRatings, undefined, { random: createRandom(seedFromString(`shrink:${header.modality}:${header.variant}`)) });
  const weights = ownEvidenceWeights(cells, shrunk.ratings, shrunk.strength);
  const entries = recentred(own, shrunk.ratings).map((entry) => ({ ...entry, ownWeight: weights[entry.model] }));
  const rows = toRows(entries, info);
  const played = own.models.filter((entry) => entry.votes > 0);
  const votes = played.reduce((sum, entry) => sum + entry.votes, 0);
  const ownWeight = votes > 0 ? played.reduce((sum, entry) => sum + entry.votes * weights[entry.model], 0) / votes : 0;
  return {
    ...board(header, own, rows, 0, cells.total, settings),
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

/**
 * Style-controlled leaderboard: contextual BT (length and markdown differences as covariates) on
 * the most recent styled text votes, with the small-sample prior on the strengths. Intervals and
 * the coefficients' intervals come from bootstrapping the style fit itself, never narrower than the
 * plain board's posterior intervals of the same votes (a bootstrap of a few votes collapses).
 */
function styleBoard(header: TBoardHeader, battles: StyledBattle[], info: Map<string, ModelInfo>, settings: TBoardSettings): TLeaderboardData | null {
  if (battles.length === 0) return null;
  const styleSettings = { strengthPrecision: priorPrecision(settings.priorSdPoints) };
  const styled = computeStyleControlledRatings(battles, styleSettings);
  const plain = computeLeaderboard(battles, { ...fitSettings(settings), bootstrapRounds: 0 });
  const random = createRandom(seedFromString(`${header.modality}:${header.variant}`));
  const bootstrap = runSteps(bootstrapStyleControlInSteps(battles, { ...styleSettings, rounds: STYLE_BOOTSTRAP_ROUNDS, random }));
  const intervals = Object.fromEntries(
    plain.models.map((entry): [string, [number, number]] => {
      const [low, high] = bootstrap.ratings[entry.model];
      const rating = styled.ratings[entry.model];
      return [entry.model, [Math.min(low, rating - (entry.rating - entry.ciLower)), Math.max(high, rating + (entry.ciUpper - entry.rating))]];
    }),
  );
  const rows = toRows(recentred(plain, styled.ratings, intervals), info);
  return {
    ...board(header, plain, rows, STYLE_BOOTSTRAP_ROUNDS, battles.length, settings),
    method: { ...methodOf(plain, STYLE_BOOTSTRAP_ROUNDS, settings), intervals: "bootstrap-or-posterior" },
    styleCoefficients: styled.coefficients,
    styleCoefficientIntervals: bootstrap.coefficients,
  };
}

/** One board's cells, named. */
export interface TNamedCells {
  variant: string;
  label: string;
  cells: BattleCells;
}

/**
 * The overall ratings a modality's segments are shrunk toward, the stored segment boards' and "people like
 * you" (./read.ts): the overall board's point ratings (the small-sample fit of `cells`, without its
 * bootstrap, which moves no rating), of the models with votes.
 */
export function overallRatings(cells: BattleCells, settings: TBoardSettings): Record<string, number> {
  const overall = computeLeaderboard(cells, { ...fitSettings(settings), bootstrapRounds: 0 });
  return Object.fromEntries(overall.models.filter((entry) => entry.votes > 0).map((entry) => [entry.model, entry.rating]));
}

/**
 * A unit of fitting work (./fit.worker.ts runs them): a modality's overall board, its segment boards
 * (shrunk toward the overall ratings of `overallCells`, so that they need not wait for the overall
 * board's bootstrap and the two threads share a modality), a set of category boards, or the style board.
 */
export type TFitJob = { settings: TBoardSettings; info: Map<string, ModelInfo>; modality: TModality; computedAt: Date } & (
  | { kind: "overall"; overall: TOverallInput }
  | { kind: "segments"; overallCells: BattleCells; segments: TNamedCells[] }
  | { kind: "plain"; boards: TNamedCells[]; bootstrapRounds: number }
  | { kind: "style"; variant: string; label: string; battles: TStyledBattleColumns }
);

/** The boards of `job`, in the job's order. */
export function runFitJob(job: TFitJob): TLeaderboardData[] {
  const { settings, info, modality, computedAt } = job;
  const header = (variant: string, label: string): TBoardHeader => ({ modality, variant, label, computedAt });
  switch (job.kind) {
    case "style": {
      const style = styleBoard(header(job.variant, job.label), styledBattlesOf(job.battles), info, settings);
      return style ? [style] : [];
    }
    case "plain":
      return job.boards.map((named) => plainBoard(header(named.variant, named.label), named.cells, info, settings, job.bootstrapRounds));
    case "overall":
      return [overallBoard(header(OVERALL_VARIANT, "Overall"), job.overall, info, settings)];
    case "segments": {
      if (job.segments.length === 0) return [];
      const globalRatings = overallRatings(job.overallCells, settings);
      return job.segments.map((named) => segmentBoard(header(named.variant, named.label), named.cells, globalRatings, info, settings));
    }
  }
}
