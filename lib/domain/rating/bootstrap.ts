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
  /** Runs rounds on another thread too (see BootstrapRoundHelper); same result without it. */
  helper?: BootstrapRoundHelper;
}

export interface BootstrapIntervals {
  lower: Float64Array;
  upper: Float64Array;
  /** rounds × models ratings, row-major; kept for callers that want other statistics. */
  samples: Float64Array;
  rounds: number;
}

/**
 * The rounds of a bootstrap, for any thread that takes some: round k draws its resample from
 * createRandom(seeds[k]) and writes its ratings at samples[k × models …]. Rounds are taken in blocks
 * of BOOTSTRAP_ROUNDS_PER_BLOCK from the shared counter `next` (the next untaken block), so two threads
 * both stay busy to the end, whichever is faster; `next` and `samples` live on a SharedArrayBuffer when
 * a helper thread takes part.
 */
export interface BootstrapJob {
  cells: BattleCells;
  fit: BradleyTerryFit;
  anchor?: RatingAnchor;
  seeds: Uint32Array;
  next: Int32Array;
  samples: Float64Array;
}

/** Rounds taken at once from a BootstrapJob: a few milliseconds, so that the threads end within that of each other. */
export const BOOTSTRAP_ROUNDS_PER_BLOCK = 5;

/**
 * Takes rounds of a job elsewhere (a worker thread: scripts/ratings.ts, running runUntakenRounds).
 * `start` returns a function that waits until the helper has finished the blocks it took, returning
 * how many rounds it ran, or null when it failed (some blocks it took may then be unfinished); null
 * from `start` means "not started". The caller runs every block the helper did not finish, so the
 * result never depends on the helper.
 */
export interface BootstrapRoundHelper {
  start(job: BootstrapJob): (() => number | null) | null;
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
  const helper = options.helper && rounds >= 2 * BOOTSTRAP_ROUNDS_PER_STEP ? options.helper : null;
  // Shared with the helper's thread when there is one (a SharedArrayBuffer is sent by reference).
  const memory = (bytes: number) => (helper ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const job: BootstrapJob = {
    cells,
    fit,
    anchor: options.anchor,
    seeds,
    next: new Int32Array(memory(Int32Array.BYTES_PER_ELEMENT)),
    samples: new Float64Array(memory(rounds * modelCount * Float64Array.BYTES_PER_ELEMENT)),
  };
  const waitForHelper = helper ? helper.start(job) : null;

  const runRound = roundRunner(cells, fit, options.anchor);
  const blocks = Math.ceil(rounds / BOOTSTRAP_ROUNDS_PER_BLOCK);
  const ranHere = new Uint8Array(blocks);
  let sincePause = 0;
  const runBlock = (block: number) => {
    sincePause += runRoundsOfBlock(job, runRound, block);
    ranHere[block] = 1;
  };
  for (let block = Atomics.add(job.next, 0, 1); block < blocks; block = Atomics.add(job.next, 0, 1)) {
    runBlock(block);
    if (sincePause >= BOOTSTRAP_ROUNDS_PER_STEP) {
      sincePause = 0;
      yield;
    }
  }
  if (waitForHelper && waitForHelper() === null) {
    // The helper failed: its blocks, finished or not, are run here.
    for (let block = 0; block < blocks; block++) {
      if (ranHere[block] === 1) continue;
      runBlock(block);
      if (sincePause >= BOOTSTRAP_ROUNDS_PER_STEP) {
        sincePause = 0;
        yield;
      }
    }
  }
  // A copy on an ordinary ArrayBuffer: callers may keep or transfer it.
  const samples = helper ? job.samples.slice() : job.samples;

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

/** Runs the job's untaken blocks of rounds until none is left (what a helper thread does); returns how many rounds it ran. */
export function runUntakenRounds(job: BootstrapJob): number {
  const blocks = Math.ceil(job.seeds.length / BOOTSTRAP_ROUNDS_PER_BLOCK);
  let runRound: RoundRunner | null = null;
  let ran = 0;
  for (let block = Atomics.add(job.next, 0, 1); block < blocks; block = Atomics.add(job.next, 0, 1)) {
    runRound ??= roundRunner(job.cells, job.fit, job.anchor);
    ran += runRoundsOfBlock(job, runRound, block);
  }
  return ran;
}

/** Runs the rounds of one block of the job into its samples; returns how many. */
function runRoundsOfBlock(job: BootstrapJob, runRound: RoundRunner, block: number): number {
  const modelCount = job.cells.models.length;
  const end = Math.min(job.seeds.length, (block + 1) * BOOTSTRAP_ROUNDS_PER_BLOCK);
  for (let round = block * BOOTSTRAP_ROUNDS_PER_BLOCK; round < end; round++) runRound(job.seeds[round], job.samples, round * modelCount);
  return end - block * BOOTSTRAP_ROUNDS_PER_BLOCK;
}

type RoundRunner = (seed: number, into: Float64Array, offset: number) => void;

/** One round from its seed: resample, refit, write the ratings at `into[offset…]`. */
function roundRunner(cells: BattleCells, fit: BradleyTerryFit, anchor: RatingAnchor | undefined): RoundRunner {
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
