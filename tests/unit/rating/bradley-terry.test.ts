import { describe, expect, it } from "vitest";
import { battleLogFromBattles } from "@/lib/domain/rating/battle-log";
import { fitBradleyTerry, predictedWinProbability, RatingInputError } from "@/lib/domain/rating/bradley-terry";
import { aggregateBattleCells, connectedGroups, pairWinMatrix } from "@/lib/domain/rating/cells";
import type { Battle } from "@/lib/domain/rating/types";
import { POINTS_PER_LOG_ODDS, repeatBattle, syntheticBattles } from "./helpers";

function ratingsOf(battles: Battle[], anchor?: { model: string; rating: number }): Record<string, number> {
  const fit = fitBradleyTerry(aggregateBattleCells(battleLogFromBattles(battles)), { anchor });
  return Object.fromEntries(fit.models.map((model, i) => [model, fit.ratings[i]]));
}

/** Zermelo/Hunter MM iterations: an independent route to the same MLE, for cross-checking Newton. */
function minorizationMaximization(battles: Battle[]): Record<string, number> {
  const models = [...new Set(battles.flatMap((b) => [b.modelA, b.modelB]))];
  const index = new Map(models.map((m, i) => [m, i]));
  const n = models.length;
  const wins = new Float64Array(n * n);
  for (const b of battles) {
    const a = index.get(b.modelA)!;
    const c = index.get(b.modelB)!;
    if (b.outcome === "model_a") wins[a * n + c] += 1;
    else if (b.outcome === "model_b") wins[c * n + a] += 1;
    else {
      wins[a * n + c] += 0.5;
      wins[c * n + a] += 0.5;
    }
  }
  let pi = new Float64Array(n).fill(1);
  for (let iteration = 0; iteration < 20000; iteration++) {
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let totalWins = 0;
      let denominator = 0;
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        totalWins += wins[i * n + j];
        denominator += (wins[i * n + j] + wins[j * n + i]) / (pi[i] + pi[j]);
      }
      next[i] = totalWins / denominator;
    }
    pi = next;
  }
  const logs = Array.from(pi, Math.log);
  const mean = logs.reduce((s, v) => s + v, 0) / n;
  return Object.fromEntries(models.map((m, i) => [m, POINTS_PER_LOG_ODDS * (logs[i] - mean) + 1000]));
}

describe("fitBradleyTerry", () => {
  it("matches the two-model closed form: rating gap = 400·log10(wins/losses)", () => {
    const ratings = ratingsOf([...repeatBattle("x", "y", "model_a", 30), ...repeatBattle("x", "y", "model_b", 10)]);
    expect(ratings.x - ratings.y).toBeCloseTo(400 * Math.log10(3), 3);
  });

  it("centres a connected group at 1000", () => {
    const ratings = ratingsOf([...repeatBattle("x", "y", "model_a", 30), ...repeatBattle("x", "y", "model_b", 10)]);
    expect((ratings.x + ratings.y) / 2).toBeCloseTo(1000, 9);
  });

  it("counts ties and both-bad as half a win each way", () => {
    const ratings = ratingsOf([
      ...repeatBattle("x", "y", "model_a", 2),
      ...repeatBattle("x", "y", "tie", 1),
      ...repeatBattle("x", "y", "both_bad", 1),
    ]);
    expect(ratings.x - ratings.y).toBeCloseTo(400 * Math.log10(3 / 1), 3);
  });

  it("gives the same ratings when every battle is written from the other side", () => {
    const battles = syntheticBattles({ a: 0.5, b: 0, c: -0.4, d: 1 }, 400, 7);
    const swapped = battles.map((b): Battle => ({
      modelA: b.modelB,
      modelB: b.modelA,
      outcome: b.outcome === "model_a" ? "model_b" : b.outcome === "model_b" ? "model_a" : b.outcome,
    }));
    const original = ratingsOf(battles);
    const mirrored = ratingsOf(swapped);
    for (const model of Object.keys(original)) expect(mirrored[model]).toBeCloseTo(original[model], 6);
  });

  it("does not depend on battle order", () => {
    const battles = syntheticBattles({ a: 0.5, b: 0, c: -0.4 }, 300, 3);
    const original = ratingsOf(battles);
    const reversed = ratingsOf([...battles].reverse());
    for (const model of Object.keys(original)) expect(reversed[model]).toBeCloseTo(original[model], 8);
  });

  it("mirrors ratings around 1000 when every outcome is flipped", () => {
    const battles = syntheticBattles({ a: 0.5, b: 0, c: -0.4 }, 300, 5);
    const flipped = battles.map((b): Battle => ({ ...b, outcome: b.outcome === "model_a" ? "model_b" : "model_a" }));
    const original = ratingsOf(battles);
    const mirrored = ratingsOf(flipped);
    for (const model of Object.keys(original)) expect(mirrored[model] - 1000).toBeCloseTo(-(original[model] - 1000), 6);
  });

  it("shifts the anchor's whole group so the anchor gets its rating", () => {
    const battles = syntheticBattles({ a: 0.5, b: 0, c: -0.4 }, 300, 9);
    const free = ratingsOf(battles);
    const anchored = ratingsOf(battles, { model: "b", rating: 1114 });
    expect(anchored.b).toBeCloseTo(1114, 9);
    expect(anchored.a - anchored.c).toBeCloseTo(free.a - free.c, 9);
    expect(anchored.a - free.a).toBeCloseTo(1114 - free.b, 9);
  });

  it("rejects an anchor model without battles", () => {
    expect(() => ratingsOf(repeatBattle("x", "y", "model_a", 3), { model: "z", rating: 1000 })).toThrow(RatingInputError);
  });

  it("centres disconnected groups separately and leaves other groups alone when anchoring", () => {
    const battles = [
      ...repeatBattle("a", "b", "model_a", 9),
      ...repeatBattle("a", "b", "model_b", 3),
      ...repeatBattle("c", "d", "model_a", 2),
      ...repeatBattle("c", "d", "model_b", 6),
      ...repeatBattle("d", "e", "tie", 4),
    ];
    const ratings = ratingsOf(battles);
    expect((ratings.a + ratings.b) / 2).toBeCloseTo(1000, 9);
    expect((ratings.c + ratings.d + ratings.e) / 3).toBeCloseTo(1000, 9);
    const anchored = ratingsOf(battles, { model: "a", rating: 1200 });
    expect(anchored.c).toBeCloseTo(ratings.c, 9);
    expect(anchored.a).toBeCloseTo(1200, 9);
  });

  it("numbers connected groups by their smallest model index", () => {
    const cells = aggregateBattleCells(
      battleLogFromBattles([...repeatBattle("a", "b", "tie", 1), ...repeatBattle("c", "d", "tie", 1), ...repeatBattle("b", "e", "tie", 1)]),
    );
    expect(Array.from(connectedGroups(pairWinMatrix(cells.counts, 5), 5))).toEqual([0, 0, 2, 2, 0]);
  });

  it("keeps a model that never wins finite and far below the others", () => {
    const ratings = ratingsOf([...repeatBattle("a", "b", "model_a", 5), ...repeatBattle("b", "c", "tie", 5)]);
    expect(Number.isFinite(ratings.b)).toBe(true);
    expect(ratings.a - ratings.b).toBeGreaterThan(1000);
  });

  it("agrees with independent MM iterations to within 0.01 points", () => {
    const battles = [
      ...syntheticBattles({ a: 0.8, b: 0.3, c: 0, d: -0.2, e: -0.9 }, 2000, 11),
      ...repeatBattle("a", "e", "tie", 20),
    ];
    const newton = ratingsOf(battles);
    const reference = minorizationMaximization(battles);
    for (const model of Object.keys(reference)) expect(Math.abs(newton[model] - reference[model])).toBeLessThan(0.01);
  });

  it("recovers planted strengths from 40,000 seeded battles within 15 points", () => {
    const planted = { a: 1, b: 0.5, c: 0, d: -0.5, e: -1 };
    const ratings = ratingsOf(syntheticBattles(planted, 40_000, 21));
    for (const [model, strength] of Object.entries(planted)) {
      expect(Math.abs(ratings[model] - (1000 + POINTS_PER_LOG_ODDS * strength))).toBeLessThan(15);
    }
  });
});

describe("predictedWinProbability", () => {
  it("is 1/2 for equal ratings", () => {
    expect(predictedWinProbability(1100, 1100)).toBe(0.5);
  });

  it("is 10/11 for a 400-point lead", () => {
    expect(predictedWinProbability(1400, 1000)).toBeCloseTo(10 / 11, 12);
  });

  it("is symmetric: p(a, b) + p(b, a) = 1", () => {
    expect(predictedWinProbability(1234, 987) + predictedWinProbability(987, 1234)).toBeCloseTo(1, 12);
  });
});
