import { describe, expect, it } from "vitest";
import { battleLogFromBattles, sortBattlesByTimestamp } from "@/lib/domain/rating/battle-log";
import { computeOnlineElo, computeOnlineEloRatings } from "@/lib/domain/rating/elo";
import type { Battle } from "@/lib/domain/rating/types";
import { syntheticBattles } from "./helpers";

describe("computeOnlineElo", () => {
  it("moves 2 points each way on a first battle between new models (K=4)", () => {
    expect(computeOnlineElo([{ modelA: "a", modelB: "b", outcome: "model_a" }])).toEqual({ a: 1002, b: 998 });
  });

  it("follows a known two-battle sequence", () => {
    const ratings = computeOnlineElo([
      { modelA: "a", modelB: "b", outcome: "model_a" },
      { modelA: "a", modelB: "b", outcome: "model_b" },
    ]);
    const expectedA = 1 / (1 + Math.pow(10, (998 - 1002) / 400));
    expect(ratings.a).toBeCloseTo(1002 - 4 * expectedA, 10);
    expect(ratings.b).toBeCloseTo(998 + 4 * expectedA, 10);
  });

  it("scores tie and both_bad as 0.5, which leaves equal ratings unchanged", () => {
    expect(
      computeOnlineElo([
        { modelA: "a", modelB: "b", outcome: "tie" },
        { modelA: "b", modelB: "a", outcome: "both_bad" },
      ]),
    ).toEqual({ a: 1000, b: 1000 });
  });

  it("depends on order", () => {
    const battles: Battle[] = [
      { modelA: "a", modelB: "b", outcome: "model_a" },
      { modelA: "a", modelB: "c", outcome: "model_b" },
      { modelA: "b", modelB: "c", outcome: "model_a" },
    ];
    expect(computeOnlineElo(battles)).not.toEqual(computeOnlineElo([...battles].reverse()));
  });

  it("conserves the sum of ratings", () => {
    const log = battleLogFromBattles(syntheticBattles({ a: 1, b: 0, c: -1 }, 500, 4));
    const ratings = computeOnlineEloRatings(log);
    expect(ratings.reduce((s, r) => s + r, 0)).toBeCloseTo(3000, 8);
  });

  it("honours K and the initial rating", () => {
    expect(computeOnlineElo([{ modelA: "a", modelB: "b", outcome: "model_b" }], { k: 32, initialRating: 1500 })).toEqual({
      a: 1484,
      b: 1516,
    });
  });
});

describe("sortBattlesByTimestamp", () => {
  it("sorts by timestamp and keeps equal timestamps in their given order", () => {
    const battles: Battle[] = [
      { modelA: "a", modelB: "b", outcome: "model_a", timestamp: 5 },
      { modelA: "c", modelB: "d", outcome: "model_a", timestamp: 1 },
      { modelA: "e", modelB: "f", outcome: "model_a", timestamp: 5 },
      { modelA: "g", modelB: "h", outcome: "model_a", timestamp: 0 },
    ];
    expect(sortBattlesByTimestamp(battles).map((b) => b.modelA)).toEqual(["g", "c", "a", "e"]);
  });

  it("puts battles without a timestamp last, in their given order", () => {
    const battles: Battle[] = [
      { modelA: "x", modelB: "b", outcome: "tie" },
      { modelA: "a", modelB: "b", outcome: "tie", timestamp: 3 },
      { modelA: "y", modelB: "b", outcome: "tie" },
    ];
    expect(sortBattlesByTimestamp(battles).map((b) => b.modelA)).toEqual(["a", "x", "y"]);
  });

  it("does not mutate its input", () => {
    const battles: Battle[] = [
      { modelA: "a", modelB: "b", outcome: "tie", timestamp: 2 },
      { modelA: "c", modelB: "b", outcome: "tie", timestamp: 1 },
    ];
    sortBattlesByTimestamp(battles);
    expect(battles[0].modelA).toBe("a");
  });
});
