import { outcomeProbabilities } from "./population";
import type { TGroundTruth, TSimulatedPopulation, TVoterKind } from "./types";

/**
 * What a predictor is allowed to know about the voter:
 * - `oracle`: the true group and voter kind (the generating probabilities themselves);
 * - `group`: the true group, not the voter kind (position bias, too fast) — that is mixed in by
 *   population shares;
 * - `persona`: only the persona, i.e. P(group | persona) mixed over groups, and kinds by shares.
 */
export type TBayesInformation = "oracle" | "group" | "persona";

/** Path of the ground-truth file written next to an output: `votes.jsonl` → `votes.truth.json`. */
export function groundTruthPath(outputPath: string): string {
  const slash = Math.max(outputPath.lastIndexOf("/"), outputPath.lastIndexOf("\\"));
  const dot = outputPath.lastIndexOf(".");
  const stem = dot > slash + 1 ? outputPath.slice(0, dot) : outputPath;
  return `${stem}.truth.json`;
}

/**
 * The ground truth as JSON (vote probabilities as plain arrays of 4, rounded to 1e-6, aligned with
 * the votes). Pure: the caller writes `{ path, contents }` with its own file API, e.g.
 * `writeFileSync(file.path, file.contents)`.
 */
export function groundTruthFile(outputPath: string, truth: TGroundTruth, options: { includeVoteProbabilities?: boolean } = {}): { path: string; contents: string } {
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  const voteProbabilities: number[][] = [];
  if (options.includeVoteProbabilities ?? true) {
    for (let v = 0; v < truth.voteProbabilities.length; v += 4) {
      voteProbabilities.push(Array.from(truth.voteProbabilities.subarray(v, v + 4), round));
    }
  }
  const serialisable = {
    seed: truth.seed,
    config: truth.config,
    groups: truth.groups,
    annotators: truth.annotators.map((annotator) => ({ ...annotator, personaPosterior: annotator.personaPosterior.map(round) })),
    voteProbabilities,
  };
  return { path: groundTruthPath(outputPath), contents: `${JSON.stringify(serialisable)}\n` };
}

function kindShares(truth: TGroundTruth): { kind: TVoterKind; share: number; positionBias: number }[] {
  const { tooFastShare, positionBias } = truth.config;
  return [
    { kind: "too_fast", share: tooFastShare, positionBias: 0 },
    { kind: "position_biased", share: positionBias.share, positionBias: positionBias.logOdds },
    { kind: "ordinary", share: 1 - tooFastShare - positionBias.share, positionBias: 0 },
  ];
}

/**
 * The Bayes-optimal outcome probabilities (VOTE_OUTCOMES order) of vote `index` given
 * `information` about its voter.
 */
export function bayesProbabilities(population: TSimulatedPopulation, index: number, information: TBayesInformation): [number, number, number, number] {
  const { truth, votes } = population;
  if (information === "oracle") return Array.from(truth.voteProbabilities.subarray(index * 4, index * 4 + 4)) as [number, number, number, number];
  const vote = votes[index];
  const annotator = truth.annotators[annotatorIndex(vote.annotatorId)];
  const groupWeights = information === "group" ? truth.groups.map((_, g) => (g === annotator.group ? 1 : 0)) : annotator.personaPosterior;
  const mixed: [number, number, number, number] = [0, 0, 0, 0];
  truth.groups.forEach((group, g) => {
    if (groupWeights[g] === 0) return;
    for (const voter of kindShares(truth)) {
      const probabilities = outcomeProbabilities(group.strengths[vote.modelA], group.strengths[vote.modelB], voter, truth.config);
      for (let o = 0; o < 4; o++) mixed[o] += groupWeights[g] * voter.share * probabilities[o];
    }
  });
  return mixed;
}

/** Annotator ids are `sim-a{n}`, n from 1, aligned with truth.annotators. */
function annotatorIndex(annotatorId: string): number {
  return Number(annotatorId.slice("sim-a".length)) - 1;
}

export interface TBayesRate {
  /** Decisive votes (model_a / model_b) scored. */
  votes: number;
  /** Expected accuracy of the Bayes classifier on them: mean of max(p, 1 − p), p = P(left | decisive). */
  expectedAccuracy: number;
  /** Its realised accuracy on the drawn outcomes. */
  realisedAccuracy: number;
  /** Its mean log-likelihood (natural log) of the drawn decisive outcomes. */
  meanLogLikelihood: number;
}

/**
 * The best accuracy any predictor with `information` can reach on the decisive votes among
 * `voteIndices` (all votes by default): the "Bayes rate" benchmarks compare methods to.
 */
export function bayesRate(population: TSimulatedPopulation, information: TBayesInformation, voteIndices?: Iterable<number>): TBayesRate {
  let votes = 0;
  let expected = 0;
  let realised = 0;
  let logLikelihood = 0;
  const indices = voteIndices ?? population.votes.keys();
  for (const index of indices) {
    const outcome = population.votes[index].outcome;
    if (outcome !== "model_a" && outcome !== "model_b") continue;
    const [a, b] = bayesProbabilities(population, index, information);
    const left = a / (a + b);
    votes++;
    expected += Math.max(left, 1 - left);
    const predictedLeft = left >= 0.5;
    if (predictedLeft === (outcome === "model_a")) realised++;
    logLikelihood += Math.log(outcome === "model_a" ? left : 1 - left);
  }
  return {
    votes,
    expectedAccuracy: votes ? expected / votes : Number.NaN,
    realisedAccuracy: votes ? realised / votes : Number.NaN,
    meanLogLikelihood: votes ? logLikelihood / votes : Number.NaN,
  };
}
