import { createRandom, type Random } from "../random";
import { fitStrengths, strengthsToRatings, type BradleyTerryFit } from "./bradley-terry";
import { bradleyTerryInformation } from "./prior";
import { MultinomialResampler } from "./multinomial-resampler";
import { augmentTranslationDirections, centreWithinGroups, choleskyFactorInPlace, choleskySolveFactored } from "./newton";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_CODES, OUTCOME_TIE, type BattleCells, type RatingAnchor } from "./types";

export interface BootstrapOptions {
  rounds: number;
  random: Random;
  anchor?: RatingAnchor;
  /** Percentiles of the interval; default [2.5, 97.5]. */
  percentiles?: [number, number];
  /** Runs the second half of the rounds on another thread (see BootstrapRoundHelper); same result without it. */
  helper?: BootstrapRoundHelper;
}

export interface BootstrapIntervals {
  lower: Float64Array;
  upper: Float64Array;
  /** rounds × models ratings, row-major; kept for callers that want other statistics. */
  samples: Float64Array;
  rounds: number;
}

/** Rounds of a bootstrap that can run anywhere: round k draws its resample from createRandom(seeds[k]). */
export interface BootstrapJob {
  cells: BattleCells;
  fit: BradleyTerryFit;
  anchor?: RatingAnchor;
  seeds: Uint32Array;
}

/**
 * Runs a share of the rounds elsewhere (a worker thread: scripts/ratings.ts). `start` returns a
 * function that waits for the job's samples (seeds.length × models, as bootstrapRoundSamples
 * returns them) or null when it could not run them; null from `start` means "not started".
 * Either way the caller then runs the rounds itself, so the result never depends on the helper.
 */
export interface BootstrapRoundHelper {
  start(job: BootstrapJob): (() => Float64Array | null) | null;
}

/**
 * Bootstrap confidence intervals of BT ratings: each round draws `cells.total` battles
 * multinomially from the observed cells (O(cells + √battles) per round, see MultinomialResampler) and
 * refits BT from the full fit (chord steps, see chordSetup). Groups and anchoring follow the full fit so that
 * rounds are comparable. Round k draws from its own generator, seeded by the k-th draw of
 * `options.random`, so rounds may run in any order or on any thread.
 * Invariant: same cells, fit and seed → identical intervals, with or without a helper.
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

  const seeds = new Uint32Array(rounds);
  for (let round = 0; round < rounds; round++) seeds[round] = Math.floor(options.random() * 4294967296);
  // The helper takes the second half of the rounds; this thread runs the first (and the rest if it fails).
  const own = options.helper && rounds >= 2 * BOOTSTRAP_ROUNDS_PER_STEP ? Math.ceil(rounds / 2) : rounds;
  const waitForHelper = own < rounds ? options.helper!.start({ cells, fit, anchor: options.anchor, seeds: seeds.subarray(own) }) : null;

  const samples = new Float64Array(rounds * modelCount);
  const runRound = roundRunner(cells, fit, options.anchor);
  for (let round = 0; round < own; round++) {
    runRound(seeds[round], samples, round * modelCount);
    if ((round + 1) % BOOTSTRAP_ROUNDS_PER_STEP === 0) yield;
  }
  const helped = waitForHelper ? waitForHelper() : null;
  if (helped) samples.set(helped, own * modelCount);
  else {
    for (let round = own; round < rounds; round++) {
      runRound(seeds[round], samples, round * modelCount);
      if ((round + 1) % BOOTSTRAP_ROUNDS_PER_STEP === 0) yield;
    }
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

/** A job's rounds in one go (what a helper thread runs): seeds.length × models ratings, row-major. */
export function bootstrapRoundSamples(job: BootstrapJob): Float64Array {
  const modelCount = job.cells.models.length;
  const samples = new Float64Array(job.seeds.length * modelCount);
  const runRound = roundRunner(job.cells, job.fit, job.anchor);
  for (let round = 0; round < job.seeds.length; round++) runRound(job.seeds[round], samples, round * modelCount);
  return samples;
}

/** One round from its seed: resample, refit, write the ratings at `into[offset…]`. */
function roundRunner(cells: BattleCells, fit: BradleyTerryFit, anchor: RatingAnchor | undefined): (seed: number, into: Float64Array, offset: number) => void {
  const modelCount = cells.models.length;
  const chord = chordSetup(fit);
  const { weights, pair, lowerWins } = unorderedOutcomeCells(cells, chord);
  const precision = new Float64Array(modelCount).fill(fit.priorPrecision);
  const resampler = new MultinomialResampler(weights, cells.total);
  const drawn = new Float64Array(weights.length);
  const pairCount = chord.pairI.length;
  const wins = new Float64Array(pairCount);
  const totals = new Float64Array(pairCount);
  return (seed, into, offset) => {
    resampler.draw(createRandom(seed), drawn);
    wins.fill(0);
    totals.fill(0);
    for (let position = 0; position < weights.length; position++) {
      const count = drawn[position];
      const k = pair[position];
      wins[k] += count * lowerWins[position];
      totals[k] += count;
    }
    const strengths = chordFit(wins, totals, chord, fit.strengths, fit.groups, fit.priorPrecision) ?? newtonFit(wins, totals, chord, fit, precision);
    into.set(strengthsToRatings(strengths, fit.groups, cells.models, anchor), offset);
  };
}

/** The round's fit by Newton from the full fit, for a round whose chord steps do not converge. */
function newtonFit(wins: Float64Array, totals: Float64Array, chord: ChordSetup, fit: BradleyTerryFit, precision: Float64Array): Float64Array {
  const n = chord.n;
  const pairWins = new Float64Array(n * n);
  for (let k = 0; k < wins.length; k++) {
    pairWins[chord.pairI[k] * n + chord.pairJ[k]] = wins[k];
    pairWins[chord.pairJ[k] * n + chord.pairI[k]] = totals[k] - wins[k];
  }
  return fitStrengths(pairWins, n, { initial: fit.strengths, centreGroups: fit.groups, priorPrecision: precision, tolerance: 1e-7 }).strengths;
}

/** Chord steps at most per round before a round falls back to Newton. */
const CHORD_MAX_STEPS = 60;
/**
 * A round's fit stops when no strength moves by more than this (log-odds) in a step: 1e-6 log-odds is
 * 1.7e-4 rating points, and the chord steps shrink geometrically (by ≈ 10× a step here), so a sample
 * is within ~2e-5 points of its optimum; on the LMArena-shaped bench the 1000-round interval bounds
 * move by at most 4e-6 points against 1e-8 (BENCHMARKS.md), for one to two steps fewer per round.
 */
const CHORD_TOLERANCE = 1e-6;

interface ChordSetup {
  n: number;
  /** Cholesky factor of the full fit's Hessian (augmented along each group's translation). */
  factor: Float64Array;
  /** The pairs (i < j) that met in the data: no resample has any other. */
  pairI: Int32Array;
  pairJ: Int32Array;
}

/**
 * Every round refits strengths that differ from the full fit by sampling noise. Newton refactorizes
 * the Hessian (O(n³)) at every step; the chord method keeps the full fit's Hessian, factorized once,
 * and takes steps θ ← θ − H₀⁻¹∇ℓ(θ) in O(pairs + n²) each (at 129 models the refits then cost less than
 * the multinomial redraw). It converges to the same optimum (the gradient vanishes there) as long as H₀ is close to
 * the round's Hessian; a round that does not converge falls back to Newton.
 */
function chordSetup(fit: BradleyTerryFit): ChordSetup {
  const n = fit.strengths.length;
  const factor = bradleyTerryInformation(fit.pairWins, fit.strengths);
  const pairI: number[] = [];
  const pairJ: number[] = [];
  for (let i = 0; i < n; i++) {
    factor[i * n + i] += fit.priorPrecision;
    for (let j = i + 1; j < n; j++) {
      if (fit.pairWins[i * n + j] + fit.pairWins[j * n + i] === 0) continue;
      pairI.push(i);
      pairJ.push(j);
    }
  }
  augmentTranslationDirections(factor, fit.groups, n);
  choleskyFactorInPlace(factor, n);
  return { n, factor, pairI: Int32Array.from(pairI), pairJ: Int32Array.from(pairJ) };
}

/** The round's strengths by chord steps from `start`; null when they do not converge. */
function chordFit(wins: Float64Array, totals: Float64Array, setup: ChordSetup, start: Float64Array, groups: Int32Array, precision: number): Float64Array | null {
  const { n, factor, pairI, pairJ } = setup;
  const theta = Float64Array.from(start);
  const step = new Float64Array(n);
  // σ(θi − θj) = e^θi / (e^θi + e^θj): n exponentials a step instead of one per pair.
  const power = new Float64Array(n);
  for (let iteration = 0; iteration < CHORD_MAX_STEPS; iteration++) {
    for (let i = 0; i < n; i++) {
      step[i] = precision * theta[i];
      power[i] = Math.exp(theta[i]);
    }
    for (let k = 0; k < pairI.length; k++) {
      const total = totals[k];
      if (total === 0) continue;
      const i = pairI[k];
      const j = pairJ[k];
      const residual = wins[k] - (total * power[i]) / (power[i] + power[j]);
      step[i] -= residual;
      step[j] += residual;
    }
    choleskySolveFactored(factor, step, n);
    let largest = 0;
    for (let i = 0; i < n; i++) {
      theta[i] -= step[i];
      largest = Math.max(largest, Math.abs(step[i]));
    }
    centreWithinGroups(theta, groups);
    if (!Number.isFinite(largest)) return null;
    if (largest < CHORD_TOLERANCE) return theta;
  }
  return null;
}

interface OutcomeCells {
  weights: Float64Array;
  /** The cell's pair, an index into the chord setup's pairs (i < j). */
  pair: Int32Array;
  /** What one battle of the cell adds to the lower-indexed model's wins: 1, 0, or ½ for a tie. */
  lowerWins: Float64Array;
}

/**
 * Non-empty (unordered pair, outcome) cells: "i beat j", "j beat i" or "tie". BT only sees
 * unordered pair results, and merging multinomial categories gives the multinomial of the sums,
 * so resampling these is the same distribution as resampling sided cells, with half the draws.
 */
function unorderedOutcomeCells(cells: BattleCells, chord: ChordSetup): OutcomeCells {
  const n = cells.models.length;
  const pairIndex = new Int32Array(n * n).fill(-1);
  for (let k = 0; k < chord.pairI.length; k++) pairIndex[chord.pairI[k] * n + chord.pairJ[k]] = k;
  const weights: number[] = [];
  const pairs: number[] = [];
  const lowerWins: number[] = [];
  const count = (a: number, b: number, outcome: number) => cells.counts[(a * n + b) * OUTCOME_CODES + outcome];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const outcomes: [number, number][] = [
        [count(i, j, OUTCOME_A_WINS) + count(j, i, OUTCOME_B_WINS), 1],
        [count(j, i, OUTCOME_A_WINS) + count(i, j, OUTCOME_B_WINS), 0],
        [count(i, j, OUTCOME_TIE) + count(j, i, OUTCOME_TIE), 0.5],
      ];
      for (const [weight, share] of outcomes) {
        if (weight <= 0) continue;
        weights.push(weight);
        pairs.push(pairIndex[i * n + j]);
        lowerWins.push(share);
      }
    }
  }
  return { weights: Float64Array.from(weights), pair: Int32Array.from(pairs), lowerWins: Float64Array.from(lowerWins) };
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
