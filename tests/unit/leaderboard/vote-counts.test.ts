import { describe, expect, it } from "vitest";
import { byFields, sumVoteCounts } from "@/lib/server/leaderboards/vote-counts";
import type { TModalityVoteCount } from "@/lib/server/store/leaderboard-store";

const row = (fields: Partial<TModalityVoteCount>): TModalityVoteCount => ({
  categories: null,
  modelAId: "a",
  modelBId: "b",
  outcome: "model_a",
  personalizedA: false,
  personalizedB: false,
  userId: null,
  count: 1,
  ...fields,
});

describe("the grouped vote counts shared by the category boards and the lift", () => {
  const rows = [
    row({ categories: "coding", modelAId: "m2", count: 3 }),
    row({ categories: "coding", modelAId: "m2", personalizedA: true, userId: "u1", count: 2 }),
    row({ categories: "math", modelAId: "m1", count: 4 }),
    row({ categories: null, modelAId: "m2", personalizedB: true, userId: "u2", count: 5 }),
  ];

  it("sums the counts over the fields a consumer does not group by, groups in order of their first row", async () => {
    expect(await sumVoteCounts(rows, ["categories", "modelAId"])).toEqual([
      { categories: "coding", modelAId: "m2", count: 5 },
      { categories: "math", modelAId: "m1", count: 4 },
      { categories: null, modelAId: "m2", count: 5 },
    ]);
    expect((await sumVoteCounts(rows, ["modelAId"])).map((group) => group.count)).toEqual([10, 4]);
  });

  it("orders the groups by the given fields as SQLite orders them: null first, booleans false first, strings by code unit", async () => {
    const fields = ["modelAId", "personalizedA", "userId"] as const;
    expect(await sumVoteCounts(rows, fields, byFields(...fields))).toEqual([
      { modelAId: "m1", personalizedA: false, userId: null, count: 4 },
      { modelAId: "m2", personalizedA: false, userId: null, count: 3 },
      { modelAId: "m2", personalizedA: false, userId: "u2", count: 5 },
      { modelAId: "m2", personalizedA: true, userId: "u1", count: 2 },
    ]);
    expect(["B", "a", "_"].map((modelAId) => row({ modelAId })).sort(byFields("modelAId")).map((group) => group.modelAId)).toEqual(["B", "_", "a"]);
  });
});
