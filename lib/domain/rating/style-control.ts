import { battleLogFromBattles } from "./battle-log";
import { RatingInputError, strengthsToRatings } from "./bradley-terry";
import { aggregateBattleCells, connectedGroups, pairWinMatrix } from "./cells";
import type { Random } from "../random";
import { MultinomialResampler } from "./multinomial-resampler";
import { quantileOfSorted } from "./bootstrap";
import { augmentTranslationDirections, centreWithinGroups, choleskyFactorInPlace, choleskySolveFactored, minimiseByNewton, softplus } from "./newton";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, type Battle, type RatingAnchor } from "./types";

/** Markdown style of one answer, LMArena's style-control covariates. */
export interface StyleCounts {
  tokens: number;
  headers: number;
  lists: number;
  bold: number;
}

/** Four of them: the gradient pass (styleDerivatives) writes the feature loop out. */
const STYLE_FEATURES = ["tokens", "headers", "lists", "bold"] as const satisfies readonly [string, string, string, string];
type StyleFeature = (typeof STYLE_FEATURES)[number];

const FENCED_CODE = /```[^`]*```/g;
const HEADER = /^#{1,6}\s/gm;
const UNORDERED_ITEM = /^\s*[-*+]\s/gm;
const ORDERED_ITEM = /^\s*\d+\.\s/gm;
const BOLD_STARS = /\*\*[^*\n]+\*\*/g;
const BOLD_UNDERSCORES = /__[^_\n]+__/g;

/** Approximate tokens per whitespace-separated word for English text with a BPE tokenizer. */
const TOKENS_PER_WORD = 1.3;

/**
 * Counts the style covariates of one answer the way LMArena does: fenced code blocks are
 * removed first; headers are lines starting with 1–6 `#` and a space; lists are lines starting
 * with `-`, `*`, `+` or `N.` and a space; bold spans are `**…**` or `__…__` on one line.
 * `tokens` approximates the tokenizer: whitespace-separated words of the whole answer
 * (code included, as LMArena counts all answer tokens) × 1.3, rounded.
 */
export function countMarkdownStyle(text: string): StyleCounts {
  const words = text.split(/\s+/).filter((word) => word.length > 0).length;
  const prose = text.replace(FENCED_CODE, "");
  const count = (pattern: RegExp) => prose.match(pattern)?.length ?? 0;
  return {
    tokens: Math.round(words * TOKENS_PER_WORD),
    headers: count(HEADER),
    lists: count(UNORDERED_ITEM) + count(ORDERED_ITEM),
    bold: count(BOLD_STARS) + count(BOLD_UNDERSCORES),
  };
}

export interface StyledBattle extends Battle {
  styleA: StyleCounts;
  styleB: StyleCounts;
}

export interface StyleControlOptions {
  /** L2 penalty λ/2·‖β‖² on the style coefficients; default 1 (as LMArena's contextual BT). */
  styleL2?: number;
  /**
   * Gaussian prior precision α on the strengths (α/2·Σθ², natural log-odds units); default a tiny
   * 1e-6 that only keeps the optimum finite (see ./prior.ts for a real prior).
   */
  strengthPrecision?: number;
  anchor?: RatingAnchor;
}

export interface StyleControlResult {
  /** Ratings with the style effect removed, centred at 1000 per connected group (then anchored). */
  ratings: Record<string, number>;
  /** Log-odds of winning per standard deviation of each normalised style difference (A − B). */
  coefficients: Record<StyleFeature, number>;
  featureMeans: Record<StyleFeature, number>;
  featureStdDevs: Record<StyleFeature, number>;
}

/**
 * FastChat's compute_style_control fits sklearn's LogisticRegression (C = 1, an L2 penalty ½‖w‖²
 * on every coefficient) on each battle written twice, with model columns ±ln 10 (w = θ/ln 10). Per
 * battle of our likelihood that is α = 1/(2·ln²10) on the strengths and λ = ½ on β: the same
 * regularization gives the same ratings (`npm run ratings -- --style-control`).
 */
export const FASTCHAT_STYLE_CONTROL: Pick<StyleControlOptions, "styleL2" | "strengthPrecision"> = {
  strengthPrecision: 1 / (2 * Math.LN10 * Math.LN10),
  styleL2: 0.5,
};

/** Tiny L2 on strengths, as in plain BT: keeps the optimum finite, moves a real MLE negligibly. */
const STRENGTH_L2 = 1e-6;

/** The battles as a contextual-BT design: model indices, z-scored style differences, scores. */
interface StyleProblem {
  models: string[];
  modelA: Uint32Array;
  modelB: Uint32Array;
  /** battles × features, row-major. */
  features: Float64Array;
  /** 1, 0 or ½ (tie, both-bad) for side A. */
  scoreA: Float64Array;
  means: Float64Array;
  deviations: Float64Array;
  groups: Int32Array;
}

function styleProblem(battles: readonly StyledBattle[]): StyleProblem {
  const log = battleLogFromBattles(battles);
  const featureCount = STYLE_FEATURES.length;
  const battleCount = battles.length;
  const features = new Float64Array(battleCount * featureCount);
  const means = new Float64Array(featureCount);
  const deviations = new Float64Array(featureCount);
  for (let f = 0; f < featureCount; f++) {
    const key = STYLE_FEATURES[f];
    let sum = 0;
    for (let k = 0; k < battleCount; k++) {
      const a = battles[k].styleA[key];
      const b = battles[k].styleB[key];
      const value = (a - b) / (a + b + 1);
      features[k * featureCount + f] = value;
      sum += value;
    }
    means[f] = battleCount > 0 ? sum / battleCount : 0;
    let squares = 0;
    for (let k = 0; k < battleCount; k++) squares += (features[k * featureCount + f] - means[f]) ** 2;
    deviations[f] = battleCount > 0 ? Math.sqrt(squares / battleCount) : 0;
    for (let k = 0; k < battleCount; k++) {
      const index = k * featureCount + f;
      features[index] = deviations[f] > 0 ? (features[index] - means[f]) / deviations[f] : 0;
    }
  }
  const scoreA = Float64Array.from(log.outcome, (code) => (code === OUTCOME_A_WINS ? 1 : code === OUTCOME_B_WINS ? 0 : 0.5));
  const groups = connectedGroups(pairWinMatrix(aggregateBattleCells(log).counts, log.models.length), log.models.length);
  return { models: log.models, modelA: log.modelA, modelB: log.modelB, features, scoreA, means, deviations, groups };
}

/** The penalties of a style fit: L2 on the strengths (α) and on β (λ). */
interface StylePenalties {
  strengthL2: number;
  styleL2: number;
}

const stylePenalties = (options: StyleControlOptions): StylePenalties => ({ strengthL2: options.strengthPrecision ?? STRENGTH_L2, styleL2: options.styleL2 ?? 1 });

/**
 * ∇ (and, when `hessian` is given, ∇²) of the contextual BT's penalized negative log-likelihood at
 * `x`, each battle counted `weights[k]` times (default once). Each battle's design row is +1 at A,
 * −1 at B and its features: the Hessian is accumulated by blocks (models × models, models ×
 * features, features × features), without a dense outer product per battle. `probabilities`: each
 * battle's P(A wins) at `x` when already known (a bootstrap round at the full fit), else computed.
 */
function styleDerivatives(
  problem: StyleProblem,
  penalties: StylePenalties,
  x: Float64Array,
  weights: Float64Array | undefined,
  gradient: Float64Array,
  hessian: Float64Array | null,
  probabilities: Float64Array | null = null,
): void {
  const { modelA, modelB, features, scoreA } = problem;
  const modelCount = problem.models.length;
  const featureCount = STYLE_FEATURES.length;
  const battleCount = scoreA.length;
  const dimension = modelCount + featureCount;
  for (let i = 0; i < dimension; i++) gradient[i] = (i < modelCount ? penalties.strengthL2 : penalties.styleL2) * x[i];
  if (hessian) {
    hessian.fill(0);
    for (let i = 0; i < dimension; i++) hessian[i * dimension + i] = i < modelCount ? penalties.strengthL2 : penalties.styleL2;
  }
  // The four features' coefficients and gradient sums in locals (the feature loops written out): the
  // gradient pass is the bootstrap's inner loop.
  const [beta0, beta1, beta2, beta3] = [x[modelCount], x[modelCount + 1], x[modelCount + 2], x[modelCount + 3]];
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  for (let k = 0; k < battleCount; k++) {
    const count = weights ? weights[k] : 1;
    if (count === 0) continue;
    const a = modelA[k];
    const b = modelB[k];
    const row = k * featureCount;
    const f0 = features[row];
    const f1 = features[row + 1];
    const f2 = features[row + 2];
    const f3 = features[row + 3];
    const p = probabilities ? probabilities[k] : 1 / (1 + Math.exp(-(x[a] - x[b] + beta0 * f0 + beta1 * f1 + beta2 * f2 + beta3 * f3)));
    const residual = count * (p - scoreA[k]);
    gradient[a] += residual;
    gradient[b] -= residual;
    sum0 += residual * f0;
    sum1 += residual * f1;
    sum2 += residual * f2;
    sum3 += residual * f3;
    if (!hessian) continue;
    const weight = count * p * (1 - p);
    hessian[a * dimension + a] += weight;
    hessian[b * dimension + b] += weight;
    hessian[a * dimension + b] -= weight;
    hessian[b * dimension + a] -= weight;
    for (let f = 0; f < featureCount; f++) {
      const value = weight * features[row + f];
      const column = modelCount + f;
      hessian[a * dimension + column] += value;
      hessian[b * dimension + column] -= value;
      for (let g = f; g < featureCount; g++) hessian[column * dimension + modelCount + g] += value * features[row + g];
    }
  }
  gradient[modelCount] += sum0;
  gradient[modelCount + 1] += sum1;
  gradient[modelCount + 2] += sum2;
  gradient[modelCount + 3] += sum3;
  if (!hessian) return;
  // Mirror the blocks accumulated on one side of the diagonal.
  for (let i = 0; i < modelCount; i++) {
    for (let f = 0; f < featureCount; f++) hessian[(modelCount + f) * dimension + i] = hessian[i * dimension + modelCount + f];
  }
  for (let f = 0; f < featureCount; f++) {
    for (let g = f + 1; g < featureCount; g++) hessian[(modelCount + g) * dimension + modelCount + f] = hessian[(modelCount + f) * dimension + modelCount + g];
  }
}

/**
 * Strengths then β of the contextual BT on `problem`, each battle counted `weights[k]` times
 * (default once: a bootstrap round passes its resampled counts).
 */
function fitStyleProblem(problem: StyleProblem, options: StyleControlOptions & { weights?: Float64Array; initial?: Float64Array }): Float64Array {
  const { modelA, modelB, features, scoreA, groups } = problem;
  const modelCount = problem.models.length;
  const featureCount = STYLE_FEATURES.length;
  const battleCount = scoreA.length;
  const weights = options.weights;
  const penalties = stylePenalties(options);
  const dimension = modelCount + featureCount;
  const { x } = minimiseByNewton(
    {
      dimension,
      loss(x) {
        let loss = 0;
        for (let i = 0; i < modelCount; i++) loss += (penalties.strengthL2 / 2) * x[i] * x[i];
        for (let f = 0; f < featureCount; f++) loss += (penalties.styleL2 / 2) * x[modelCount + f] ** 2;
        for (let k = 0; k < battleCount; k++) {
          const count = weights ? weights[k] : 1;
          if (count === 0) continue;
          let z = x[modelA[k]] - x[modelB[k]];
          for (let f = 0; f < featureCount; f++) z += x[modelCount + f] * features[k * featureCount + f];
          loss += count * (scoreA[k] * softplus(-z) + (1 - scoreA[k]) * softplus(z));
        }
        return loss;
      },
      gradientAndHessian: (x, gradient, hessian) => styleDerivatives(problem, penalties, x, weights, gradient, hessian),
    },
    { centreGroups: groups, initial: options.initial, tolerance: options.initial ? 1e-7 : undefined },
  );
  return x;
}

/** Chord steps at most per bootstrap round of the style fit before the round falls back to Newton. */
const STYLE_CHORD_MAX_STEPS = 60;
/** A round's chord steps stop when no coordinate moves by more than this (log-odds), as Newton's warm-started rounds did. */
const STYLE_CHORD_TOLERANCE = 1e-7;

/** P(A wins) of every battle at `x`. */
function winProbabilities(problem: StyleProblem, x: Float64Array): Float64Array {
  const { modelA, modelB, features } = problem;
  const modelCount = problem.models.length;
  const featureCount = STYLE_FEATURES.length;
  const probabilities = new Float64Array(modelA.length);
  for (let k = 0; k < modelA.length; k++) {
    let z = x[modelA[k]] - x[modelB[k]];
    for (let f = 0; f < featureCount; f++) z += x[modelCount + f] * features[k * featureCount + f];
    probabilities[k] = 1 / (1 + Math.exp(-z));
  }
  return probabilities;
}

/**
 * A bootstrap round's fit from the full fit `full` (whose win probabilities are `fullProbabilities`):
 * one pass over the resampled battles at the full fit, needing no exponential, gives the round's
 * gradient and Hessian there; the Hessian, factorized (augmented along each group's translation), then
 * serves every chord step x ← x − H⁻¹∇ℓ_w(x), one gradient pass each, no line search. The round's own
 * Hessian at the full fit differs from the one at its optimum only by how far the optimum moved, so the
 * steps contract faster than with the full data's Hessian (about 4 passes a round instead of 7); they
 * converge to the same optimum (the gradient vanishes there). Null when they do not converge (the round
 * then uses Newton).
 */
function chordStyleFit(problem: StyleProblem, penalties: StylePenalties, weights: Float64Array, full: Float64Array, fullProbabilities: Float64Array): Float64Array | null {
  const dimension = full.length;
  const x = Float64Array.from(full);
  const step = new Float64Array(dimension);
  const factor = new Float64Array(dimension * dimension);
  styleDerivatives(problem, penalties, full, weights, step, factor, fullProbabilities);
  augmentTranslationDirections(factor, problem.groups, dimension);
  choleskyFactorInPlace(factor, dimension);
  for (let iteration = 0; iteration < STYLE_CHORD_MAX_STEPS; iteration++) {
    if (iteration > 0) styleDerivatives(problem, penalties, x, weights, step, null);
    choleskySolveFactored(factor, step, dimension);
    let largest = 0;
    for (let i = 0; i < dimension; i++) {
      x[i] -= step[i];
      largest = Math.max(largest, Math.abs(step[i]));
    }
    centreWithinGroups(x, problem.groups);
    if (!Number.isFinite(largest)) return null;
    if (largest < STYLE_CHORD_TOLERANCE) return x;
  }
  return null;
}

const perFeature = (values: ArrayLike<number>) => Object.fromEntries(STYLE_FEATURES.map((key, f) => [key, values[f]])) as Record<StyleFeature, number>;

/**
 * Contextual Bradley–Terry (LMArena style control): P(A beats B) = σ(θ_A − θ_B + β·f), with
 * f_k = (a_k − b_k)/(a_k + b_k + 1) z-scored over the battles (a constant feature is set to 0).
 * Ties and both-bad count as half a win each way. Strengths and β are fitted jointly by Newton.
 * Invariants: swapping sides of every battle (and its outcome) gives the same ratings and β;
 * with no style differences the ratings equal plain BT up to the tiny L2.
 */
export function computeStyleControlledRatings(
  battles: readonly StyledBattle[],
  options: StyleControlOptions = {},
): StyleControlResult {
  const problem = styleProblem(battles);
  if (options.anchor && !problem.models.includes(options.anchor.model)) {
    throw new RatingInputError(`anchor model "${options.anchor.model}" has no battles`);
  }
  const x = fitStyleProblem(problem, options);
  const modelCount = problem.models.length;
  const ratings = strengthsToRatings(x.subarray(0, modelCount), problem.groups, problem.models, options.anchor);
  return {
    ratings: Object.fromEntries(problem.models.map((model, i) => [model, ratings[i]])),
    coefficients: perFeature(x.subarray(modelCount)),
    featureMeans: perFeature(problem.means),
    featureStdDevs: perFeature(problem.deviations),
  };
}

export interface StyleBootstrap {
  /** 2.5 and 97.5 percentiles of each model's style-controlled rating over the rounds. */
  ratings: Record<string, [number, number]>;
  coefficients: Record<StyleFeature, [number, number]>;
  rounds: number;
}

/**
 * Bootstrap of the style fit itself: each round redraws the battles multinomially (each battle
 * keeps its own style features, z-scored once over all battles, as LMArena does) and refits
 * strengths and β jointly from the full fit (chord steps on the round's Hessian at the full fit, Newton for a round
 * they do not settle). Pauses (yields) after every round.
 * Same battles, options and random sequence → the same intervals.
 */
export function* bootstrapStyleControlInSteps(
  battles: readonly StyledBattle[],
  options: StyleControlOptions & { rounds: number; random: Random },
): Generator<void, StyleBootstrap> {
  const problem = styleProblem(battles);
  const modelCount = problem.models.length;
  const featureCount = STYLE_FEATURES.length;
  const full = fitStyleProblem(problem, options);
  const penalties = stylePenalties(options);
  const fullProbabilities = winProbabilities(problem, full);
  const rounds = options.rounds;
  const ratingSamples = new Float64Array(rounds * modelCount);
  const coefficientSamples = new Float64Array(rounds * featureCount);
  const resampler = new MultinomialResampler(new Float64Array(battles.length).fill(1), battles.length);
  const drawn = new Float64Array(battles.length);
  for (let round = 0; round < rounds; round++) {
    resampler.draw(options.random, drawn);
    const x = chordStyleFit(problem, penalties, drawn, full, fullProbabilities) ?? fitStyleProblem(problem, { ...options, weights: drawn, initial: full });
    ratingSamples.set(strengthsToRatings(x.subarray(0, modelCount), problem.groups, problem.models, options.anchor), round * modelCount);
    coefficientSamples.set(x.subarray(modelCount), round * featureCount);
    yield;
  }
  const interval = (samples: Float64Array, width: number, index: number): [number, number] => {
    const column = Float64Array.from({ length: rounds }, (_, round) => samples[round * width + index]).sort();
    return [quantileOfSorted(column, 0.025), quantileOfSorted(column, 0.975)];
  };
  return {
    ratings: Object.fromEntries(problem.models.map((model, i) => [model, interval(ratingSamples, modelCount, i)])),
    coefficients: Object.fromEntries(STYLE_FEATURES.map((key, f) => [key, interval(coefficientSamples, featureCount, f)])) as Record<StyleFeature, [number, number]>,
    rounds,
  };
}
