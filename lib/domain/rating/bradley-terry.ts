import { connectedGroups, pairWinMatrix } from "./cells";
import { minimiseByNewton, softplus } from "./newton";
import {
  RATING_BASE,
  RATING_CENTER,
  RATING_POINTS_PER_STRENGTH,
  RATING_SCALE,
  type BattleCells,
  type RatingAnchor,
} from "./types";

/** Raised for inputs the rating engine cannot rate (unknown anchor model, mismatched lists). */
export class RatingInputError extends Error {
  override name = "RatingInputError";
}

/**
 * Tiny L2 pull of every strength toward 0. It keeps the optimum finite when a model never wins
 * or never loses, and it moves a real MLE by ~1e-6/(battles/4) log-odds: far below 0.001 points.
 */
const IDENTIFIABILITY_L2 = 1e-6;

export interface StrengthFitOptions {
  /** Warm start (natural log-odds units); default all zeros. */
  initial?: Float64Array;
  /**
   * Connected groups (from `connectedGroups`): when given, strengths are kept at mean 0 within
   * each group, which is where the translation-invariant likelihood plus the tiny L2 has its optimum.
   */
  centreGroups?: Int32Array;
  /** Per-model Gaussian prior precision α (penalty Σ α/2·(θ−μ)²); default IDENTIFIABILITY_L2. */
  priorPrecision?: Float64Array;
  /** Per-model prior mean μ; default 0. */
  priorMean?: Float64Array;
  /** Stop when the largest Newton step is below this (log-odds); default 1e-10. */
  tolerance?: number;
  maxIterations?: number;
}

export interface StrengthFit {
  strengths: Float64Array;
  iterations: number;
  converged: boolean;
}

/**
 * Maximises Σ W_ij·log σ(θ_i − θ_j) − Σ α_k/2·(θ_k − μ_k)² by damped Newton. The objective is
 * strictly concave, so the result is its unique maximiser regardless of the start; `pairWins`
 * is the matrix from `pairWinMatrix` (ties already split in halves).
 */
export function fitStrengths(pairWins: Float64Array, modelCount: number, options: StrengthFitOptions = {}): StrengthFit {
  const n = modelCount;
  const precision = options.priorPrecision ?? new Float64Array(n).fill(IDENTIFIABILITY_L2);
  const mean = options.priorMean ?? new Float64Array(n);
  const result = minimiseByNewton(
    {
      dimension: n,
      loss: (theta) => negativeLogPosterior(theta, pairWins, n, precision, mean),
      gradientAndHessian: (theta, gradient, hessian) =>
        gradientAndHessian(theta, pairWins, n, precision, mean, gradient, hessian),
    },
    options,
  );
  return { strengths: result.x, iterations: result.iterations, converged: result.converged };
}

function negativeLogPosterior(
  theta: Float64Array,
  pairWins: Float64Array,
  n: number,
  precision: Float64Array,
  mean: Float64Array,
): number {
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const offset = theta[i] - mean[i];
    loss += (precision[i] / 2) * offset * offset;
    for (let j = i + 1; j < n; j++) {
      const wij = pairWins[i * n + j];
      const wji = pairWins[j * n + i];
      if (wij === 0 && wji === 0) continue;
      const d = theta[i] - theta[j];
      loss += wij * softplus(-d) + wji * softplus(d);
    }
  }
  return loss;
}

function gradientAndHessian(
  theta: Float64Array,
  pairWins: Float64Array,
  n: number,
  precision: Float64Array,
  mean: Float64Array,
  gradient: Float64Array,
  hessian: Float64Array,
): void {
  hessian.fill(0);
  for (let i = 0; i < n; i++) {
    gradient[i] = precision[i] * (theta[i] - mean[i]);
    hessian[i * n + i] = precision[i];
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const wij = pairWins[i * n + j];
      const wji = pairWins[j * n + i];
      const total = wij + wji;
      if (total === 0) continue;
      const p = 1 / (1 + Math.exp(theta[j] - theta[i]));
      const residual = wij - total * p;
      gradient[i] -= residual;
      gradient[j] += residual;
      const curvature = total * p * (1 - p);
      hessian[i * n + i] += curvature;
      hessian[j * n + j] += curvature;
      hessian[i * n + j] -= curvature;
      hessian[j * n + i] -= curvature;
    }
  }
}

/**
 * Converts centred strengths into ratings (400·θ/ln 10 + 1000), then shifts the anchor's
 * group so the anchor model gets its rating. Other groups stay centred at 1000.
 */
export function strengthsToRatings(
  strengths: Float64Array,
  groups: Int32Array,
  models: readonly string[],
  anchor?: RatingAnchor,
): Float64Array {
  const ratings = new Float64Array(strengths.length);
  for (let i = 0; i < strengths.length; i++) ratings[i] = RATING_POINTS_PER_STRENGTH * strengths[i] + RATING_CENTER;
  if (anchor) {
    const anchorIndex = anchorModelIndex(models, anchor);
    const shift = anchor.rating - ratings[anchorIndex];
    for (let i = 0; i < ratings.length; i++) if (groups[i] === groups[anchorIndex]) ratings[i] += shift;
  }
  return ratings;
}

function anchorModelIndex(models: readonly string[], anchor: RatingAnchor): number {
  const index = models.indexOf(anchor.model);
  if (index < 0) throw new RatingInputError(`anchor model "${anchor.model}" has no battles`);
  return index;
}

export interface BradleyTerryFit {
  models: string[];
  /** Gaussian prior precision α on every strength (see ./prior.ts); IDENTIFIABILITY_L2 for the plain MLE. */
  priorPrecision: number;
  /** Ratings on the Elo scale, centred at 1000 within each connected group (then anchored). */
  ratings: Float64Array;
  /** Centred strengths θ in natural log-odds units. */
  strengths: Float64Array;
  /** Connected group per model (smallest model index of the group). */
  groups: Int32Array;
  pairWins: Float64Array;
}

/**
 * Bradley–Terry maximum likelihood on aggregated cells (or, with `priorPrecision`, the posterior
 * mode under a Gaussian prior on the strengths: see ./prior.ts): ties and both-bad count as half a win
 * each way. Invariants: independent of battle order and of which side a model played; swapping
 * every outcome negates strengths; each connected group averages 1000 unless anchored.
 */
export function fitBradleyTerry(
  cells: BattleCells,
  options: { anchor?: RatingAnchor; initial?: Float64Array; priorPrecision?: number } = {},
): BradleyTerryFit {
  const modelCount = cells.models.length;
  if (options.anchor) anchorModelIndex(cells.models, options.anchor);
  const pairWins = pairWinMatrix(cells.counts, modelCount);
  const groups = connectedGroups(pairWins, modelCount);
  const precision = options.priorPrecision ?? IDENTIFIABILITY_L2;
  const { strengths } = fitStrengths(pairWins, modelCount, { centreGroups: groups, initial: options.initial, priorPrecision: new Float64Array(modelCount).fill(precision) });
  return {
    models: cells.models.slice(),
    priorPrecision: precision,
    ratings: strengthsToRatings(strengths, groups, cells.models, options.anchor),
    strengths,
    groups,
    pairWins,
  };
}

/** Probability that a model rated `ratingA` beats one rated `ratingB`: 1/(1+10^((rb−ra)/400)). */
export function predictedWinProbability(ratingA: number, ratingB: number): number {
  return 1 / (1 + Math.pow(RATING_BASE, (ratingB - ratingA) / RATING_SCALE));
}
