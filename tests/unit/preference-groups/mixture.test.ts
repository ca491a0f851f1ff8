import { describe, expect, it } from "vitest";
import { fitStrengths } from "@/lib/domain/rating/bradley-terry";
import { adjustedRandIndex, bootstrapMeanDifference } from "@/lib/domain/preference-groups/agreement";
import { fitMixtureBradleyTerry } from "@/lib/domain/preference-groups/mixture";
import { fitPreferenceGroups, mixtureWinProbability, mostLikelyGroup } from "@/lib/domain/preference-groups/model";
import { fitPersonaGate, gateProbabilities } from "@/lib/domain/preference-groups/persona-gate";
import { annotatorCells, buildAnnotatorVoteData, selectAnnotators, type TPreferenceVote } from "@/lib/domain/preference-groups/vote-data";
import { createRandom } from "@/lib/domain/random";
import type { TVoteOutcome } from "@/lib/domain/vocabulary";

function votes(annotatorId: string, modelA: string, modelB: string, outcome: TVoteOutcome, count: number): TPreferenceVote[] {
  return Array.from({ length: count }, () => ({ annotatorId, modelA, modelB, outcome }));
}

/** Annotators u1…u5 prefer x to y 9 times in 10; v1…v5 prefer y to x 9 times in 10. */
function opposedCamps(): TPreferenceVote[] {
  const all: TPreferenceVote[] = [];
  for (let n = 1; n <= 5; n++) {
    all.push(...votes(`u${n}`, "x", "y", "model_a", 9), ...votes(`u${n}`, "y", "x", "model_a", 1));
    all.push(...votes(`v${n}`, "x", "y", "model_b", 9), ...votes(`v${n}`, "y", "x", "model_b", 1));
  }
  return all;
}

describe("buildAnnotatorVoteData", () => {
  it("groups votes by annotator and unordered pair, sides dropped, ties kept apart", () => {
    const data = buildAnnotatorVoteData([
      { annotatorId: "a", modelA: "x", modelB: "y", outcome: "model_a" },
      { annotatorId: "a", modelA: "y", modelB: "x", outcome: "model_a" },
      { annotatorId: "a", modelA: "y", modelB: "x", outcome: "both_bad" },
      { annotatorId: "b", modelA: "x", modelB: "z", outcome: "tie" },
      { annotatorId: "b", modelA: "x", modelB: "x", outcome: "model_a" },
    ]);
    expect(data.models).toEqual(["x", "y", "z"]);
    expect(data.annotators).toEqual(["a", "b"]);
    expect(Array.from(data.offsets)).toEqual([0, 1, 2]);
    expect(Array.from(data.lowIndex)).toEqual([0 * 3 + 1, 0 * 3 + 2]);
    expect(Array.from(data.highIndex)).toEqual([1 * 3 + 0, 2 * 3 + 0]);
    expect(Array.from(data.lowWins)).toEqual([1, 0]);
    expect(Array.from(data.highWins)).toEqual([1, 0]);
    expect(Array.from(data.ties)).toEqual([1, 1]);
    expect(Array.from(data.votes)).toEqual([3, 1]);
  });

  it("skips votes on models outside a fixed model list and keeps listed annotators without votes", () => {
    const data = buildAnnotatorVoteData([{ annotatorId: "a", modelA: "x", modelB: "w", outcome: "model_a" }], { models: ["x", "y"], annotators: ["a", "b"] });
    expect(data.models).toEqual(["x", "y"]);
    expect(Array.from(data.votes)).toEqual([0, 0]);
    expect(data.offsets[2]).toBe(0);
  });

  it("selects annotators and turns them back into battle cells", () => {
    const data = buildAnnotatorVoteData(opposedCamps());
    const camp = selectAnnotators(data, [1, 3]);
    expect(camp.annotators).toEqual(["v1", "v2"]);
    const cells = annotatorCells(camp, [0, 1]);
    expect(cells.total).toBe(20);
    expect(cells.counts[1 * 3 + 0]).toBe(2);
    expect(cells.counts[1 * 3 + 1]).toBe(18);
  });
});

describe("fitMixtureBradleyTerry", () => {
  it("separates two opposed camps into two groups with opposite strengths", () => {
    const data = buildAnnotatorVoteData(opposedCamps());
    const fit = fitMixtureBradleyTerry(data, { groups: 2, seed: 1 });
    expect(fit.converged).toBe(true);
    const labels = data.annotators.map((_, a) => mostLikelyGroup(fit.responsibilities.subarray(2 * a, 2 * a + 2)));
    const camps = data.annotators.map((id) => (id.startsWith("u") ? 0 : 1));
    expect(adjustedRandIndex(labels, camps)).toBe(1);
    for (let a = 0; a < data.annotators.length; a++) expect(Math.max(fit.responsibilities[2 * a], fit.responsibilities[2 * a + 1])).toBeGreaterThan(0.99);
    const uGroup = labels[data.annotators.indexOf("u1")];
    expect(fit.strengths[uGroup][0] - fit.strengths[uGroup][1]).toBeGreaterThan(1.5);
    expect(fit.strengths[1 - uGroup][0] - fit.strengths[1 - uGroup][1]).toBeLessThan(-1.5);
    expect(fit.weights[0]).toBeCloseTo(0.5, 6);
  });

  it("with one group is the MAP Bradley–Terry fit under the same prior", () => {
    const data = buildAnnotatorVoteData([...votes("a", "x", "y", "model_a", 6), ...votes("b", "y", "z", "model_a", 3), ...votes("b", "x", "z", "tie", 2)]);
    const fit = fitMixtureBradleyTerry(data, { groups: 1, seed: 1, priorPrecision: 0.1 });
    const wins = new Float64Array(9);
    wins[0 * 3 + 1] = 6;
    wins[1 * 3 + 2] = 3;
    wins[0 * 3 + 2] = 1;
    wins[2 * 3 + 0] = 1;
    const expected = fitStrengths(wins, 3, { priorPrecision: new Float64Array(3).fill(0.1) }).strengths;
    const mean = expected.reduce((sum, value) => sum + value, 0) / 3;
    fit.strengths[0].forEach((value, m) => expect(value).toBeCloseTo(expected[m] - mean, 6));
    expect(Array.from(fit.responsibilities)).toEqual([1, 1]);
  });

  it("keeps strengths finite when a model never loses (the weak prior)", () => {
    const data = buildAnnotatorVoteData(votes("a", "x", "y", "model_a", 50));
    const fit = fitMixtureBradleyTerry(data, { groups: 2, seed: 3 });
    for (const theta of fit.strengths) for (const value of theta) expect(Number.isFinite(value)).toBe(true);
    expect(Math.abs(fit.strengths[0][0])).toBeLessThan(10);
  });

  it("scores a tie as half a win each way", () => {
    const tied = fitMixtureBradleyTerry(buildAnnotatorVoteData(votes("a", "x", "y", "tie", 10)), { groups: 1, seed: 1 });
    expect(tied.strengths[0][0]).toBeCloseTo(0, 10);
    const split = fitMixtureBradleyTerry(buildAnnotatorVoteData([...votes("a", "x", "y", "model_a", 5), ...votes("a", "x", "y", "model_b", 5)]), { groups: 1, seed: 1 });
    expect(tied.logLikelihood).toBeCloseTo(split.logLikelihood, 10);
  });

  it("is deterministic for a seed and orders groups largest first", () => {
    const camps = opposedCamps().filter((vote) => vote.annotatorId !== "v5" && vote.annotatorId !== "v4");
    const data = buildAnnotatorVoteData(camps);
    const first = fitMixtureBradleyTerry(data, { groups: 2, seed: 9 });
    const again = fitMixtureBradleyTerry(data, { groups: 2, seed: 9 });
    expect(Array.from(again.responsibilities)).toEqual(Array.from(first.responsibilities));
    expect(first.weights[0]).toBeGreaterThan(first.weights[1]);
    expect(first.strengths[0][0]).toBeGreaterThan(first.strengths[0][1]);
  });

  it("rejects a group count below one", () => {
    expect(() => fitMixtureBradleyTerry(buildAnnotatorVoteData(opposedCamps()), { groups: 0, seed: 1 })).toThrow(RangeError);
  });
});

describe("persona gate and group model", () => {
  it("learns which persona answers go with which group and falls back to the sizes", () => {
    const data = buildAnnotatorVoteData(opposedCamps());
    const personas = data.annotators.map((id) => ({ expertise: id.startsWith("u") ? ("software" as const) : ("arts" as const) }));
    const model = fitPreferenceGroups(data, personas, { groups: 2, seed: 1 });
    const uGroup = mostLikelyGroup(model.posteriors.subarray(0, 2));
    expect(gateProbabilities(model.gate, { expertise: "software" })[uGroup]).toBeGreaterThan(0.8);
    expect(gateProbabilities(model.gate, { expertise: "arts" })[uGroup]).toBeLessThan(0.2);
    const unknown = gateProbabilities(model.gate, null);
    expect(unknown[0]).toBeCloseTo(model.gate.weights[0], 12);
    const software = gateProbabilities(model.gate, { expertise: "software" });
    expect(mixtureWinProbability(model, software, 0, 1)).toBeGreaterThan(0.6);
    expect(mixtureWinProbability(model, gateProbabilities(model.gate, { expertise: "arts" }), 0, 1)).toBeLessThan(0.4);
  });

  it("ignores answers given as prefer-not-to-say", () => {
    const gate = fitPersonaGate([{ gender: "woman" }, { gender: "man" }], Float64Array.from([1, 0, 0, 1]), 2);
    expect(Array.from(gateProbabilities(gate, { gender: "prefer_not_to_say" }))).toEqual(Array.from(gateProbabilities(gate, {})));
  });
});

describe("adjustedRandIndex", () => {
  it("is 1 for the same partition under other names and matches a known value", () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [5, 5, 3, 3])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714, 8);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 0, 0, 0])).toBe(1);
    expect(adjustedRandIndex([0, 1, 0, 1], [0, 0, 1, 1])).toBeLessThan(0);
  });
});

describe("bootstrapMeanDifference", () => {
  it("gives a zero-width interval for identical per-vote differences and a positive one for a clear gain", () => {
    const flat = bootstrapMeanDifference([2, 4, 6], [1, 2, 3], createRandom(1), 200);
    expect(flat.estimate).toBe(2);
    expect(flat.lower).toBeCloseTo(2, 12);
    expect(flat.upper).toBeCloseTo(2, 12);
    const noisy = bootstrapMeanDifference([0.5, 1.5, 0.8, 1.2, 1], [1, 1, 1, 1, 1], createRandom(1), 500);
    expect(noisy.lower).toBeGreaterThan(0);
    expect(noisy.lower).toBeLessThan(noisy.estimate);
    expect(noisy.upper).toBeGreaterThan(noisy.estimate);
  });
});
