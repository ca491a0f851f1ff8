import type { TPersona } from "../persona/schema";
import { annotatorLogLikelihoods, fitMixtureBradleyTerry, logWinTable, normaliseLogScores, type TMixtureOptions } from "./mixture";
import { fitPersonaGate, gateProbabilities, type TPersonaGate } from "./persona-gate";
import type { TAnnotatorVoteData } from "./vote-data";

/**
 * A fitted preference-group model: the mixture's groups (sizes, BT strengths) plus the persona
 * gate that says which group a persona probably belongs to.
 */
export interface TPreferenceGroupModel {
  models: string[];
  groupCount: number;
  /** π_k, largest first. */
  weights: Float64Array;
  /** θ_k per group (natural log-odds, mean 0). */
  strengths: Float64Array[];
  gate: TPersonaGate;
  /** Training annotators, aligned with `posteriors`. */
  annotators: string[];
  /** P(group | persona, votes) of each training annotator, row-major A×K. */
  posteriors: Float64Array;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/** P(group | persona, votes) for the annotators of `data` (row-major A×K). */
export function groupPosteriors(model: Pick<TPreferenceGroupModel, "strengths" | "gate" | "groupCount">, data: TAnnotatorVoteData, personas: readonly (TPersona | null)[], perAnnotator?: Float64Array): { posteriors: Float64Array; logLikelihood: number } {
  const K = model.groupCount;
  const scores = annotatorLogLikelihoods(data, model.strengths.map((theta) => logWinTable(theta)));
  const logPrior = new Float64Array(scores.length);
  personas.forEach((persona, a) => {
    const prior = gateProbabilities(model.gate, persona);
    for (let k = 0; k < K; k++) logPrior[a * K + k] = Math.log(prior[k]);
  });
  const logLikelihood = normaliseLogScores(scores, logPrior, K, perAnnotator);
  return { posteriors: scores, logLikelihood };
}

/**
 * Fits the mixture with `options.groups` groups on `data`, then the persona gate on its
 * posteriors, then each annotator's posterior given both persona and votes.
 * `personas` is aligned with data.annotators (null = no persona).
 */
export function fitPreferenceGroups(data: TAnnotatorVoteData, personas: readonly (TPersona | null)[], options: TMixtureOptions): TPreferenceGroupModel {
  const fit = fitMixtureBradleyTerry(data, options);
  const gate = fitPersonaGate(personas, fit.responsibilities, fit.groupCount);
  const { posteriors } = groupPosteriors({ strengths: fit.strengths, gate, groupCount: fit.groupCount }, data, personas);
  return {
    models: fit.models,
    groupCount: fit.groupCount,
    weights: fit.weights,
    strengths: fit.strengths,
    gate,
    annotators: data.annotators,
    posteriors,
    logLikelihood: fit.logLikelihood,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}

/**
 * P(model i beats model j) for a voter with group weights `weights` (from the gate for a new
 * annotator, or a posterior): Σ_k w_k σ(θ_ki − θ_kj).
 */
export function mixtureWinProbability(model: Pick<TPreferenceGroupModel, "strengths">, weights: ArrayLike<number>, i: number, j: number): number {
  let probability = 0;
  for (let k = 0; k < model.strengths.length; k++) probability += weights[k] / (1 + Math.exp(model.strengths[k][j] - model.strengths[k][i]));
  return probability;
}

/** The most likely group of a weight vector (lowest index on ties). */
export function mostLikelyGroup(weights: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < weights.length; k++) if (weights[k] > weights[best]) best = k;
  return best;
}
