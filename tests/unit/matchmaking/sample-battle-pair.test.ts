import { describe, expect, it } from "vitest";
import {
  effectiveSamplingWeight,
  pairProbabilities,
  sampleBattlePair,
  type TMatchmakingModel,
  type TMatchmakingOptions,
} from "@/lib/domain/matchmaking/sample-battle-pair";
import { createRandom } from "@/lib/domain/random";

const DRAWS = 20_000;

function model(id: string, overrides: Partial<TMatchmakingModel> = {}): TMatchmakingModel {
  return { id, organizationId: `org-${id}`, modality: "text", active: true, paused: false, weight: 1, votes: 1000, ...overrides };
}

const text: TMatchmakingOptions = { modality: "text" };

function draw(models: TMatchmakingModel[], options: TMatchmakingOptions, seed = 1, draws = DRAWS) {
  const random = createRandom(seed);
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < draws; i++) {
    const result = sampleBattlePair(models, options, random);
    if (!result.ok) throw new Error(result.reason);
    pairs.push([result.modelA.id, result.modelB.id]);
  }
  return pairs;
}

function appearanceShare(pairs: Array<[string, string]>, id: string): number {
  return pairs.filter(([a, b]) => a === id || b === id).length / pairs.length;
}

/** Tolerance for a frequency estimated from `DRAWS` samples: five standard errors. */
function tolerance(probability: number, draws = DRAWS): number {
  return 5 * Math.sqrt((probability * (1 - probability)) / draws);
}

describe("effectiveSamplingWeight", () => {
  it("returns the registry weight for a well-measured model", () => {
    expect(effectiveSamplingWeight(model("a", { weight: 3 }), text)).toBe(3);
  });

  it("boosts a model below the vote target", () => {
    expect(effectiveSamplingWeight(model("a", { votes: 299 }), text)).toBe(2);
    expect(effectiveSamplingWeight(model("a", { votes: 300 }), text)).toBe(1);
  });

  it("uses a configurable target and boost", () => {
    expect(effectiveSamplingWeight(model("a", { votes: 50 }), { ...text, targetVotes: 40, lowDataBoost: 5 })).toBe(1);
    expect(effectiveSamplingWeight(model("a", { votes: 30 }), { ...text, targetVotes: 40, lowDataBoost: 5 })).toBe(5);
  });

  it("boosts a wide interval only when the check is enabled", () => {
    const wide = model("a", { ciWidth: 80 });
    expect(effectiveSamplingWeight(wide, text)).toBe(1);
    expect(effectiveSamplingWeight(wide, { ...text, maxCiWidth: 50 })).toBe(2);
    expect(effectiveSamplingWeight(model("a", { ciWidth: 20 }), { ...text, maxCiWidth: 50 })).toBe(1);
  });

  it("applies the boost once when both conditions hold", () => {
    expect(effectiveSamplingWeight(model("a", { votes: 1, ciWidth: 200 }), { ...text, maxCiWidth: 50 })).toBe(2);
  });

  it("gives 0 to inactive, paused, excluded and other-modality models", () => {
    expect(effectiveSamplingWeight(model("a", { active: false }), text)).toBe(0);
    expect(effectiveSamplingWeight(model("a", { paused: true }), text)).toBe(0);
    expect(effectiveSamplingWeight(model("a", { modality: "image" }), text)).toBe(0);
    expect(effectiveSamplingWeight(model("a"), { ...text, excludeModelIds: ["a"] })).toBe(0);
  });

  it("rejects negative and non-finite weights", () => {
    expect(() => effectiveSamplingWeight(model("a", { weight: -1 }), text)).toThrow(RangeError);
    expect(() => effectiveSamplingWeight(model("a", { weight: Number.NaN }), text)).toThrow(RangeError);
  });
});

describe("sampleBattlePair: availability", () => {
  it("reports not enough models when none are eligible", () => {
    expect(sampleBattlePair([], text, createRandom(1))).toEqual({ ok: false, reason: "not_enough_models", eligibleCount: 0 });
  });

  it("reports not enough models when one is eligible", () => {
    const models = [model("a"), model("b", { paused: true }), model("c", { modality: "image" })];
    expect(sampleBattlePair(models, text, createRandom(1))).toEqual({ ok: false, reason: "not_enough_models", eligibleCount: 1 });
  });

  it("treats weight 0 as out of rotation", () => {
    const result = sampleBattlePair([model("a"), model("b", { weight: 0 })], text, createRandom(1));
    expect(result).toMatchObject({ ok: false, reason: "not_enough_models" });
  });

  it("reports not enough organizations when all eligible models share one", () => {
    const models = [model("a", { organizationId: "o" }), model("b", { organizationId: "o" })];
    expect(sampleBattlePair(models, { ...text, distinctOrganizations: true }, createRandom(1))).toEqual({
      ok: false,
      reason: "not_enough_organizations",
      eligibleCount: 2,
    });
  });

  it("pairs two models of one organization when not asked to separate them", () => {
    const models = [model("a", { organizationId: "o" }), model("b", { organizationId: "o" })];
    expect(sampleBattlePair(models, text, createRandom(1)).ok).toBe(true);
  });

  it("returns the caller's model objects", () => {
    const models = [model("a"), model("b")];
    const result = sampleBattlePair(models, text, createRandom(3));
    expect(result.ok && models.includes(result.modelA) && models.includes(result.modelB)).toBe(true);
  });
});

describe("sampleBattlePair: statistics over 20k seeded draws", () => {
  const models = [
    model("heavy", { weight: 4 }),
    model("a"),
    model("b"),
    model("c"),
    model("new", { votes: 10 }),
    model("off", { active: false }),
    model("paused", { paused: true }),
    model("image", { modality: "image" }),
  ];
  const pairs = draw(models, text);

  it("never pairs a model with itself", () => {
    expect(pairs.every(([a, b]) => a !== b)).toBe(true);
  });

  it("never picks inactive, paused or other-modality models", () => {
    const seen = new Set(pairs.flat());
    expect([...seen].sort()).toEqual(["a", "b", "c", "heavy", "new"]);
  });

  it("matches the exact pair distribution within tolerance", () => {
    for (const { modelIds, probability } of pairProbabilities(models, text)) {
      const observed = pairs.filter(([a, b]) => [a, b].sort().join() === modelIds.join()).length / DRAWS;
      expect(Math.abs(observed - probability), modelIds.join()).toBeLessThan(tolerance(probability));
    }
  });

  it("shows a model of weight 4 more often than one of weight 1", () => {
    expect(appearanceShare(pairs, "heavy")).toBeGreaterThan(appearanceShare(pairs, "a") * 1.5);
  });

  it("boosts a model with few votes over an equal-weight peer", () => {
    const boosted = appearanceShare(pairs, "new");
    const plain = appearanceShare(pairs, "a");
    expect(boosted).toBeGreaterThan(plain * 1.4);
  });

  it("stops boosting once the boost is 1", () => {
    const unboosted = draw(models, { ...text, lowDataBoost: 1 }, 2);
    expect(Math.abs(appearanceShare(unboosted, "new") - appearanceShare(unboosted, "a"))).toBeLessThan(0.03);
  });

  it("puts every model on each side about half the time", () => {
    for (const id of ["heavy", "a", "new"]) {
      const appearances = pairs.filter(([a, b]) => a === id || b === id);
      const leftShare = appearances.filter(([a]) => a === id).length / appearances.length;
      expect(Math.abs(leftShare - 0.5), id).toBeLessThan(tolerance(0.5, appearances.length));
    }
  });

  it("boosts wide-interval models when enabled", () => {
    const withCi = [model("x", { ciWidth: 120 }), model("y", { ciWidth: 10 }), model("z", { ciWidth: 10 })];
    const sampled = draw(withCi, { ...text, maxCiWidth: 50 }, 4);
    expect(appearanceShare(sampled, "x")).toBeGreaterThan(appearanceShare(sampled, "y") * 1.2);
  });
});

describe("sampleBattlePair: distinct organizations", () => {
  const models = [
    model("a1", { organizationId: "alpha" }),
    model("a2", { organizationId: "alpha" }),
    model("a3", { organizationId: "alpha", weight: 3 }),
    model("b1", { organizationId: "beta" }),
    model("c1", { organizationId: "gamma" }),
  ];
  const options = { ...text, distinctOrganizations: true };
  const organizationOf = new Map(models.map((m) => [m.id, m.organizationId]));
  const pairs = draw(models, options, 7);

  it("never pairs two models of one organization", () => {
    expect(pairs.every(([a, b]) => organizationOf.get(a) !== organizationOf.get(b))).toBe(true);
  });

  it("never returns a same-organization pair in the exact distribution", () => {
    const exact = pairProbabilities(models, options);
    expect(exact.every(({ modelIds: [a, b] }) => organizationOf.get(a) !== organizationOf.get(b))).toBe(true);
  });

  it("matches the exact distribution within tolerance", () => {
    for (const { modelIds, probability } of pairProbabilities(models, options)) {
      const observed = pairs.filter(([a, b]) => [a, b].sort().join() === modelIds.join()).length / DRAWS;
      expect(Math.abs(observed - probability), modelIds.join()).toBeLessThan(tolerance(probability));
    }
  });
});

describe("pairProbabilities", () => {
  it("sums to 1", () => {
    const models = [model("a", { weight: 5 }), model("b"), model("c", { weight: 0.5 }), model("d", { votes: 0 })];
    const total = pairProbabilities(models, text).reduce((sum, pair) => sum + pair.probability, 0);
    expect(total).toBeCloseTo(1, 12);
  });

  it("is uniform over pairs for equal weights", () => {
    const pairs = pairProbabilities([model("a"), model("b"), model("c")], text);
    for (const pair of pairs) expect(pair.probability).toBeCloseTo(1 / 3, 12);
  });

  it("follows w_i·w_j·(1/(W−w_i) + 1/(W−w_j)) / W", () => {
    const pairs = pairProbabilities([model("a", { weight: 2 }), model("b"), model("c")], text);
    const ab = pairs.find((pair) => pair.modelIds.join() === "a,b")!.probability;
    expect(ab).toBeCloseTo((2 * 1 * (1 / 2 + 1 / 3)) / 4, 12);
  });

  it("is empty when no pair is possible", () => {
    expect(pairProbabilities([model("a")], text)).toEqual([]);
  });
});

describe("sampleBattlePair: determinism", () => {
  const models = [model("a"), model("b", { weight: 2 }), model("c", { votes: 3 }), model("d")];

  it("returns the same pairs for the same seed", () => {
    expect(draw(models, text, 42, 200)).toEqual(draw(models, text, 42, 200));
  });

  it("returns different pairs for different seeds", () => {
    expect(draw(models, text, 42, 200)).not.toEqual(draw(models, text, 43, 200));
  });

  it("consumes no randomness when it cannot pair", () => {
    const random = createRandom(9);
    sampleBattlePair([model("a")], text, random);
    expect(random()).toBe(createRandom(9)());
  });
});
