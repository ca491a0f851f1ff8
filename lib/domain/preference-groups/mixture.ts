import { createRandom, randomInt, type Random } from "../random";
import { fitStrengths } from "../rating/bradley-terry";
import type { TAnnotatorVoteData } from "./vote-data";

/**
 * Mixture Bradley–Terry (MiCRo-style): K latent groups of annotators, each with its own BT
 * strengths θ_k; annotator a belongs to group k with prior π_k, and all of a's votes come from
 * that one group. A tie or both-bad vote counts half a win each way, as on the leaderboard.
 *
 * Fitted by EM (MAP): a Gaussian prior N(0, 1/α) on every strength and a symmetric Dirichlet
 * pseudo-count on the group sizes keep small or empty groups finite.
 */
export interface TMixtureOptions {
  /** K ≥ 1. */
  groups: number;
  seed: number;
  /** Prior precision α of each strength (log-odds); default 0.1, i.e. SD ≈ 3: weak. */
  priorPrecision?: number;
  /** Pseudo-count added to every group's size; default 1. */
  sizePrior?: number;
  /** Default 200. */
  maxIterations?: number;
  /** Stop when the objective improves by less than this per vote; default 1e-7. */
  tolerance?: number;
  /** Independent starts; the best objective wins. Default 3 (1 when K = 1). */
  restarts?: number;
}

export interface TMixtureFit {
  models: string[];
  /** K. */
  groupCount: number;
  /** π_k. */
  weights: Float64Array;
  /** θ_k per group, natural log-odds, mean 0 over models. */
  strengths: Float64Array[];
  /** P(group | votes) per annotator, row-major A×K, aligned with data.annotators. */
  responsibilities: Float64Array;
  /** Σ_a log Σ_k π_k P(votes_a | θ_k). */
  logLikelihood: number;
  /** logLikelihood plus the log priors: what EM maximises. */
  objective: number;
  iterations: number;
  converged: boolean;
}

interface TCellWeights {
  /** Effective wins of the lower / higher model index per cell (ties split in halves). */
  low: Float64Array;
  high: Float64Array;
}

function effectiveWins(data: TAnnotatorVoteData): TCellWeights {
  const low = new Float64Array(data.lowWins.length);
  const high = new Float64Array(data.lowWins.length);
  for (let c = 0; c < low.length; c++) {
    low[c] = data.lowWins[c] + data.ties[c] / 2;
    high[c] = data.highWins[c] + data.ties[c] / 2;
  }
  return { low, high };
}

/** log σ(θ_i − θ_j) for every ordered pair, row-major n×n. */
export function logWinTable(theta: Float64Array, into?: Float64Array): Float64Array {
  const n = theta.length;
  const table = into ?? new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = theta[i] - theta[j];
      table[i * n + j] = d > 0 ? -Math.log1p(Math.exp(-d)) : d - Math.log1p(Math.exp(d));
    }
  }
  return table;
}

/**
 * log P(votes_a | θ_k) for every annotator a and group k, row-major A×K, from each group's
 * `logWinTable`.
 */
export function annotatorLogLikelihoods(data: TAnnotatorVoteData, tables: readonly Float64Array[], into?: Float64Array): Float64Array {
  const cells = effectiveWins(data);
  return annotatorLogLikelihoodsOf(data, cells, tables, into);
}

function annotatorLogLikelihoodsOf(data: TAnnotatorVoteData, cells: TCellWeights, tables: readonly Float64Array[], into?: Float64Array): Float64Array {
  const groups = tables.length;
  const annotators = data.annotators.length;
  const out = into ?? new Float64Array(annotators * groups);
  for (let a = 0; a < annotators; a++) {
    const start = data.offsets[a];
    const end = data.offsets[a + 1];
    for (let k = 0; k < groups; k++) {
      const table = tables[k];
      let sum = 0;
      for (let c = start; c < end; c++) sum += cells.low[c] * table[data.lowIndex[c]] + cells.high[c] * table[data.highIndex[c]];
      out[a * groups + k] = sum;
    }
  }
  return out;
}

/**
 * Turns per-group log scores (row-major A×K) plus log priors into posteriors in place;
 * returns Σ_a log Σ_k exp(score + prior), each term also written to `perAnnotator` when given.
 * `logPrior` is either K values shared by all or A×K.
 */
export function normaliseLogScores(scores: Float64Array, logPrior: Float64Array, groups: number, perAnnotator?: Float64Array): number {
  const annotators = scores.length / groups;
  const priorPerAnnotator = logPrior.length !== groups;
  let total = 0;
  for (let a = 0; a < annotators; a++) {
    const row = a * groups;
    let top = -Infinity;
    for (let k = 0; k < groups; k++) {
      scores[row + k] += logPrior[priorPerAnnotator ? row + k : k];
      if (scores[row + k] > top) top = scores[row + k];
    }
    let sum = 0;
    for (let k = 0; k < groups; k++) sum += Math.exp(scores[row + k] - top);
    const logSum = top + Math.log(sum);
    for (let k = 0; k < groups; k++) scores[row + k] = Math.exp(scores[row + k] - logSum);
    if (perAnnotator) perAnnotator[a] = logSum;
    total += logSum;
  }
  return total;
}

/**
 * Initial hard assignment: k-means++ on each annotator's per-model net win rate, then a few
 * Lloyd rounds. Annotators with more votes have steadier features, so they weigh more.
 */
function initialAssignment(data: TAnnotatorVoteData, cells: TCellWeights, groups: number, random: Random): Int32Array {
  const n = data.models.length;
  const annotators = data.annotators.length;
  const features = new Float64Array(annotators * n);
  const games = new Float64Array(n);
  for (let a = 0; a < annotators; a++) {
    games.fill(0);
    const row = a * n;
    for (let c = data.offsets[a]; c < data.offsets[a + 1]; c++) {
      const low = Math.floor(data.lowIndex[c] / n);
      const high = data.lowIndex[c] % n;
      const net = cells.low[c] - cells.high[c];
      features[row + low] += net;
      features[row + high] -= net;
      games[low] += cells.low[c] + cells.high[c];
      games[high] += cells.low[c] + cells.high[c];
    }
    for (let m = 0; m < n; m++) features[row + m] /= games[m] + 2;
  }
  const weight = Float64Array.from(data.votes, (votes) => Math.sqrt(votes));
  const distance = (a: number, centre: Float64Array, k: number) => {
    let sum = 0;
    for (let m = 0; m < n; m++) {
      const d = features[a * n + m] - centre[k * n + m];
      sum += d * d;
    }
    return sum;
  };
  const centres = new Float64Array(groups * n);
  const first = randomInt(random, annotators);
  centres.set(features.subarray(first * n, first * n + n), 0);
  const nearest = new Float64Array(annotators).fill(Infinity);
  for (let k = 1; k < groups; k++) {
    let total = 0;
    for (let a = 0; a < annotators; a++) {
      nearest[a] = Math.min(nearest[a], distance(a, centres, k - 1));
      total += weight[a] * nearest[a];
    }
    let u = random() * total;
    let chosen = annotators - 1;
    for (let a = 0; a < annotators; a++) {
      u -= weight[a] * nearest[a];
      if (u <= 0) {
        chosen = a;
        break;
      }
    }
    centres.set(features.subarray(chosen * n, chosen * n + n), k * n);
  }
  const assignment = new Int32Array(annotators);
  for (let round = 0; round < 5; round++) {
    for (let a = 0; a < annotators; a++) {
      let best = 0;
      let bestDistance = Infinity;
      for (let k = 0; k < groups; k++) {
        const d = distance(a, centres, k);
        if (d < bestDistance) {
          bestDistance = d;
          best = k;
        }
      }
      assignment[a] = best;
    }
    centres.fill(0);
    const mass = new Float64Array(groups);
    for (let a = 0; a < annotators; a++) {
      const k = assignment[a];
      mass[k] += weight[a];
      for (let m = 0; m < n; m++) centres[k * n + m] += weight[a] * features[a * n + m];
    }
    for (let k = 0; k < groups; k++) for (let m = 0; m < n; m++) centres[k * n + m] /= mass[k] || 1;
  }
  return assignment;
}

/** M-step: group sizes and each group's MAP strengths from the responsibilities. */
function maximise(
  data: TAnnotatorVoteData,
  cells: TCellWeights,
  responsibilities: Float64Array,
  groups: number,
  settings: { priorPrecision: number; sizePrior: number },
  strengths: Float64Array[],
  weights: Float64Array,
): void {
  const n = data.models.length;
  const annotators = data.annotators.length;
  const wins = Array.from({ length: groups }, () => new Float64Array(n * n));
  const mass = new Float64Array(groups);
  for (let a = 0; a < annotators; a++) {
    const row = a * groups;
    for (let k = 0; k < groups; k++) {
      const r = responsibilities[row + k];
      if (r < 1e-12) continue;
      mass[k] += r;
      const matrix = wins[k];
      for (let c = data.offsets[a]; c < data.offsets[a + 1]; c++) {
        matrix[data.lowIndex[c]] += r * cells.low[c];
        matrix[data.highIndex[c]] += r * cells.high[c];
      }
    }
  }
  const precision = new Float64Array(n).fill(settings.priorPrecision);
  const denominator = annotators + groups * settings.sizePrior;
  for (let k = 0; k < groups; k++) {
    weights[k] = (mass[k] + settings.sizePrior) / denominator;
    strengths[k] = fitStrengths(wins[k], n, { priorPrecision: precision, initial: strengths[k], tolerance: 1e-8, maxIterations: 50 }).strengths;
  }
}

function logPriorOf(strengths: readonly Float64Array[], weights: Float64Array, settings: { priorPrecision: number; sizePrior: number }): number {
  let total = 0;
  for (const theta of strengths) for (const value of theta) total -= (settings.priorPrecision / 2) * value * value;
  for (const weight of weights) total += settings.sizePrior * Math.log(weight);
  return total;
}

function centred(theta: Float64Array): Float64Array {
  const mean = theta.reduce((sum, value) => sum + value, 0) / (theta.length || 1);
  return theta.map((value) => value - mean);
}

function fitOnce(data: TAnnotatorVoteData, cells: TCellWeights, groups: number, random: Random, settings: Required<Omit<TMixtureOptions, "groups" | "seed" | "restarts">>): TMixtureFit {
  const n = data.models.length;
  const annotators = data.annotators.length;
  const responsibilities = new Float64Array(annotators * groups);
  const assignment = groups === 1 ? new Int32Array(annotators) : initialAssignment(data, cells, groups, random);
  for (let a = 0; a < annotators; a++) responsibilities[a * groups + assignment[a]] = 1;
  const strengths = Array.from({ length: groups }, () => new Float64Array(n));
  const weights = new Float64Array(groups);
  const tables = strengths.map(() => new Float64Array(n * n));
  const logWeights = new Float64Array(groups);
  const totalVotes = data.votes.reduce((sum, votes) => sum + votes, 0) || 1;
  let objective = -Infinity;
  let logLikelihood = -Infinity;
  let iterations = 0;
  let converged = false;
  while (iterations < settings.maxIterations) {
    iterations++;
    maximise(data, cells, responsibilities, groups, settings, strengths, weights);
    for (let k = 0; k < groups; k++) {
      logWinTable(strengths[k], tables[k]);
      logWeights[k] = Math.log(weights[k]);
    }
    annotatorLogLikelihoodsOf(data, cells, tables, responsibilities);
    logLikelihood = normaliseLogScores(responsibilities, logWeights, groups);
    const next = logLikelihood + logPriorOf(strengths, weights, settings);
    const gain = next - objective;
    objective = next;
    if (groups === 1 || gain / totalVotes < settings.tolerance) {
      converged = true;
      break;
    }
  }
  return { models: data.models, groupCount: groups, weights, strengths: strengths.map(centred), responsibilities, logLikelihood, objective, iterations, converged };
}

/**
 * Fits a K-group mixture by EM from `restarts` seeded k-means++ starts and keeps the best
 * objective. Deterministic for a given data set and seed. Groups are ordered by size, largest
 * first, so group 0 is the biggest.
 */
export function fitMixtureBradleyTerry(data: TAnnotatorVoteData, options: TMixtureOptions): TMixtureFit {
  if (!Number.isInteger(options.groups) || options.groups < 1) throw new RangeError("groups must be an integer ≥ 1");
  const settings = {
    priorPrecision: options.priorPrecision ?? 0.1,
    sizePrior: options.sizePrior ?? 1,
    maxIterations: options.maxIterations ?? 200,
    tolerance: options.tolerance ?? 1e-7,
  };
  const random = createRandom(options.seed);
  const cells = effectiveWins(data);
  const restarts = options.groups === 1 ? 1 : Math.max(1, options.restarts ?? 3);
  let best: TMixtureFit | null = null;
  for (let r = 0; r < restarts; r++) {
    const fit = fitOnce(data, cells, options.groups, random, settings);
    if (!best || fit.objective > best.objective) best = fit;
  }
  return orderGroupsBySize(best!);
}

function orderGroupsBySize(fit: TMixtureFit): TMixtureFit {
  const K = fit.groupCount;
  const order = Array.from({ length: K }, (_, k) => k).sort((x, y) => fit.weights[y] - fit.weights[x] || x - y);
  const responsibilities = new Float64Array(fit.responsibilities.length);
  for (let a = 0; a < responsibilities.length / K; a++) {
    order.forEach((k, position) => (responsibilities[a * K + position] = fit.responsibilities[a * K + k]));
  }
  return {
    ...fit,
    weights: Float64Array.from(order, (k) => fit.weights[k]),
    strengths: order.map((k) => fit.strengths[k]),
    responsibilities,
  };
}
