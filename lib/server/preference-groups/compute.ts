import { VOTE_OUTCOMES } from "@/lib/domain/vocabulary";
import type { TPersona } from "@/lib/domain/persona/schema";
import {
  annotatorCells,
  buildAnnotatorVoteData,
  describeGroups,
  fitPreferenceGroups,
  gateProbabilities,
  mixtureWinProbability,
  selectGroupCount,
  type TAnnotatorVoteData,
  type TGroupTrait,
  type TPreferenceGroupModel,
} from "@/lib/domain/preference-groups";
import { fitBradleyTerry } from "@/lib/domain/rating/bradley-terry";
import { tallyModels } from "@/lib/domain/rating/cells";

/**
 * The input of a preference-group fit, columnar so it crosses to the fit thread cheaply: vote k was
 * cast by `annotators[annotator[k]]` on `models[modelA[k]]` (left) vs `models[modelB[k]]` with
 * outcome `VOTE_OUTCOMES[outcome[k]]`; `personas` is aligned with `annotators`.
 */
export interface TPreferenceFitInput {
  annotators: string[];
  models: string[];
  annotator: Int32Array;
  modelA: Int32Array;
  modelB: Int32Array;
  outcome: Uint8Array;
  personas: (TPersona | null)[];
  seed: number;
  /**
   * Votes to predict (e.g. a judge run's sample, left out of the votes above): P(left wins) from the
   * group model — the voter's posterior when they have fitted votes, else their persona — and from
   * the global board.
   */
  queries?: { annotatorId: string; persona: TPersona | null; modelA: string; modelB: string }[];
}

export interface TPreferenceFitOutput {
  models: string[];
  annotators: string[];
  groupCount: number;
  weights: number[];
  /** θ per group and model (natural log-odds), models in `models` order. */
  strengths: number[][];
  /** P(group | persona, votes) per annotator, row-major A×K, annotators in `annotators` order. */
  posteriors: Float64Array;
  /** Posterior-weighted votes per group and model (K×M). */
  groupVotes: number[][];
  selection: { groups: number; perVote: number; standardError: number }[];
  traits: TGroupTrait[][];
  /** Aligned with input.queries; null when a model of the query has no fitted votes. */
  predictions: { groupModel: number | null; globalBoard: number | null }[];
}

function predictQueries(queries: NonNullable<TPreferenceFitInput["queries"]>, data: TAnnotatorVoteData, model: TPreferenceGroupModel): TPreferenceFitOutput["predictions"] {
  if (queries.length === 0) return [];
  const everyone = Array.from({ length: data.annotators.length }, (_, a) => a);
  const global = fitBradleyTerry(annotatorCells(data, everyone)).strengths;
  const modelIndex = new Map(data.models.map((id, m) => [id, m]));
  const annotatorIndex = new Map(data.annotators.map((id, a) => [id, a]));
  const K = model.groupCount;
  return queries.map((query) => {
    const i = modelIndex.get(query.modelA);
    const j = modelIndex.get(query.modelB);
    if (i === undefined || j === undefined) return { groupModel: null, globalBoard: null };
    const a = annotatorIndex.get(query.annotatorId);
    const weights = a !== undefined && data.votes[a] > 0 ? model.posteriors.subarray(a * K, (a + 1) * K) : gateProbabilities(model.gate, query.persona);
    return { groupModel: mixtureWinProbability(model, weights, i, j), globalBoard: 1 / (1 + Math.exp(global[j] - global[i])) };
  });
}

/** The whole fit, pure and seeded: K by cross-validation, the final model, votes and persona descriptions per group. */
export function computePreferenceFit(input: TPreferenceFitInput): TPreferenceFitOutput {
  const votes = Array.from(input.annotator, (a, k) => ({
    annotatorId: input.annotators[a],
    modelA: input.models[input.modelA[k]],
    modelB: input.models[input.modelB[k]],
    outcome: VOTE_OUTCOMES[input.outcome[k]],
  }));
  const data = buildAnnotatorVoteData(votes, { annotators: input.annotators });
  const personas = input.personas;
  const selection = selectGroupCount(data, personas, { seed: input.seed });
  const model = fitPreferenceGroups(data, personas, { groups: selection.groups, seed: input.seed });
  const K = model.groupCount;
  const everyone = Array.from({ length: data.annotators.length }, (_, a) => a);
  const groupVotes = Array.from({ length: K }, (_, k) => Array.from(tallyModels(annotatorCells(data, everyone, Float64Array.from(everyone, (a) => model.posteriors[a * K + k]))).votes));
  return {
    models: data.models,
    annotators: data.annotators,
    groupCount: K,
    weights: Array.from(model.weights),
    strengths: model.strengths.map((theta) => Array.from(theta)),
    posteriors: model.posteriors,
    groupVotes,
    selection: selection.candidates.map(({ groups, perVote, standardError }) => ({ groups, perVote, standardError })),
    traits: describeGroups(personas, model.posteriors, K),
    predictions: predictQueries(input.queries ?? [], data, model),
  };
}
