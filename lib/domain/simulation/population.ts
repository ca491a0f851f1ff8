import { VOTE_OUTCOMES, type TVoteOutcome } from "../vocabulary";
import { createRandom, randomInt, type Random } from "../random";
import { resolveSimulationConfig, type TResolvedSimulationConfig, type TSimulationConfig } from "./config";
import { personaGroupPosterior, samplePersona } from "./personas";
import type {
  TAnnotatorTruth,
  TGroupTruth,
  TSimulatedAnnotator,
  TSimulatedModel,
  TSimulatedPopulation,
  TSimulatedVote,
  TVoterKind,
} from "./types";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Standard normal draw (Box–Muller). */
export function sampleNormal(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Outcome probabilities (VOTE_OUTCOMES order) of one vote, the single rule the simulator draws
 * from: a too-fast voter flips a coin between the sides; anyone else ties with `tieRate`, says
 * "both bad" with `bothBadRate`·2σ(−(θa+θb)/2) (so weak pairs draw more of it), and otherwise
 * picks the left side with σ(θa − θb + positionBias).
 */
export function outcomeProbabilities(
  strengthA: number,
  strengthB: number,
  voter: { kind: TVoterKind; positionBias: number },
  rates: { tieRate: number; bothBadRate: number },
): [number, number, number, number] {
  if (voter.kind === "too_fast") return [0.5, 0.5, 0, 0];
  const bothBad = rates.bothBadRate * 2 * logistic(-(strengthA + strengthB) / 2);
  const decisive = 1 - rates.tieRate - bothBad;
  const left = logistic(strengthA - strengthB + voter.positionBias);
  return [decisive * left, decisive * (1 - left), rates.tieRate, bothBad];
}

function groupStrengths(config: TResolvedSimulationConfig, random: Random): TGroupTruth[] {
  const shared = config.models.map(() => config.strengthSpread.shared * sampleNormal(random));
  return config.groups.map((group) => {
    const generated = config.models.map((model, m) => group.strengths?.[model] ?? shared[m] + config.strengthSpread.group * sampleNormal(random));
    const mean = generated.reduce((sum, value) => sum + value, 0) / generated.length;
    return {
      id: group.id,
      label: group.label,
      share: group.share,
      signature: group.signature,
      strengths: Object.fromEntries(config.models.map((model, m) => [model, generated[m] - mean])),
    };
  });
}

function pickIndex(weights: readonly number[], random: Random): number {
  let u = random();
  for (let i = 0; i < weights.length - 1; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

function voteCount(config: TResolvedSimulationConfig, random: Random): number {
  const spread = config.activitySpread;
  const drawn = Math.round(config.votesPerAnnotator * Math.exp(spread * sampleNormal(random) - (spread * spread) / 2));
  return Math.min(config.maxVotes, Math.max(config.minVotes, drawn));
}

/** Characters of both answers and the seconds taken to vote on them. */
function readingTime(config: TResolvedSimulationConfig, kind: TVoterKind, random: Random): [number, number] {
  const chars = config.modality === "text" ? 2 * (300 + randomInt(random, 2700)) : 0;
  if (kind === "too_fast") return [chars, Math.round((0.5 + 2 * random()) * 10) / 10];
  const seconds = config.modality === "text" ? 2 + chars / (15 + 20 * random()) : 3 + 27 * random();
  return [chars, Math.round(seconds * (0.8 + 0.6 * random()) * 10) / 10];
}

/**
 * Simulates a population of annotators voting on battles between the caller's models.
 *
 * Generative story, all drawn from one seeded generator (same config and seed, same result):
 * 1. each latent group gets log-odds strengths per model (given, or shared + group deviation);
 * 2. each annotator joins a group by share, draws a persona leaning to the group's signature
 *    (`personaLink`), and is ordinary, position-biased or too fast;
 * 3. each annotator casts a log-normal number of votes on uniformly drawn model pairs (random
 *    sides) at uniform times between their own first day and the end of the window, each outcome
 *    drawn from `outcomeProbabilities`.
 *
 * Returns the annotators (ids `sim-a{n}`), the models, the votes sorted by time (ids `sim-v{n}`)
 * and the ground truth (groups, each annotator's group and kind, every vote's generating
 * probabilities), which `groundTruthFile` serialises next to the output.
 */
export function simulatePopulation(config: TSimulationConfig, seed: number): TSimulatedPopulation {
  const resolved = resolveSimulationConfig(config);
  const random = createRandom(seed);
  const groups = groupStrengths(resolved, random);
  const models: TSimulatedModel[] = resolved.models.map((id) => ({ id, groupStrengths: groups.map((group) => group.strengths[id]) }));
  const shares = groups.map((group) => group.share);
  const width = resolved.window.days * DAY_MS;
  const modelCount = resolved.models.length;

  const annotators: TSimulatedAnnotator[] = [];
  const annotatorTruth: TAnnotatorTruth[] = [];
  const drafts: { vote: TSimulatedVote; probabilities: [number, number, number, number] }[] = [];
  for (let n = 0; n < resolved.annotators; n++) {
    const id = `sim-a${n + 1}`;
    const group = pickIndex(shares, random);
    const persona = samplePersona(groups[group].signature, resolved.personaLink, resolved.missingRate, random);
    const kindDraw = random();
    const kind: TVoterKind =
      kindDraw < resolved.tooFastShare ? "too_fast" : kindDraw < resolved.tooFastShare + resolved.positionBias.share ? "position_biased" : "ordinary";
    const positionBias = kind === "position_biased" ? resolved.positionBias.logOdds : 0;
    annotators.push({ id, persona });
    annotatorTruth.push({
      annotatorId: id,
      group,
      kind,
      positionBias,
      personaPosterior: personaGroupPosterior(persona, groups, resolved.personaLink),
    });
    const firstDay = random() * width;
    const count = voteCount(resolved, random);
    const strengths = models.map((model) => model.groupStrengths[group]);
    for (let v = 0; v < count; v++) {
      const a = randomInt(random, modelCount);
      let b = randomInt(random, modelCount - 1);
      if (b >= a) b++;
      const probabilities = outcomeProbabilities(strengths[a], strengths[b], { kind, positionBias }, resolved);
      const outcome: TVoteOutcome = VOTE_OUTCOMES[pickIndex(probabilities, random)];
      const [answerLengthChars, secondsFromCompleteToVote] = readingTime(resolved, kind, random);
      const timestamp = resolved.window.start + Math.floor(firstDay + random() * (width - firstDay));
      drafts.push({
        vote: { id: "", annotatorId: id, modality: resolved.modality, modelA: resolved.models[a], modelB: resolved.models[b], outcome, timestamp, secondsFromCompleteToVote, answerLengthChars },
        probabilities,
      });
    }
  }
  drafts.sort((x, y) => x.vote.timestamp - y.vote.timestamp);
  const voteProbabilities = new Float64Array(drafts.length * 4);
  const votes = drafts.map((draft, index) => {
    voteProbabilities.set(draft.probabilities, index * 4);
    draft.vote.id = `sim-v${index + 1}`;
    return draft.vote;
  });
  return { annotators, models, votes, truth: { seed, config: resolved, groups, annotators: annotatorTruth, voteProbabilities } };
}
