import { VOTE_OUTCOMES } from "../vocabulary";
import { DEFAULT_PERSONA_TEMPLATE, renderPersonaPrompt } from "../persona/template";
import { fitBaselineBoards } from "../preference-groups/baselines";
import { fitPreferenceGroups, mixtureWinProbability } from "../preference-groups/model";
import { gateProbabilities } from "../preference-groups/persona-gate";
import { annotatorFolds, selectGroupCount } from "../preference-groups/select-k";
import { buildAnnotatorVoteData, selectAnnotators } from "../preference-groups/vote-data";
import { createRandom, randomInt } from "../random";
import { bootstrapMeanDifference, type TDifferenceInterval } from "../preference-groups/agreement";
import { populationPreset, sampleNormal, simulatePopulation, type TSimulatedPopulation } from "../simulation";
import { demoJudgeOutput } from "./demo-judge";
import { summariseAgreement, verdictFromProbability, type TAgreementSummary, type TJudgedItem } from "./metrics";
import { OUTCOME_OF_CHOICE, parseJudgeOutput, type TJudgeVerdict } from "./parse";
import { buildJudgeMessages, readJudgeMessage } from "./prompts";

type TSimulatedJudge = "demo_judge_persona" | "demo_judge_blind" | "group_model" | "global_board";

export interface TSimulatedJudgeReport {
  sampled: number;
  judges: Record<TSimulatedJudge, TAgreementSummary>;
  /** Expected agreement of the persona-aware minus the blind demo judge under the planted truth. */
  plantedMargin: number;
  /** Observed agreement difference (persona-aware − blind) with a vote bootstrap interval. */
  observedMargin: TDifferenceInterval;
}

/**
 * Answer lengths carry the planted preference: model m writes answers of about
 * 500·e^(0.7·v_m) characters (verbosity v_m spread over [−1, 1]); people in the "thorough" group
 * (who state a high detail preference with probability `personaLink`) favour verbose models, the
 * "brief" group the reverse, by `verbosityEffect` log-odds per unit of verbosity.
 */
function verbosityPopulation(options: { annotators: number; models: number; seed: number; votesPerAnnotator?: number; verbosityEffect?: number }): {
  population: TSimulatedPopulation;
  verbosity: number[];
} {
  const ids = Array.from({ length: options.models }, (_, m) => `model-${m + 1}`);
  const verbosity = ids.map((_, m) => (options.models === 1 ? 0 : -1 + (2 * m) / (options.models - 1)));
  const effect = options.verbosityEffect ?? 1.2;
  const base = ids.map((_, m) => 0.4 * Math.sin(3.1 * m + 1));
  const preset = populationPreset("two-groups", { annotators: options.annotators, models: ids, votesPerAnnotator: options.votesPerAnnotator ?? 40 });
  const groups = preset.groups!.map((group, g) => ({
    ...group,
    strengths: Object.fromEntries(ids.map((id, m) => [id, base[m] + (g === 0 ? effect : -effect) * verbosity[m]])),
  }));
  return { population: simulatePopulation({ ...preset, groups }, options.seed), verbosity };
}

function filler(length: number): string {
  const words = "the answer explains each point with an example and a short note on why it matters".split(" ");
  let text = "";
  for (let w = 0; text.length < length; w++) text += `${words[w % words.length]} `;
  return text.slice(0, length);
}

/**
 * Runs the demo judge (with and without the persona, through the real prompt and parser), the
 * group-model predictor and the global board's win probability on a sample of held-out votes of
 * a verbosity population, and reports agreement, certainty–coverage curves and the planted margin.
 */
export function evaluateJudgesOnSimulation(options: { annotators: number; models: number; seed: number; sample: number; bootstrapRounds?: number }): TSimulatedJudgeReport {
  const { population, verbosity } = verbosityPopulation(options);
  const models = population.models.map((model) => model.id);
  const data = buildAnnotatorVoteData(population.votes, { models });
  const annotatorIndex = new Map(population.annotators.map((annotator, a) => [annotator.id, a]));
  const personas = data.annotators.map((id) => population.annotators[annotatorIndex.get(id)!].persona);
  const heldOut = new Set(annotatorFolds(data.annotators.length, 5, options.seed)[0].map((a) => data.annotators[a]));
  const training = data.annotators.flatMap((id, a) => (heldOut.has(id) ? [] : [a]));
  const trainingData = selectAnnotators(data, training);
  const trainingPersonas = training.map((a) => personas[a]);
  const groups = selectGroupCount(trainingData, trainingPersonas, { seed: options.seed, maxGroups: 4 }).groups;
  const model = fitPreferenceGroups(trainingData, trainingPersonas, { groups, seed: options.seed });
  const boards = fitBaselineBoards(trainingData, trainingPersonas);

  const random = createRandom(options.seed ^ 0x9e3779b9);
  const candidates = population.votes.flatMap((vote, v) => (heldOut.has(vote.annotatorId) ? [v] : []));
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
  }
  const sample = candidates.slice(0, options.sample);
  const items: Record<TSimulatedJudge, TJudgedItem[]> = { demo_judge_persona: [], demo_judge_blind: [], group_model: [], global_board: [] };
  const modelIndex = new Map(models.map((id, m) => [id, m]));
  let planted = 0;
  const agreementDifferences = new Float64Array(sample.length);
  sample.forEach((v, s) => {
    const vote = population.votes[v];
    const persona = population.annotators[annotatorIndex.get(vote.annotatorId)!].persona;
    const i = modelIndex.get(vote.modelA)!;
    const j = modelIndex.get(vote.modelB)!;
    const answer = (m: number) => filler(Math.round(500 * Math.exp(0.7 * verbosity[m] + 0.2 * sampleNormal(random))));
    const input = { personaText: renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, persona).systemPrompt, prompt: "Explain how vaccines work.", answerA: answer(i), answerB: answer(j) };
    const judged = (personaText: string | null): TJudgedItem => {
      const messages = buildJudgeMessages({ ...input, personaText });
      const parsed = parseJudgeOutput(demoJudgeOutput(readJudgeMessage(messages.user)!));
      return parsed.ok ? { human: vote.outcome, verdict: parsed.verdict } : { human: vote.outcome, verdict: null, abstention: parsed.reason };
    };
    const aware = judged(input.personaText);
    const blind = judged(null);
    items.demo_judge_persona.push(aware);
    items.demo_judge_blind.push(blind);
    const gate = gateProbabilities(model.gate, persona);
    items.group_model.push({ human: vote.outcome, verdict: verdictFromProbability(mixtureWinProbability(model, gate, i, j), "Group model") });
    items.global_board.push({ human: vote.outcome, verdict: verdictFromProbability(1 / (1 + Math.exp(boards.global[j] - boards.global[i])), "Global board") });
    const expected = (verdict: TJudgeVerdict | null) => (verdict ? population.truth.voteProbabilities[v * 4 + VOTE_OUTCOMES.indexOf(OUTCOME_OF_CHOICE[verdict.choice])] : 0);
    planted += expected(aware.verdict) - expected(blind.verdict);
    const agrees = (item: TJudgedItem) => (item.verdict && OUTCOME_OF_CHOICE[item.verdict.choice] === vote.outcome ? 1 : 0);
    agreementDifferences[s] = agrees(aware) - agrees(blind);
  });
  return {
    sampled: sample.length,
    judges: {
      demo_judge_persona: summariseAgreement(items.demo_judge_persona),
      demo_judge_blind: summariseAgreement(items.demo_judge_blind),
      group_model: summariseAgreement(items.group_model),
      global_board: summariseAgreement(items.global_board),
    },
    plantedMargin: planted / Math.max(1, sample.length),
    observedMargin: bootstrapMeanDifference(agreementDifferences, new Float64Array(sample.length).fill(1), createRandom(options.seed + 3), options.bootstrapRounds ?? 1000),
  };
}
