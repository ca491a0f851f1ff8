import type { TModality, TVoteOutcome } from "../vocabulary";
import type { TPersona } from "../persona/schema";
import type { TAttributeCondition, TResolvedSimulationConfig } from "./config";

/** A simulated annotator: a pseudonymous id and a persona that parses with ZPersonaSchema. */
export interface TSimulatedAnnotator {
  id: string;
  persona: TPersona;
}

/** A simulated model: its id and its log-odds strength in each group (aligned with truth.groups). */
export interface TSimulatedModel {
  id: string;
  groupStrengths: number[];
}

/** One vote; modelA is the model shown on the left. Timestamps are ms since the epoch. */
export interface TSimulatedVote {
  id: string;
  annotatorId: string;
  modality: TModality;
  modelA: string;
  modelB: string;
  outcome: TVoteOutcome;
  timestamp: number;
  /** Seconds between both answers finishing and the vote. */
  secondsFromCompleteToVote: number;
  /** Characters of both answers together (0 for image and audio). */
  answerLengthChars: number;
}

export type TVoterKind = "ordinary" | "position_biased" | "too_fast";

export interface TAnnotatorTruth {
  annotatorId: string;
  /** Index into truth.groups. */
  group: number;
  kind: TVoterKind;
  /** Log-odds toward the left side added to every decisive choice (0 unless position-biased). */
  positionBias: number;
  /** P(group | persona) under the generating model: all that the persona alone can tell. */
  personaPosterior: number[];
}

export interface TGroupTruth {
  id: string;
  label: string;
  /** Normalised share. */
  share: number;
  signature: TAttributeCondition[];
  /** Log-odds strength of each model id (mean 0 over models). */
  strengths: Record<string, number>;
}

/** Everything the simulation planted, for scoring methods against it. */
export interface TGroundTruth {
  seed: number;
  /** The config with every default filled in. */
  config: TResolvedSimulationConfig;
  groups: TGroupTruth[];
  /** Aligned with the population's `annotators`. */
  annotators: TAnnotatorTruth[];
  /**
   * The generating probability of each outcome of each vote: 4 numbers per vote in
   * VOTE_OUTCOMES order (model_a, model_b, tie, both_bad), aligned with the population's `votes`.
   */
  voteProbabilities: Float64Array;
}

export interface TSimulatedPopulation {
  annotators: TSimulatedAnnotator[];
  models: TSimulatedModel[];
  /** Sorted by timestamp. */
  votes: TSimulatedVote[];
  truth: TGroundTruth;
}
