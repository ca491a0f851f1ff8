import { winningSide } from "../battle/outcomes";
import { assessAnnotatorQuality, type TAnnotatorQualityReport } from "../quality/annotator-quality";
import { createRandom } from "../random";
import { bayesProbabilities, type TSimulatedPopulation, type TSimulatedVote } from "../simulation";
import { adjustedRandIndex, bootstrapMeanDifference, type TDifferenceInterval } from "./agreement";
import { fitBaselineBoards } from "./baselines";
import { fitPreferenceGroups, groupPosteriors, mixtureWinProbability, mostLikelyGroup } from "./model";
import { gateProbabilities } from "./persona-gate";
import { annotatorFolds, selectGroupCount, type TGroupCountCandidate } from "./select-k";
import { buildAnnotatorVoteData, selectAnnotators } from "./vote-data";

/** The methods scored on held-out votes, in report order. */
export const HELD_OUT_METHODS = ["global", "segment", "groups_persona", "groups_persona_votes", "bayes_persona", "bayes_oracle"] as const;
type THeldOutMethod = (typeof HELD_OUT_METHODS)[number];

interface TMethodScore {
  method: THeldOutMethod;
  /** Mean natural-log likelihood per scored (decisive) vote. */
  meanLogLikelihood: number;
  /** Share of scored votes whose winner the method gave ≥ 0.5. */
  accuracy: number;
}

export interface THeldOutReport {
  annotators: number;
  votes: number;
  /** Annotators the quality checks flagged as too fast, removed before fitting (as an admin would). */
  excludedTooFast: number;
  heldOutAnnotators: number;
  /** Decisive votes in the later half of each held-out annotator's votes: what every method is scored on. */
  scoredVotes: number;
  groups: number;
  candidates: TGroupCountCandidate[];
  /** ARI of the most likely group vs the planted one, training annotators with ≥ 20 votes. */
  ari: { annotators: number; value: number };
  methods: TMethodScore[];
  /** Expected accuracy of the Bayes classifier that knows the persona only, on the scored votes. */
  bayesRate: number;
  /** Persona-only group model minus each baseline, mean log-likelihood per vote, annotator bootstrap. */
  difference: { vsGlobal: TDifferenceInterval; vsSegment: TDifferenceInterval };
  milliseconds: { selectK: number; fit: number };
}

export interface THeldOutOptions {
  seed: number;
  /** Share of annotators held out whole; default 0.2. */
  heldOutShare?: number;
  maxGroups?: number;
  bootstrapRounds?: number;
}

/** The platform's annotator quality checks run on simulated votes (no gold battles). */
export function simulatedVoteQuality(votes: readonly TSimulatedVote[]): TAnnotatorQualityReport[] {
  return assessAnnotatorQuality(
    votes.map((vote) => ({
      annotatorId: vote.annotatorId,
      outcome: vote.outcome,
      sideOfWinner: winningSide(vote.outcome),
      secondsFromCompleteToVote: vote.secondsFromCompleteToVote,
      answerLengthChars: vote.answerLengthChars,
      isGold: false,
    })),
  );
}

/**
 * Scores the preference-group model and its baselines on whole held-out annotators of a
 * simulated population. Protocol:
 * 1. annotators the quality checks flag as too fast are dropped (the platform excludes them);
 * 2. a seeded share of annotators is held out entirely; K is chosen and the model fitted on the rest;
 * 3. every method predicts the decisive votes in the later half (by time) of each held-out
 *    annotator's votes: the global board and the segment board from the training votes, the group
 *    model from the persona alone (`groups_persona`) and from the persona plus the earlier half
 *    (`groups_persona_votes`), and the Bayes predictors from the planted truth.
 */
export function evaluatePreferenceGroupsOnSimulation(population: TSimulatedPopulation, options: THeldOutOptions): THeldOutReport {
  const tooFast = new Set(
    simulatedVoteQuality(population.votes)
      .filter((report) => report.flags.includes("too_fast"))
      .map((report) => report.annotatorId),
  );
  const models = population.models.map((model) => model.id);
  const annotatorIndex = new Map(population.annotators.map((annotator, a) => [annotator.id, a]));
  const voteIndices = population.votes.flatMap((vote, v) => (tooFast.has(vote.annotatorId) ? [] : [v]));
  const data = buildAnnotatorVoteData(voteIndices.map((v) => population.votes[v]), { models });
  const personas = data.annotators.map((id) => population.annotators[annotatorIndex.get(id)!].persona);

  const folds = Math.max(2, Math.round(1 / (options.heldOutShare ?? 0.2)));
  const heldOut = annotatorFolds(data.annotators.length, folds, options.seed)[0];
  const isHeldOut = new Uint8Array(data.annotators.length);
  for (const a of heldOut) isHeldOut[a] = 1;
  const training = data.annotators.flatMap((_, a) => (isHeldOut[a] ? [] : [a]));
  const trainingData = selectAnnotators(data, training);
  const trainingPersonas = training.map((a) => personas[a]);

  const startSelect = performance.now();
  const selection = selectGroupCount(trainingData, trainingPersonas, { seed: options.seed, maxGroups: options.maxGroups });
  const startFit = performance.now();
  const model = fitPreferenceGroups(trainingData, trainingPersonas, { groups: selection.groups, seed: options.seed });
  const endFit = performance.now();
  const boards = fitBaselineBoards(trainingData, trainingPersonas);

  const K = model.groupCount;
  const planted: number[] = [];
  const found: number[] = [];
  training.forEach((a, t) => {
    if (trainingData.votes[t] < 20) return;
    planted.push(population.truth.annotators[annotatorIndex.get(data.annotators[a])!].group);
    found.push(mostLikelyGroup(model.posteriors.subarray(t * K, (t + 1) * K)));
  });

  // Held-out votes in time order per annotator: the earlier half informs, the later half is scored.
  const votesByAnnotator = new Map<string, number[]>();
  for (const v of voteIndices) {
    const id = population.votes[v].annotatorId;
    const list = votesByAnnotator.get(id);
    if (list) list.push(v);
    else votesByAnnotator.set(id, [v]);
  }
  const heldOutIds = heldOut.map((a) => data.annotators[a]);
  const earlier = heldOutIds.flatMap((id) => {
    const own = votesByAnnotator.get(id) ?? [];
    return own.slice(0, Math.floor(own.length / 2)).map((v) => population.votes[v]);
  });
  const earlierData = buildAnnotatorVoteData(earlier, { models, annotators: heldOutIds });
  const warm = groupPosteriors(model, earlierData, heldOut.map((a) => personas[a])).posteriors;

  const modelIndex = new Map(models.map((id, m) => [id, m]));
  const logistic = (x: number) => 1 / (1 + Math.exp(-x));
  const sums = HELD_OUT_METHODS.map(() => ({ logLikelihood: 0, correct: 0 }));
  const perAnnotator = HELD_OUT_METHODS.map(() => new Float64Array(heldOut.length));
  const scoredPerAnnotator = new Float64Array(heldOut.length);
  let scored = 0;
  let bayesExpected = 0;
  heldOut.forEach((a, h) => {
    const persona = personas[a];
    const cold = gateProbabilities(model.gate, persona);
    const informed = warm.subarray(h * K, (h + 1) * K);
    const segment = boards.segmentStrengths(persona).strengths;
    const own = votesByAnnotator.get(data.annotators[a]) ?? [];
    for (const v of own.slice(Math.floor(own.length / 2))) {
      const vote = population.votes[v];
      if (vote.outcome !== "model_a" && vote.outcome !== "model_b") continue;
      const i = modelIndex.get(vote.modelA)!;
      const j = modelIndex.get(vote.modelB)!;
      const persona = bayesProbabilities(population, v, "persona");
      const oracle = bayesProbabilities(population, v, "oracle");
      const left = [
        logistic(boards.global[i] - boards.global[j]),
        logistic(segment[i] - segment[j]),
        mixtureWinProbability(model, cold, i, j),
        mixtureWinProbability(model, informed, i, j),
        persona[0] / (persona[0] + persona[1]),
        oracle[0] / (oracle[0] + oracle[1]),
      ];
      const leftWon = vote.outcome === "model_a";
      left.forEach((p, method) => {
        const logLikelihood = Math.log(leftWon ? p : 1 - p);
        sums[method].logLikelihood += logLikelihood;
        perAnnotator[method][h] += logLikelihood;
        if (p >= 0.5 === leftWon) sums[method].correct++;
      });
      bayesExpected += Math.max(left[4], 1 - left[4]);
      scoredPerAnnotator[h]++;
      scored++;
    }
  });

  const groupsCold = HELD_OUT_METHODS.indexOf("groups_persona");
  const difference = (baseline: THeldOutMethod, seed: number) =>
    bootstrapMeanDifference(
      perAnnotator[groupsCold].map((value, h) => value - perAnnotator[HELD_OUT_METHODS.indexOf(baseline)][h]),
      scoredPerAnnotator,
      createRandom(seed),
      options.bootstrapRounds ?? 1000,
    );
  return {
    annotators: population.annotators.length,
    votes: population.votes.length,
    excludedTooFast: tooFast.size,
    heldOutAnnotators: heldOut.length,
    scoredVotes: scored,
    groups: selection.groups,
    candidates: selection.candidates,
    ari: { annotators: planted.length, value: adjustedRandIndex(found, planted) },
    methods: HELD_OUT_METHODS.map((method, m) => ({ method, meanLogLikelihood: sums[m].logLikelihood / scored, accuracy: sums[m].correct / scored })),
    bayesRate: bayesExpected / scored,
    difference: { vsGlobal: difference("global", options.seed + 1), vsSegment: difference("segment", options.seed + 2) },
    milliseconds: { selectK: startFit - startSelect, fit: endFit - startFit },
  };
}
