import type { Random } from "../random";

/** A registry entry as matchmaking sees it. */
export interface TMatchmakingModel {
  id: string;
  organizationId: string;
  modality: string;
  active: boolean;
  /** Paused by the owner or by outage detection; paused models are never sampled. */
  paused: boolean;
  /** Registry sampling weight, finite and ≥ 0; 0 takes the model out of rotation. */
  weight: number;
  /** Votes counted for the model so far. */
  votes: number;
  /** Width of the model's 95% rating interval, when known. */
  ciWidth?: number | null;
}

export interface TMatchmakingOptions {
  /** Only models of this modality are eligible. */
  modality: string;
  /** When true, the two models always come from different organizations. */
  distinctOrganizations?: boolean;
  /** Models with fewer counted votes than this get `lowDataBoost`. Default 300. */
  targetVotes?: number;
  /** Models whose interval is wider than this get `lowDataBoost`; null disables the check. Default null. */
  maxCiWidth?: number | null;
  /** Weight multiplier for under-measured models (few votes or wide interval). Default 2. */
  lowDataBoost?: number;
  /** Models never to pick, e.g. the pair the user just saw. */
  excludeModelIds?: readonly string[];
}

export type TBattlePairResult<TModel extends TMatchmakingModel = TMatchmakingModel> =
  | { ok: true; modelA: TModel; modelB: TModel }
  | { ok: false; reason: "not_enough_models" | "not_enough_organizations"; eligibleCount: number };

export interface TPairProbability {
  /** The two model ids, sorted. */
  modelIds: [string, string];
  /** Probability of this unordered pair; either side order has half of it. */
  probability: number;
}

const DEFAULT_TARGET_VOTES = 300;
const DEFAULT_LOW_DATA_BOOST = 2;

function assertValidWeight(model: TMatchmakingModel): void {
  if (!Number.isFinite(model.weight) || model.weight < 0) {
    throw new RangeError(`Model ${model.id} has an invalid sampling weight: ${model.weight}`);
  }
}

/**
 * The weight a model is sampled with: registry weight, times `lowDataBoost` when it has fewer
 * than `targetVotes` votes or (if enabled) an interval wider than `maxCiWidth`. The boost applies
 * once even when both conditions hold. Ineligible models get 0.
 */
export function effectiveSamplingWeight(model: TMatchmakingModel, options: TMatchmakingOptions): number {
  assertValidWeight(model);
  const excluded = options.excludeModelIds?.includes(model.id) ?? false;
  if (!model.active || model.paused || model.modality !== options.modality || excluded) return 0;
  const targetVotes = options.targetVotes ?? DEFAULT_TARGET_VOTES;
  const maxCiWidth = options.maxCiWidth ?? null;
  const underMeasured =
    model.votes < targetVotes || (maxCiWidth !== null && model.ciWidth != null && model.ciWidth > maxCiWidth);
  return underMeasured ? model.weight * (options.lowDataBoost ?? DEFAULT_LOW_DATA_BOOST) : model.weight;
}

interface TWeighted<TModel> {
  model: TModel;
  weight: number;
}

function weightedCandidates<TModel extends TMatchmakingModel>(models: readonly TModel[], options: TMatchmakingOptions): TWeighted<TModel>[] {
  return models
    .map((model) => ({ model, weight: effectiveSamplingWeight(model, options) }))
    .filter((candidate) => candidate.weight > 0);
}

function partnersOf<TModel extends TMatchmakingModel>(
  first: TModel,
  candidates: readonly TWeighted<TModel>[],
  options: TMatchmakingOptions,
): TWeighted<TModel>[] {
  return candidates.filter(
    (candidate) =>
      candidate.model.id !== first.id &&
      !(options.distinctOrganizations && candidate.model.organizationId === first.organizationId),
  );
}

function pickWeighted<TModel>(candidates: readonly TWeighted<TModel>[], random: Random): TModel {
  const total = candidates.reduce((sum, candidate) => sum + candidate.weight, 0);
  let threshold = random() * total;
  for (const candidate of candidates) {
    threshold -= candidate.weight;
    if (threshold < 0) return candidate.model;
  }
  return candidates[candidates.length - 1].model;
}

function unavailableReason<TModel extends TMatchmakingModel>(
  candidates: readonly TWeighted<TModel>[],
  options: TMatchmakingOptions,
): TBattlePairResult<TModel> | null {
  if (candidates.length < 2) return { ok: false, reason: "not_enough_models", eligibleCount: candidates.length };
  const organizations = new Set(candidates.map((candidate) => candidate.model.organizationId));
  if (options.distinctOrganizations && organizations.size < 2) {
    return { ok: false, reason: "not_enough_organizations", eligibleCount: candidates.length };
  }
  return null;
}

/**
 * Picks two different models for a battle.
 *
 * Eligible: active, unpaused, of the battle's modality, not excluded, effective weight > 0.
 * Procedure: draw the first model with probability w_i / W, then the second among the remaining
 * allowed partners P(i) (everyone else, or everyone from another organization) with probability
 * w_j / W_P(i), then swap sides with probability 1/2.
 *
 * Resulting distribution of the unordered pair {i, j}:
 *   P({i,j}) = (w_i·w_j / W) · (1 / W_P(i) + 1 / W_P(j)),
 * and each side order has exactly half of it, so no model is favoured on either side. Without the
 * organization rule W_P(i) = W − w_i, so P({i,j}) ∝ w_i·w_j·(1/(W−w_i) + 1/(W−w_j)), which is
 * ≈ 2·w_i·w_j/W² when no single weight dominates; heavy models are slightly under-sampled relative
 * to pure w_i·w_j. `pairProbabilities` computes the exact values.
 *
 * Invariants: never the same model twice; never one organization twice when
 * `distinctOrganizations`; same models, options and random sequence → same result.
 * Consumes exactly three random numbers on success, none on failure.
 */
export function sampleBattlePair<TModel extends TMatchmakingModel>(
  models: readonly TModel[],
  options: TMatchmakingOptions,
  random: Random,
): TBattlePairResult<TModel> {
  const candidates = weightedCandidates(models, options);
  const unavailable = unavailableReason(candidates, options);
  if (unavailable) return unavailable;
  const first = pickWeighted(candidates, random);
  const second = pickWeighted(partnersOf(first, candidates, options), random);
  return random() < 0.5 ? { ok: true, modelA: first, modelB: second } : { ok: true, modelA: second, modelB: first };
}

/**
 * The exact probability of every unordered pair `sampleBattlePair` can return (see its formula).
 * Probabilities sum to 1; empty when no pair is possible.
 */
export function pairProbabilities(models: readonly TMatchmakingModel[], options: TMatchmakingOptions): TPairProbability[] {
  const candidates = weightedCandidates(models, options);
  if (unavailableReason(candidates, options)) return [];
  const total = candidates.reduce((sum, candidate) => sum + candidate.weight, 0);
  const partnerTotal = new Map(
    candidates.map((candidate) => [
      candidate.model.id,
      partnersOf(candidate.model, candidates, options).reduce((sum, partner) => sum + partner.weight, 0),
    ]),
  );
  const pairs: TPairProbability[] = [];
  for (let i = 0; i < candidates.length; i++) {
    for (let j = i + 1; j < candidates.length; j++) {
      const a = candidates[i];
      const b = candidates[j];
      if (options.distinctOrganizations && a.model.organizationId === b.model.organizationId) continue;
      const probability =
        (a.weight * b.weight * (1 / partnerTotal.get(a.model.id)! + 1 / partnerTotal.get(b.model.id)!)) / total;
      const modelIds = [a.model.id, b.model.id].sort() as [string, string];
      pairs.push({ modelIds, probability });
    }
  }
  return pairs;
}
