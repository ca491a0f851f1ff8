import { createRandom, type Random } from "../random";
import { battleLogFromBattles } from "./battle-log";
import { bootstrapRatingIntervalsInSteps, rankUpperBounds, runSteps, type BootstrapRoundHelper } from "./bootstrap";
import { fitBradleyTerry, predictedWinProbability } from "./bradley-terry";
import { aggregateBattleCells, tallyModels } from "./cells";
import { hasWinAndLoss, posteriorHalfWidths, priorPrecision } from "./prior";
import { computeOnlineEloRatings, type OnlineEloOptions } from "./elo";
import {
  OUTCOME_A_WINS,
  OUTCOME_B_WINS,
  OUTCOME_CODES,
  type Battle,
  type BattleCells,
  type BattleLog,
  type RatingAnchor,
} from "./types";

export const DEFAULT_BOOTSTRAP_ROUNDS = 1000;
export const DEFAULT_MIN_VOTES = 30;

export interface LeaderboardOptions {
  /** Bootstrap rounds; 0 gives zero-width intervals at the point rating. Default 1000. */
  bootstrapRounds?: number;
  /** Randomness for the bootstrap; default `createRandom(seed ?? 0)`. */
  random?: Random;
  seed?: number;
  /** Runs half of the bootstrap rounds on another thread; the result is the same without it. */
  bootstrapHelper?: BootstrapRoundHelper;
  anchor?: RatingAnchor;
  /** Models with fewer battles are flagged provisional. Default 30. */
  minVotes?: number;
  elo?: OnlineEloOptions;
  /**
   * Small-sample estimate: a Gaussian prior with this SD (rating points) on every strength (see
   * ./prior.ts). Omitted: the plain MLE, as LMArena computes it.
   */
  priorSdPoints?: number;
}

/** How the intervals were obtained; null when there are none (no bootstrap and no prior). */
type TIntervalMethod = "bootstrap" | "bootstrap-or-posterior" | "posterior" | null;

export interface LeaderboardEntry {
  model: string;
  /** Bradley–Terry rating (MLE), centred at 1000 within its group unless anchored. */
  rating: number;
  /** Online Elo in the given battle order; null when the input was aggregated cells. */
  elo: number | null;
  ciLower: number;
  ciUpper: number;
  rankUb: number;
  votes: number;
  wins: number;
  losses: number;
  /** Ties including both-bad votes. */
  ties: number;
  provisional: boolean;
  /**
   * Ranked: at least `minVotes` votes and both a decisive win and a loss. Rank (UB) counts only the
   * ranked models of the same group; an unranked model has "not enough votes yet".
   */
  ranked: boolean;
  /** 0 for the connected group with the most votes, 1 for the next, …; ratings compare only within a group. */
  group: number;
}

/** Square matrices are indexed like `modelOrder` (row model vs column model). */
export interface Leaderboard {
  models: LeaderboardEntry[];
  modelOrder: string[];
  /** Row's share of decisive battles won against column (ties excluded, as LMArena); null without any. */
  winRate: (number | null)[][];
  /** Battles between row and column, either side. */
  counts: number[][];
  /** BT-predicted probability that row beats column; null on the diagonal and across groups. */
  predictedWinRate: (number | null)[][];
  computedFrom: number;
  intervalMethod: TIntervalMethod;
  /** The prior's SD in rating points; null for the plain MLE. */
  priorSdPoints: number | null;
  /** Number of connected comparison groups. */
  groupCount: number;
}

function isBattleCells(input: readonly Battle[] | BattleLog | BattleCells): input is BattleCells {
  return !Array.isArray(input) && "counts" in input;
}

/**
 * The one entry point for leaderboards (app and CLI): BT ratings with bootstrap intervals,
 * rank (UB), online Elo, tallies and pairwise matrices. Battles (objects or a log) are taken in
 * the given order for Elo; BT, intervals and matrices do not depend on order.
 * Order of `models`: groups by descending votes, then rating descending, then name.
 */
export function computeLeaderboard(input: readonly Battle[] | BattleLog | BattleCells, options: LeaderboardOptions = {}): Leaderboard {
  return runSteps(computeLeaderboardInSteps(input, options));
}

/**
 * computeLeaderboard as a generator that pauses during the bootstrap (see
 * bootstrapRatingIntervalsInSteps) and returns the same leaderboard.
 */
export function* computeLeaderboardInSteps(input: readonly Battle[] | BattleLog | BattleCells, options: LeaderboardOptions = {}): Generator<void, Leaderboard> {
  let cells: BattleCells;
  let elo: Float64Array | null = null;
  if (isBattleCells(input)) {
    cells = input;
  } else {
    const log = Array.isArray(input) ? battleLogFromBattles(input as readonly Battle[]) : (input as BattleLog);
    cells = aggregateBattleCells(log);
    elo = computeOnlineEloRatings(log, options.elo);
  }
  const modelCount = cells.models.length;
  const priorSdPoints = options.priorSdPoints ?? null;
  const fit = fitBradleyTerry(cells, { anchor: options.anchor, priorPrecision: priorSdPoints === null ? undefined : priorPrecision(priorSdPoints) });
  const rounds = options.bootstrapRounds ?? DEFAULT_BOOTSTRAP_ROUNDS;
  const intervals =
    rounds > 0
      ? yield* bootstrapRatingIntervalsInSteps(cells, fit, {
          rounds,
          random: options.random ?? createRandom(options.seed ?? 0),
          anchor: options.anchor,
          helper: options.bootstrapHelper,
        })
      : { lower: fit.ratings.slice(), upper: fit.ratings.slice() };
  let intervalMethod: TIntervalMethod = rounds > 0 ? "bootstrap" : null;
  if (priorSdPoints !== null) {
    // A bootstrap of a handful of votes redraws the same votes and collapses to ±0: the intervals
    // are never narrower than the posterior's.
    const halfWidths = posteriorHalfWidths(fit.pairWins, fit.strengths, fit.groups, fit.priorPrecision);
    for (let i = 0; i < modelCount; i++) {
      intervals.lower[i] = Math.min(intervals.lower[i], fit.ratings[i] - halfWidths[i]);
      intervals.upper[i] = Math.max(intervals.upper[i], fit.ratings[i] + halfWidths[i]);
    }
    intervalMethod = rounds > 0 ? "bootstrap-or-posterior" : "posterior";
  }
  const tally = tallyModels(cells);
  const minVotes = options.minVotes ?? DEFAULT_MIN_VOTES;
  const decided = hasWinAndLoss(cells);
  const ranked = cells.models.map((_, i) => tally.votes[i] >= minVotes && decided[i]);
  // Unranked models take no part in anyone's rank (their own is computed as if they were ranked).
  const rankGroups = Int32Array.from(fit.groups, (group, i) => (ranked[i] ? group : -1 - i));
  const ranks = rankUpperBounds(intervals.lower, intervals.upper, rankGroups);
  for (let i = 0; i < modelCount; i++) {
    if (ranked[i]) continue;
    let better = 0;
    for (let j = 0; j < modelCount; j++) if (ranked[j] && fit.groups[j] === fit.groups[i] && intervals.lower[j] > intervals.upper[i]) better++;
    ranks[i] = 1 + better;
  }

  const groupVotes = new Map<number, number>();
  for (let i = 0; i < modelCount; i++) groupVotes.set(fit.groups[i], (groupVotes.get(fit.groups[i]) ?? 0) + tally.votes[i]);
  const groupOrder = [...groupVotes.keys()].sort((x, y) => groupVotes.get(y)! - groupVotes.get(x)! || x - y);
  const groupRank = new Map(groupOrder.map((group, rank) => [group, rank]));

  const order = cells.models
    .map((_, index) => index)
    .sort(
      (x, y) =>
        groupRank.get(fit.groups[x])! - groupRank.get(fit.groups[y])! ||
        fit.ratings[y] - fit.ratings[x] ||
        (cells.models[x] < cells.models[y] ? -1 : 1),
    );

  const models = order.map(
    (i): LeaderboardEntry => ({
      model: cells.models[i],
      rating: fit.ratings[i],
      elo: elo ? elo[i] : null,
      ciLower: intervals.lower[i],
      ciUpper: intervals.upper[i],
      rankUb: ranks[i],
      votes: tally.votes[i],
      wins: tally.wins[i],
      losses: tally.losses[i],
      ties: tally.ties[i],
      provisional: tally.votes[i] < minVotes,
      ranked: ranked[i],
      group: groupRank.get(fit.groups[i])!,
    }),
  );

  const decisiveWins = new Float64Array(modelCount * modelCount);
  const battles = new Float64Array(modelCount * modelCount);
  for (let a = 0; a < modelCount; a++) {
    for (let b = 0; b < modelCount; b++) {
      const base = (a * modelCount + b) * OUTCOME_CODES;
      decisiveWins[a * modelCount + b] += cells.counts[base + OUTCOME_A_WINS];
      decisiveWins[b * modelCount + a] += cells.counts[base + OUTCOME_B_WINS];
      let total = 0;
      for (let o = 0; o < OUTCOME_CODES; o++) total += cells.counts[base + o];
      battles[a * modelCount + b] += total;
      if (a !== b) battles[b * modelCount + a] += total;
    }
  }
  const winRate = order.map((i) =>
    order.map((j) => {
      const decisive = decisiveWins[i * modelCount + j] + decisiveWins[j * modelCount + i];
      return decisive > 0 ? decisiveWins[i * modelCount + j] / decisive : null;
    }),
  );
  const counts = order.map((i) => order.map((j) => battles[i * modelCount + j]));
  const predictedWinRate = order.map((i) =>
    order.map((j) =>
      i !== j && fit.groups[i] === fit.groups[j] ? predictedWinProbability(fit.ratings[i], fit.ratings[j]) : null,
    ),
  );

  return {
    models,
    modelOrder: order.map((i) => cells.models[i]),
    winRate,
    counts,
    predictedWinRate,
    computedFrom: cells.total,
    intervalMethod,
    priorSdPoints,
    groupCount: groupOrder.length,
  };
}
