import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/domain/random";
import { battleLogFromBattles } from "@/lib/domain/rating/battle-log";
import { aggregateBattleCells, reindexCells } from "@/lib/domain/rating/cells";
import { computeSegmentRatings, ownEvidenceWeights, shrinkTowardGlobal } from "@/lib/domain/rating/segments";
import { POINTS_PER_LOG_ODDS, syntheticBattles } from "./helpers";

const globalStrengths = { a: 0.8, b: 0.3, c: 0, d: -0.6 };
const globalRatings = Object.fromEntries(
  Object.entries(globalStrengths).map(([m, s]) => [m, 1000 + POINTS_PER_LOG_ODDS * (s - 0.125)]),
);
const models = Object.keys(globalStrengths);
const cellsOf = (battles: ReturnType<typeof syntheticBattles>) =>
  reindexCells(aggregateBattleCells(battleLogFromBattles(battles)), models);

describe("computeSegmentRatings", () => {
  it("rates only the segment's battles and reports their votes", () => {
    const segment = computeSegmentRatings(cellsOf(syntheticBattles({ a: 0, b: 1 }, 200, 1)));
    expect(segment.ratings.b).toBeGreaterThan(segment.ratings.a);
    expect(segment.votes.a).toBe(200);
    expect(segment.votes.c).toBe(0);
  });
});

describe("shrinkTowardGlobal", () => {
  it("shrinks a tiny segment strongly toward the global ratings", () => {
    const tiny = cellsOf(syntheticBattles(globalStrengths, 24, 2));
    const shrunk = shrinkTowardGlobal(tiny, globalRatings, undefined, { random: createRandom(1) });
    expect(shrunk.strength).toBeGreaterThanOrEqual(10);
    for (const model of models) expect(Math.abs(shrunk.ratings[model] - globalRatings[model])).toBeLessThan(25);
  });

  it("barely shrinks a large segment whose preferences really differ", () => {
    const reversed = { a: -0.8, b: -0.3, c: 0, d: 0.6 };
    const large = cellsOf(syntheticBattles(reversed, 20_000, 3));
    const shrunk = shrinkTowardGlobal(large, globalRatings, undefined, { random: createRandom(1) });
    expect(shrunk.strength).toBeLessThanOrEqual(1);
    expect(shrunk.ratings.d).toBeGreaterThan(shrunk.ratings.a + 200);
  });

  it("returns the global ratings under an overwhelming prior", () => {
    const segment = cellsOf(syntheticBattles({ a: -1, b: 1, c: 0, d: 0 }, 500, 4));
    const shrunk = shrinkTowardGlobal(segment, globalRatings, [1e9], { random: createRandom(1) });
    for (const model of models) expect(shrunk.ratings[model]).toBeCloseTo(globalRatings[model], 2);
  });

  it("reports one held-out log-likelihood per candidate, all negative", () => {
    const segment = cellsOf(syntheticBattles(globalStrengths, 300, 5));
    const shrunk = shrinkTowardGlobal(segment, globalRatings, [0.1, 10], { random: createRandom(2) });
    expect(shrunk.heldOutLogLikelihood).toHaveLength(2);
    expect(shrunk.heldOutLogLikelihood.every((value) => value < 0)).toBe(true);
  });

  it("is reproducible from the seed", () => {
    const segment = cellsOf(syntheticBattles(globalStrengths, 300, 6));
    const run = () => shrinkTowardGlobal(segment, globalRatings, undefined, { random: createRandom(9) });
    expect(run()).toEqual(run());
  });

  it("rejects an empty candidate list", () => {
    const segment = cellsOf(syntheticBattles(globalStrengths, 30, 7));
    expect(() => shrinkTowardGlobal(segment, globalRatings, [], { random: createRandom(1) })).toThrow();
  });
});

describe("ownEvidenceWeights", () => {
  it("is I/(I + 2λ) with I the model's own information, Σ battles·p·(1−p) at the shrunk ratings", () => {
    // a and b meet 10 times at equal ratings (p = ½: I = 2.5 each); c meets a 4 times, 1 strength unit below it.
    const battles = [
      ...Array.from({ length: 10 }, (_, k) => ({ modelA: "a", modelB: "b", outcome: k % 2 === 0 ? ("model_a" as const) : ("model_b" as const) })),
      ...Array.from({ length: 4 }, () => ({ modelA: "a", modelB: "c", outcome: "model_a" as const })),
    ];
    const cells = reindexCells(aggregateBattleCells(battleLogFromBattles(battles)), ["a", "b", "c", "d"]);
    const p = 1 / (1 + Math.exp(-1));
    const weights = ownEvidenceWeights(cells, { a: 1000, b: 1000, c: 1000 - POINTS_PER_LOG_ODDS, d: 1000 }, 2.5);
    const own = { a: 2.5 + 4 * p * (1 - p), b: 2.5, c: 4 * p * (1 - p) };
    for (const model of ["a", "b", "c"] as const) expect(weights[model]).toBeCloseTo(own[model] / (own[model] + 5), 12);
    expect(weights.d).toBe(0);
  });
});

