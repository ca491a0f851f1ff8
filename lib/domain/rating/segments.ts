import type { Random } from "../random";
import { sampleMultinomial } from "./binomial";
import { fitBradleyTerry, fitStrengths } from "./bradley-terry";
import { pairWinMatrix, tallyModels } from "./cells";
import { softplus } from "./newton";
import { bradleyTerryInformation } from "./prior";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_CODES, OUTCOME_TIE, RATING_CENTER, RATING_POINTS_PER_STRENGTH, type BattleCells, type RatingAnchor } from "./types";

export interface SegmentRatings {
  ratings: Record<string, number>;
  votes: Record<string, number>;
}

/**
 * Plain BT on one segment's cells (e.g. battles judged by people of one persona; the caller
 * filters and aggregates). Centred per connected group like the global leaderboard.
 */
export function computeSegmentRatings(cells: BattleCells, options: { anchor?: RatingAnchor } = {}): SegmentRatings {
  const fit = fitBradleyTerry(cells, options);
  const tally = tallyModels(cells);
  return {
    ratings: Object.fromEntries(cells.models.map((model, i) => [model, fit.ratings[i]])),
    votes: Object.fromEntries(cells.models.map((model, i) => [model, tally.votes[i]])),
  };
}

/** Candidate prior strengths λ, weakest first. */
const DEFAULT_SHRINK_STRENGTHS = [0.01, 0.1, 1, 10, 100, 1000];

export interface ShrinkOptions {
  /** Seeds the fold split. */
  random: Random;
  /** Cross-validation folds; default 5. */
  folds?: number;
}

export interface ShrunkRatings {
  /** Segment ratings on the global scale (not re-centred: the prior fixes the location). */
  ratings: Record<string, number>;
  /** The chosen λ. */
  strength: number;
  /** Held-out log-likelihood summed over folds, aligned with the candidate strengths. */
  heldOutLogLikelihood: number[];
}

/**
 * Segment ratings shrunk toward the global ones: maximises the segment's BT log-likelihood minus
 * λ·Σ(θ − θ_global)², with λ chosen from `strengths` by k-fold cross-validated log-likelihood
 * (each battle of the segment lands in one fold, split at random from `options.random`).
 * Equal scores prefer the stronger shrink. Models absent from `globalRatings` are pulled to the
 * global mean. Invariants: λ → ∞ returns the global ratings; small segments get strong shrinkage.
 */
export function shrinkTowardGlobal(
  segmentCells: BattleCells,
  globalRatings: Record<string, number>,
  strengths: readonly number[] = DEFAULT_SHRINK_STRENGTHS,
  options: ShrinkOptions,
): ShrunkRatings {
  if (strengths.length === 0) throw new Error("shrinkTowardGlobal needs at least one candidate strength");
  const models = segmentCells.models;
  const modelCount = models.length;
  const globalValues = Object.values(globalRatings);
  const globalMean = globalValues.length > 0 ? globalValues.reduce((sum, r) => sum + r, 0) / globalValues.length : RATING_CENTER;
  const priorMean = Float64Array.from(
    models,
    (model) => ((globalRatings[model] ?? globalMean) - RATING_CENTER) / RATING_POINTS_PER_STRENGTH,
  );
  const folds = Math.max(2, options.folds ?? 5);
  const foldCounts = splitCellsIntoFolds(segmentCells.counts, folds, options.random);

  const fitWithStrength = (pairWins: Float64Array, lambda: number, initial: Float64Array) =>
    fitStrengths(pairWins, modelCount, {
      priorMean,
      priorPrecision: new Float64Array(modelCount).fill(2 * lambda),
      initial,
    }).strengths;

  // Each fold's training wins once; the strengths are tried from the strongest down, each fit
  // warm-started from the previous one of its fold (the solution moves smoothly with λ).
  const trainingWins = foldCounts.map((held) => {
    const training = segmentCells.counts.slice();
    for (let c = 0; c < training.length; c++) training[c] -= held[c];
    return pairWinMatrix(training, modelCount);
  });
  const warm: Float64Array[] = foldCounts.map(() => priorMean);
  const heldOutLogLikelihood: number[] = new Array(strengths.length);
  const strongestFirst = strengths.map((_, k) => k).sort((x, y) => strengths[y] - strengths[x]);
  for (const k of strongestFirst) {
    let total = 0;
    for (let fold = 0; fold < folds; fold++) {
      warm[fold] = fitWithStrength(trainingWins[fold], strengths[k], warm[fold]);
      total += cellLogLikelihood(foldCounts[fold], warm[fold], modelCount);
    }
    heldOutLogLikelihood[k] = total;
  }
  let best = 0;
  for (let k = 1; k < strengths.length; k++) {
    const better = heldOutLogLikelihood[k] > heldOutLogLikelihood[best];
    const tieTowardStronger = heldOutLogLikelihood[k] === heldOutLogLikelihood[best] && strengths[k] > strengths[best];
    if (better || tieTowardStronger) best = k;
  }
  const theta = fitWithStrength(pairWinMatrix(segmentCells.counts, modelCount), strengths[best], priorMean);
  return {
    ratings: Object.fromEntries(models.map((model, i) => [model, RATING_POINTS_PER_STRENGTH * theta[i] + RATING_CENTER])),
    strength: strengths[best],
    heldOutLogLikelihood,
  };
}

/** Splits every cell's battles uniformly at random over the folds (multinomially). */
function splitCellsIntoFolds(counts: Float64Array, folds: number, random: Random): Float64Array[] {
  const parts = Array.from({ length: folds }, () => new Float64Array(counts.length));
  const equal = new Float64Array(folds).fill(1);
  const drawn = new Float64Array(folds);
  for (let c = 0; c < counts.length; c++) {
    if (counts[c] === 0) continue;
    sampleMultinomial(random, counts[c], equal, drawn);
    for (let fold = 0; fold < folds; fold++) parts[fold][c] = drawn[fold];
  }
  return parts;
}

/** Log-likelihood of cell counts under strengths θ; a tie scores half a win each way. */
function cellLogLikelihood(counts: Float64Array, theta: Float64Array, modelCount: number): number {
  let total = 0;
  for (let a = 0; a < modelCount; a++) {
    for (let b = 0; b < modelCount; b++) {
      const base = (a * modelCount + b) * OUTCOME_CODES;
      const winsA = counts[base + OUTCOME_A_WINS];
      const winsB = counts[base + OUTCOME_B_WINS];
      const ties = counts[base + OUTCOME_TIE];
      if (winsA === 0 && winsB === 0 && ties === 0) continue;
      const logWinA = -softplus(theta[b] - theta[a]);
      const logWinB = -softplus(theta[a] - theta[b]);
      total += winsA * logWinA + winsB * logWinB + (ties * (logWinA + logWinB)) / 2;
    }
  }
  return total;
}

/**
 * How much of each shrunk segment estimate comes from the segment's own votes: I/(I + 2λ), where I
 * is the Fisher information of the model's strength in the segment (Σ over its battles of p·(1−p)
 * at the shrunk ratings) and 2λ the precision of the pull toward the global rating. 0 for a model
 * without votes in the segment; near 1 when the segment's votes dominate.
 */
export function ownEvidenceWeights(segmentCells: BattleCells, shrunkRatings: Record<string, number>, strength: number): Record<string, number> {
  const models = segmentCells.models;
  const n = models.length;
  const theta = Float64Array.from(models, (model) => ((shrunkRatings[model] ?? RATING_CENTER) - RATING_CENTER) / RATING_POINTS_PER_STRENGTH);
  // The diagonal of the BT information matrix: each model's own information.
  const information = bradleyTerryInformation(pairWinMatrix(segmentCells.counts, n), theta);
  return Object.fromEntries(
    models.map((model, i) => {
      const own = information[i * n + i];
      return [model, own / (own + 2 * strength)];
    }),
  );
}
