import { describe, expect, it } from "vitest";
import { evaluatePreferenceGroupsOnSimulation } from "@/lib/domain/preference-groups/held-out";
import { annotatorFolds, selectGroupCount } from "@/lib/domain/preference-groups/select-k";
import { buildAnnotatorVoteData } from "@/lib/domain/preference-groups/vote-data";
import { populationPreset, simulatePopulation } from "@/lib/domain/simulation";

const MODELS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"];

function simulated(preset: "homogeneous" | "two-groups" | "five-groups", annotators: number, seed: number) {
  const population = simulatePopulation(populationPreset(preset, { annotators, models: MODELS, votesPerAnnotator: 40, tooFastShare: 0 }), seed);
  const data = buildAnnotatorVoteData(population.votes, { models: MODELS });
  const personas = data.annotators.map((id) => population.annotators[Number(id.slice(5)) - 1].persona);
  return { data, personas };
}

describe("annotatorFolds", () => {
  it("deals every annotator into exactly one fold, seeded", () => {
    const folds = annotatorFolds(10, 3, 4);
    expect(folds.flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(folds.map((fold) => fold.length).sort()).toEqual([3, 3, 4]);
    expect(annotatorFolds(10, 3, 4)).toEqual(folds);
    expect(annotatorFolds(10, 3, 5)).not.toEqual(folds);
  });
});

describe("selectGroupCount", () => {
  it("picks K = 1 on a homogeneous population", () => {
    const { data, personas } = simulated("homogeneous", 600, 3);
    const selection = selectGroupCount(data, personas, { seed: 1, maxGroups: 4 });
    expect(selection.groups).toBe(1);
    expect(selection.candidates[0].groups).toBe(1);
  }, 60_000);

  it("finds two planted groups, and scores K = 2 well above K = 1", () => {
    const { data, personas } = simulated("two-groups", 600, 3);
    const selection = selectGroupCount(data, personas, { seed: 1, maxGroups: 4 });
    expect(selection.groups).toBe(2);
    const [one, two] = selection.candidates;
    expect(two.heldOutLogLikelihood - one.heldOutLogLikelihood).toBeGreaterThan(3 * one.standardError);
  }, 60_000);

  it("cross-validates large data on a subset of annotators", () => {
    const { data, personas } = simulated("two-groups", 600, 5);
    const selection = selectGroupCount(data, personas, { seed: 1, maxGroups: 3, maxAnnotators: 200 });
    expect(selection.groups).toBe(2);
    const votesScored = selection.candidates[0].heldOutLogLikelihood / selection.candidates[0].perVote;
    expect(votesScored).toBeLessThan(data.votes.reduce((sum, votes) => sum + votes, 0) / 2);
  }, 60_000);
});

describe("acceptance on simulated populations (held-out annotators)", () => {
  it("two planted groups: ARI ≥ 0.8 and held-out likelihood beats the global and segment boards (CI excludes 0)", () => {
    const population = simulatePopulation(populationPreset("two-groups", { annotators: 1200, models: MODELS, votesPerAnnotator: 40 }), 21);
    const report = evaluatePreferenceGroupsOnSimulation(population, { seed: 2, maxGroups: 4, bootstrapRounds: 400 });
    expect(report.groups).toBe(2);
    expect(report.ari.value).toBeGreaterThanOrEqual(0.8);
    expect(report.difference.vsGlobal.lower).toBeGreaterThan(0);
    expect(report.difference.vsSegment.lower).toBeGreaterThan(0);
    const accuracy = report.methods.find((method) => method.method === "groups_persona")!.accuracy;
    expect(Math.abs(accuracy - report.bayesRate)).toBeLessThan(0.03);
  }, 120_000);

  it("homogeneous population: K = 1", () => {
    const population = simulatePopulation(populationPreset("homogeneous", { annotators: 800, models: MODELS, votesPerAnnotator: 40 }), 22);
    const report = evaluatePreferenceGroupsOnSimulation(population, { seed: 2, maxGroups: 3, bootstrapRounds: 100 });
    expect(report.groups).toBe(1);
    expect(report.excludedTooFast).toBeGreaterThan(0);
  }, 120_000);
});
