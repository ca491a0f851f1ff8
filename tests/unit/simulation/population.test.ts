import { describe, expect, it } from "vitest";
import { ZPersonaSchema } from "@/lib/domain/persona/schema";
import { simulatedVoteQuality } from "@/lib/domain/preference-groups/held-out";
import {
  SimulationConfigError,
  bayesRate,
  groundTruthFile,
  groundTruthPath,
  personaAttributeValue,
  populationPreset,
  simulatePopulation,
  type TSimulationConfig,
} from "@/lib/domain/simulation";

const MODELS = ["alpha", "beta", "gamma", "delta"];

function twoGroups(overrides: Partial<TSimulationConfig> = {}): TSimulationConfig {
  return populationPreset("two-groups", { annotators: 200, models: MODELS, ...overrides });
}

describe("simulatePopulation", () => {
  it("is reproducible from the seed and changes with it", () => {
    const first = simulatePopulation(twoGroups(), 11);
    const again = simulatePopulation(twoGroups(), 11);
    const other = simulatePopulation(twoGroups(), 12);
    expect(again.votes).toEqual(first.votes);
    expect(again.annotators).toEqual(first.annotators);
    expect(Array.from(again.truth.voteProbabilities)).toEqual(Array.from(first.truth.voteProbabilities));
    expect(other.votes.map((vote) => vote.outcome)).not.toEqual(first.votes.map((vote) => vote.outcome));
  }, 60_000);

  it("gives every annotator a persona that is a valid survey answer", () => {
    const population = simulatePopulation(populationPreset("five-groups", { annotators: 300, models: MODELS, missingRate: 0.2 }), 3);
    for (const annotator of population.annotators) {
      expect(ZPersonaSchema.parse(annotator.persona)).toEqual(annotator.persona);
    }
    expect(new Set(population.annotators.map((annotator) => annotator.id)).size).toBe(300);
  }, 60_000);

  it("uses the caller's model ids and modality, and keeps votes sorted inside the window", () => {
    const start = Date.UTC(2026, 2, 1);
    const population = simulatePopulation(twoGroups({ modality: "image", window: { start, days: 60 } }), 5);
    const end = start + 60 * 86_400_000;
    expect(population.models.map((model) => model.id)).toEqual(MODELS);
    const problems = population.votes.flatMap((vote, v) => {
      const wrong: string[] = [];
      if (!MODELS.includes(vote.modelA) || !MODELS.includes(vote.modelB) || vote.modelA === vote.modelB) wrong.push("models");
      if (vote.modality !== "image" || vote.answerLengthChars !== 0) wrong.push("modality");
      if (vote.timestamp < start || vote.timestamp >= end) wrong.push("window");
      if (v > 0 && vote.timestamp < population.votes[v - 1].timestamp) wrong.push("order");
      if (vote.id !== `sim-v${v + 1}`) wrong.push("id");
      return wrong.map((problem) => `${vote.id}: ${problem}`);
    });
    expect(problems).toEqual([]);
    expect(population.votes.length).toBeGreaterThan(1000);
  }, 60_000);

  it("casts exactly votesPerAnnotator votes each without activity spread", () => {
    const population = simulatePopulation(twoGroups({ annotators: 30, votesPerAnnotator: 17, activitySpread: 0 }), 1);
    const counts = new Map<string, number>();
    for (const vote of population.votes) counts.set(vote.annotatorId, (counts.get(vote.annotatorId) ?? 0) + 1);
    expect([...counts.values()]).toEqual(new Array(30).fill(17));
  });

  it("spreads activity log-normally around the mean when asked", () => {
    const population = simulatePopulation(twoGroups({ annotators: 2000, votesPerAnnotator: 40, activitySpread: 0.8 }), 2);
    const counts = new Map<string, number>();
    for (const vote of population.votes) counts.set(vote.annotatorId, (counts.get(vote.annotatorId) ?? 0) + 1);
    const values = [...counts.values()];
    expect(population.votes.length / 2000).toBeGreaterThan(36);
    expect(population.votes.length / 2000).toBeLessThan(44);
    expect(Math.max(...values)).toBeGreaterThan(120);
    expect(Math.min(...values)).toBeLessThan(10);
  }, 60_000);

  it("assigns groups by share and plants their signature in personas with the persona link", () => {
    const population = simulatePopulation(twoGroups({ annotators: 2000, personaLink: 1, missingRate: 0 }), 4);
    const members = population.truth.annotators.filter((annotator) => annotator.group === 0);
    expect(members.length / 2000).toBeGreaterThan(0.45);
    expect(members.length / 2000).toBeLessThan(0.55);
    for (const annotator of population.truth.annotators) {
      const persona = population.annotators[population.truth.annotators.indexOf(annotator)].persona;
      for (const condition of population.truth.groups[annotator.group].signature) {
        expect(personaAttributeValue(persona, condition.attribute)).toBe(condition.value);
      }
    }
  }, 60_000);

  it("leaves personas uninformative when the persona link is 0", () => {
    const population = simulatePopulation(twoGroups({ personaLink: 0 }), 4);
    for (const annotator of population.truth.annotators) {
      expect(annotator.personaPosterior[0]).toBeCloseTo(0.5, 12);
    }
  });

  it("makes the persona posterior favour the true group when the link is strong", () => {
    const population = simulatePopulation(twoGroups({ annotators: 1000, personaLink: 0.9 }), 8);
    const correct = population.truth.annotators.filter((annotator) => annotator.personaPosterior[annotator.group] > 0.5).length;
    expect(correct / 1000).toBeGreaterThan(0.9);
  }, 60_000);

  it("draws outcomes with the recorded probabilities (ties, both-bad, left wins)", () => {
    const population = simulatePopulation(twoGroups({ annotators: 1500, tieRate: 0.15, bothBadRate: 0.05 }), 9);
    const expected = [0, 0, 0, 0];
    const observed = { model_a: 0, model_b: 0, tie: 0, both_bad: 0 };
    population.votes.forEach((vote, v) => {
      for (let o = 0; o < 4; o++) expected[o] += population.truth.voteProbabilities[v * 4 + o];
      observed[vote.outcome]++;
    });
    const n = population.votes.length;
    const observedShares = [observed.model_a, observed.model_b, observed.tie, observed.both_bad].map((count) => count / n);
    expected.forEach((sum, o) => expect(Math.abs(observedShares[o] - sum / n)).toBeLessThan(0.01));
    expect(observed.tie / n).toBeGreaterThan(0.12);
    expect(observed.both_bad / n).toBeGreaterThan(0.02);
  }, 60_000);

  it("honours given strengths (centred) and makes groups disagree", () => {
    const population = simulatePopulation(
      {
        annotators: 400,
        models: ["x", "y"],
        groups: [
          { share: 1, strengths: { x: 2, y: 0 } },
          { share: 1, strengths: { x: 0, y: 2 } },
        ],
        tieRate: 0,
        bothBadRate: 0,
        positionBias: { share: 0 },
        tooFastShare: 0,
      },
      6,
    );
    expect(population.truth.groups[0].strengths).toEqual({ x: 1, y: -1 });
    const xWinsByGroup = [0, 0];
    const votesByGroup = [0, 0];
    population.votes.forEach((vote) => {
      const group = population.truth.annotators[Number(vote.annotatorId.slice(5)) - 1].group;
      votesByGroup[group]++;
      if ((vote.outcome === "model_a") === (vote.modelA === "x")) xWinsByGroup[group]++;
    });
    expect(xWinsByGroup[0] / votesByGroup[0]).toBeGreaterThan(0.82);
    expect(xWinsByGroup[1] / votesByGroup[1]).toBeLessThan(0.18);
  });

  it("plants position bias and too-fast voters that the quality checks can find", () => {
    const population = simulatePopulation(
      twoGroups({ annotators: 300, votesPerAnnotator: 60, activitySpread: 0, positionBias: { share: 0.2, logOdds: 2 }, tooFastShare: 0.1 }),
      10,
    );
    const reports = simulatedVoteQuality(population.votes);
    const kindOf = new Map(population.truth.annotators.map((annotator) => [annotator.annotatorId, annotator.kind]));
    const tooFast = reports.filter((report) => kindOf.get(report.annotatorId) === "too_fast");
    const biased = reports.filter((report) => kindOf.get(report.annotatorId) === "position_biased");
    const ordinary = reports.filter((report) => kindOf.get(report.annotatorId) === "ordinary");
    expect(tooFast.length).toBeGreaterThan(15);
    expect(tooFast.every((report) => report.flags.includes("too_fast"))).toBe(true);
    expect(ordinary.some((report) => report.flags.includes("too_fast"))).toBe(false);
    expect(biased.filter((report) => report.flags.includes("position_bias")).length / biased.length).toBeGreaterThan(0.7);
  }, 60_000);

  it("rejects impossible configs with the field named", () => {
    expect(() => simulatePopulation({ annotators: 10, models: ["only"] }, 1)).toThrow(SimulationConfigError);
    expect(() =>
      simulatePopulation({ annotators: 10, models: MODELS, groups: [{ share: 1, signature: [{ attribute: "shoeSize" as never, value: "42" }] }] }, 1),
    ).toThrow(/attribute/);
    expect(() =>
      simulatePopulation({ annotators: 10, models: MODELS, groups: [{ share: 1, signature: [{ attribute: "expertise", value: "wizardry" }] }] }, 1),
    ).toThrow(/values/);
    expect(() => simulatePopulation({ annotators: 10, models: MODELS, groups: [{ share: 1, strengths: { nobody: 1 } }] }, 1)).toThrow(/nobody/);
    expect(() => simulatePopulation({ annotators: 10, models: MODELS, tieRate: 0.8, bothBadRate: 0.2 }, 1)).toThrow(/tieRate/);
    expect(() => simulatePopulation({ annotators: 10, models: ["a", "a"] }, 1)).toThrow(/unique/);
  });
});

describe("ground truth", () => {
  it("is written next to the output as JSON aligned with the votes", () => {
    const population = simulatePopulation(twoGroups({ annotators: 20 }), 1);
    const file = groundTruthFile("out/run-1/votes.jsonl", population.truth);
    expect(file.path).toBe("out/run-1/votes.truth.json");
    const parsed = JSON.parse(file.contents);
    expect(parsed.seed).toBe(1);
    expect(parsed.groups.map((group: { id: string }) => group.id)).toEqual(["thorough", "brief"]);
    expect(parsed.annotators).toHaveLength(20);
    expect(parsed.voteProbabilities).toHaveLength(population.votes.length);
    expect(parsed.voteProbabilities[0].reduce((sum: number, p: number) => sum + p, 0)).toBeCloseTo(1, 5);
  });

  it("names the truth file after the output's stem", () => {
    expect(groundTruthPath("votes")).toBe("votes.truth.json");
    expect(groundTruthPath("a.b/votes")).toBe("a.b/votes.truth.json");
    expect(groundTruthPath(".hidden")).toBe(".hidden.truth.json");
  });

  it("orders the Bayes rates by information: oracle ≥ group ≥ persona", () => {
    const population = simulatePopulation(twoGroups({ annotators: 800 }), 13);
    const oracle = bayesRate(population, "oracle");
    const group = bayesRate(population, "group");
    const persona = bayesRate(population, "persona");
    expect(oracle.expectedAccuracy).toBeGreaterThanOrEqual(group.expectedAccuracy - 1e-9);
    expect(group.expectedAccuracy).toBeGreaterThan(persona.expectedAccuracy);
    expect(Math.abs(persona.realisedAccuracy - persona.expectedAccuracy)).toBeLessThan(0.02);
    expect(oracle.votes).toBe(population.votes.filter((vote) => vote.outcome === "model_a" || vote.outcome === "model_b").length);
  }, 60_000);

  it("gives every Bayes information the same rate on a homogeneous population without voter quirks", () => {
    const population = simulatePopulation(
      populationPreset("homogeneous", { annotators: 200, models: MODELS, positionBias: { share: 0 }, tooFastShare: 0 }),
      2,
    );
    expect(bayesRate(population, "persona").expectedAccuracy).toBeCloseTo(bayesRate(population, "oracle").expectedAccuracy, 12);
  });
});
