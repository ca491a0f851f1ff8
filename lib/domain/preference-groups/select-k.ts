import type { TPersona } from "../persona/schema";
import { createRandom, randomInt } from "../random";
import { fitPreferenceGroups, groupPosteriors } from "./model";
import type { TMixtureOptions } from "./mixture";
import { selectAnnotators, type TAnnotatorVoteData } from "./vote-data";

export interface TGroupCountCandidate {
  groups: number;
  /** Σ over held-out annotators of log Σ_k P(k | persona) · P(their votes | k). */
  heldOutLogLikelihood: number;
  /** The same per held-out vote. */
  perVote: number;
  /** Standard error of (best total − this total), from the per-annotator differences; 0 for the best. */
  standardError: number;
}

export interface TGroupCountSelection {
  groups: number;
  /** Every K tried, in order. */
  candidates: TGroupCountCandidate[];
  folds: number;
}

export interface TGroupCountOptions extends Omit<TMixtureOptions, "groups"> {
  /** Largest K tried; default 6. */
  maxGroups?: number;
  /** Cross-validation folds over annotators; default 3. */
  folds?: number;
  /**
   * Cross-validate on a seeded random subset of at most this many annotators (default 4000):
   * choosing K needs far fewer annotators than the final fit, and this bounds its cost.
   */
  maxAnnotators?: number;
}

/** Seeded shuffle of 0…count−1 dealt into `folds` folds. */
export function annotatorFolds(count: number, folds: number, seed: number): number[][] {
  const order = Array.from({ length: count }, (_, i) => i);
  const random = createRandom(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const dealt: number[][] = Array.from({ length: folds }, () => []);
  order.forEach((annotator, position) => dealt[position % folds].push(annotator));
  return dealt.map((fold) => fold.sort((x, y) => x - y));
}

/**
 * Chooses the number of groups K by cross-validation on whole annotators: each fold's
 * annotators are held out, the model is fitted on the rest, and every held-out annotator's votes
 * are scored by their marginal likelihood given only their persona,
 * log Σ_k P(k | persona) Π_votes P(vote | k). K = 1 is always a candidate.
 *
 * The one-standard-error rule picks the smallest K whose total is within one standard error of
 * the best (so a homogeneous population, where extra groups only fit noise, gets K = 1). K grows
 * until two successive values fail to beat the best so far, or `maxGroups`. Large data sets are
 * cross-validated on a random subset of `maxAnnotators` annotators.
 */
export function selectGroupCount(allData: TAnnotatorVoteData, allPersonas: readonly (TPersona | null)[], options: TGroupCountOptions): TGroupCountSelection {
  const limit = options.maxAnnotators ?? 4000;
  const subset = allData.annotators.length > limit ? annotatorFolds(allData.annotators.length, Math.ceil(allData.annotators.length / limit), options.seed ^ 0x5bd1)[0] : null;
  const data = subset ? selectAnnotators(allData, subset) : allData;
  const personas = subset ? subset.map((a) => allPersonas[a]) : allPersonas;
  const maxGroups = Math.max(1, options.maxGroups ?? 6);
  const foldCount = Math.max(2, Math.min(options.folds ?? 3, data.annotators.length));
  const folds = annotatorFolds(data.annotators.length, foldCount, options.seed);
  const training = folds.map((_, f) => folds.flatMap((fold, g) => (g === f ? [] : fold)).sort((x, y) => x - y));
  const trainingData = training.map((indices) => selectAnnotators(data, indices));
  const heldOutData = folds.map((indices) => selectAnnotators(data, indices));
  const totalVotes = folds.flat().reduce((sum, a) => sum + data.votes[a], 0) || 1;

  const perAnnotatorByK: Float64Array[] = [];
  const totals: number[] = [];
  let best = 0;
  for (let groups = 1; groups <= maxGroups; groups++) {
    const perAnnotator = new Float64Array(data.annotators.length);
    folds.forEach((indices, f) => {
      const model = fitPreferenceGroups(trainingData[f], training[f].map((a) => personas[a]), { ...options, groups, seed: options.seed + 7919 * f + groups });
      const scores = new Float64Array(indices.length);
      groupPosteriors(model, heldOutData[f], indices.map((a) => personas[a]), scores);
      indices.forEach((a, position) => (perAnnotator[a] = scores[position]));
    });
    perAnnotatorByK.push(perAnnotator);
    totals.push(perAnnotator.reduce((sum, value) => sum + value, 0));
    if (totals[groups - 1] > totals[best]) best = groups - 1;
    if (groups - 1 - best >= 2) break;
  }

  const candidates = totals.map((total, k) => ({
    groups: k + 1,
    heldOutLogLikelihood: total,
    perVote: total / totalVotes,
    standardError: k === best ? 0 : standardErrorOfTotalDifference(perAnnotatorByK[best], perAnnotatorByK[k]),
  }));
  const chosen = candidates.find((candidate) => totals[best] - candidate.heldOutLogLikelihood <= candidate.standardError) ?? candidates[best];
  return { groups: chosen.groups, candidates, folds: foldCount };
}

/** SE of Σ(x − y) over paired per-annotator values: √n · sd(x − y). */
function standardErrorOfTotalDifference(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i] - y[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (x[i] - y[i] - mean) ** 2;
  variance /= n - 1;
  return Math.sqrt(n * variance);
}
