import type { Random } from "../random";
import { sampleMultinomial } from "./binomial";
import { fitStrengths, strengthsToRatings, type BradleyTerryFit } from "./bradley-terry";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_CODES, OUTCOME_TIE, type BattleCells, type RatingAnchor } from "./types";

export interface BootstrapOptions {
  rounds: number;
  random: Random;
  anchor?: RatingAnchor;
  /** Percentiles of the interval; default [2.5, 97.5]. */
  percentiles?: [number, number];
}

export interface BootstrapIntervals {
  lower: Float64Array;
  upper: Float64Array;
  /** rounds × models ratings, row-major; kept for callers that want other statistics. */
  samples: Float64Array;
  rounds: number;
}

/**
 * Bootstrap confidence intervals of BT ratings: each round draws `cells.total` battles
 * multinomially from the observed cells (O(cells) per round via conditional binomials) and
 * refits BT warm-started from the full fit. Groups and anchoring follow the full fit so that
 * rounds are comparable. Invariant: same cells, fit and seed → identical intervals.
 */
export function bootstrapRatingIntervals(cells: BattleCells, fit: BradleyTerryFit, options: BootstrapOptions): BootstrapIntervals {
  return runSteps(bootstrapRatingIntervalsInSteps(cells, fit, options));
}

/** Rounds between two pauses of bootstrapRatingIntervalsInSteps (a few milliseconds of work). */
export const BOOTSTRAP_ROUNDS_PER_STEP = 25;

/**
 * bootstrapRatingIntervals as a generator that pauses (yields) every BOOTSTRAP_ROUNDS_PER_STEP rounds
 * and returns the same intervals: a caller on a shared event loop can let other work run between
 * the steps. Same cells, fit and seed → the same result however it is driven.
 */
export function* bootstrapRatingIntervalsInSteps(cells: BattleCells, fit: BradleyTerryFit, options: BootstrapOptions): Generator<void, BootstrapIntervals> {
  const modelCount = cells.models.length;
  const rounds = options.rounds;
  const [lowPercentile, highPercentile] = options.percentiles ?? [2.5, 97.5];

  const { weights, winnerIndex, loserIndex, isTie } = unorderedOutcomeCells(cells);

  const precision = new Float64Array(modelCount).fill(fit.priorPrecision);
  const samples = new Float64Array(rounds * modelCount);
  const drawn = new Float64Array(weights.length);
  const pairWins = new Float64Array(modelCount * modelCount);
  for (let round = 0; round < rounds; round++) {
    sampleMultinomial(options.random, cells.total, weights, drawn);
    pairWins.fill(0);
    for (let position = 0; position < weights.length; position++) {
      const count = drawn[position];
      if (count === 0) continue;
      const w = winnerIndex[position];
      const l = loserIndex[position];
      if (isTie[position]) {
        pairWins[w * modelCount + l] += count / 2;
        pairWins[l * modelCount + w] += count / 2;
      } else {
        pairWins[w * modelCount + l] += count;
      }
    }
    const { strengths } = fitStrengths(pairWins, modelCount, {
      initial: fit.strengths,
      centreGroups: fit.groups,
      priorPrecision: precision,
      tolerance: 1e-7,
    });
    samples.set(strengthsToRatings(strengths, fit.groups, cells.models, options.anchor), round * modelCount);
    if ((round + 1) % BOOTSTRAP_ROUNDS_PER_STEP === 0) yield;
  }

  const lower = new Float64Array(modelCount);
  const upper = new Float64Array(modelCount);
  const column = new Float64Array(rounds);
  for (let i = 0; i < modelCount; i++) {
    for (let round = 0; round < rounds; round++) column[round] = samples[round * modelCount + i];
    column.sort();
    lower[i] = quantileOfSorted(column, lowPercentile / 100);
    upper[i] = quantileOfSorted(column, highPercentile / 100);
  }
  return { lower, upper, samples, rounds };
}

interface OutcomeCells {
  weights: Float64Array;
  winnerIndex: Int32Array;
  loserIndex: Int32Array;
  isTie: Uint8Array;
}

/**
 * Non-empty (unordered pair, outcome) cells: "i beat j", "j beat i" or "tie". BT only sees
 * unordered pair results, and merging multinomial categories gives the multinomial of the sums,
 * so resampling these is the same distribution as resampling sided cells, with half the draws.
 */
function unorderedOutcomeCells(cells: BattleCells): OutcomeCells {
  const n = cells.models.length;
  const weights: number[] = [];
  const winners: number[] = [];
  const losers: number[] = [];
  const ties: number[] = [];
  const count = (a: number, b: number, outcome: number) => cells.counts[(a * n + b) * OUTCOME_CODES + outcome];
  const add = (weight: number, winner: number, loser: number, tie: number) => {
    if (weight <= 0) return;
    weights.push(weight);
    winners.push(winner);
    losers.push(loser);
    ties.push(tie);
  };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      add(count(i, j, OUTCOME_A_WINS) + count(j, i, OUTCOME_B_WINS), i, j, 0);
      add(count(j, i, OUTCOME_A_WINS) + count(i, j, OUTCOME_B_WINS), j, i, 0);
      add(count(i, j, OUTCOME_TIE) + count(j, i, OUTCOME_TIE), i, j, 1);
    }
  }
  return {
    weights: Float64Array.from(weights),
    winnerIndex: Int32Array.from(winners),
    loserIndex: Int32Array.from(losers),
    isTie: Uint8Array.from(ties),
  };
}

/** Linear-interpolation quantile of sorted values (numpy/pandas default). NaN when empty. */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/**
 * Rank (UB) = 1 + number of models of the same connected group whose lower bound exceeds this
 * model's upper bound (models of other groups are not comparable). Ties share a rank.
 */
export function rankUpperBounds(lower: Float64Array, upper: Float64Array, groups: Int32Array): Int32Array {
  const ranks = new Int32Array(lower.length);
  for (let i = 0; i < lower.length; i++) {
    let better = 0;
    for (let j = 0; j < lower.length; j++) if (j !== i && groups[j] === groups[i] && lower[j] > upper[i]) better++;
    ranks[i] = 1 + better;
  }
  return ranks;
}

/** Runs a stepwise computation (see bootstrapRatingIntervalsInSteps) to its end without pausing. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
