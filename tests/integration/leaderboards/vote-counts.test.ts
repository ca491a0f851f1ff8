import { beforeAll, describe, expect, it } from "vitest";
import type { TVoteOutcome } from "@/lib/domain/vocabulary";
import { db } from "@/lib/server/db";
import { leaderboardStore, type TModalityVoteCount } from "@/lib/server/store/leaderboard-store";
import { resetDatabase } from "../helpers/db";
import { createAnnotator, createOrganizationWithModels } from "./leaderboard-test-support";

interface TStoredVote {
  userId: string;
  modelA: string;
  modelB: string;
  outcome: TVoteOutcome;
  categories: string | null;
  personalizedA: boolean;
  personalizedB: boolean;
  countsForRating: boolean;
}

/** A grouped-counts row's grouping, as one string (for comparing rows whatever order each dialect sorts NULLs and enums in). */
const groupingOf = (row: Omit<TModalityVoteCount, "count">) => JSON.stringify([row.categories, row.modelAId, row.modelBId, row.outcome, row.personalizedA, row.personalizedB, row.userId]);

/** The grouped counts of `votes` as the store's interface defines them, counted here one vote at a time. */
function expectedCounts(votes: TStoredVote[], excluded: Set<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const vote of votes) {
    if (!vote.countsForRating || excluded.has(vote.userId)) continue;
    const experiment = vote.personalizedA !== vote.personalizedB;
    const key = groupingOf({ categories: vote.categories, modelAId: vote.modelA, modelBId: vote.modelB, outcome: vote.outcome, personalizedA: vote.personalizedA, personalizedB: vote.personalizedB, userId: experiment ? vote.userId : null });
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

// The grouped counts behind the category boards and the personalization lift (modalityVoteCounts), on whichever database the run uses.
describe("the leaderboard store's grouped vote counts", () => {
  const votes: TStoredVote[] = [];
  const excluded = new Set<string>();

  beforeAll(async () => {
    await resetDatabase(db);
    const { models } = await createOrganizationWithModels(db, "counts-org", [
      { slug: "counts-a", modality: "text" },
      { slug: "counts-b", modality: "text" },
      { slug: "counts-c", modality: "text" },
      { slug: "counts-img", modality: "image" },
    ]);
    const annotators = [await createAnnotator(db, null), await createAnnotator(db, null), await createAnnotator(db, null)];
    const outsider = await createAnnotator(db, null, { excluded: true });
    excluded.add(outsider.id);
    const users = [...annotators, outsider];
    const categories = [null, "", "coding", "coding,math"];
    const outcomes: TVoteOutcome[] = ["model_a", "model_b", "tie", "both_bad"];
    const sides: [boolean, boolean][] = [
      [true, true],
      [false, false],
      [true, false],
      [false, true],
    ];
    const text = models.filter((model) => model.modality === "text");
    // Every combination several times over (experiment votes of several annotators on the same pair
    // and outcome among them), a few not counted, and some by the excluded annotator.
    for (let k = 0; k < 160; k++) {
      const a = text[k % 3];
      const b = text[(k + 1 + (k >> 2) % 2) % 3];
      const [personalizedA, personalizedB] = sides[(k >> 1) % 4];
      votes.push({
        userId: users[(k * 7) % 4].id,
        modelA: a.id,
        modelB: b.id,
        outcome: outcomes[(k >> 3) % 4],
        categories: categories[(k >> 5) % 4],
        personalizedA,
        personalizedB,
        countsForRating: k % 11 !== 0,
      });
    }
    for (const [k, vote] of votes.entries()) {
      const battle = await db.battle.create({
        data: { publicId: `counts-${k}`, userId: vote.userId, modality: "text", modelAId: vote.modelA, modelBId: vote.modelB, status: "voted", categories: vote.categories, personalizedA: vote.personalizedA, personalizedB: vote.personalizedB },
      });
      await db.vote.create({
        data: {
          battleId: battle.id,
          userId: vote.userId,
          modality: "text",
          modelAId: vote.modelA,
          modelBId: vote.modelB,
          outcome: vote.outcome,
          categories: vote.categories,
          personalizedA: vote.personalizedA,
          personalizedB: vote.personalizedB,
          countsForRating: vote.countsForRating,
        },
      });
    }
  });

  it("counts the counted votes of annotators not excluded by tags, models, outcome and sides, with the annotator of each experiment vote only", async () => {
    const rows = await leaderboardStore(db).modalityVoteCounts(["text"])[0];
    const expected = expectedCounts(votes, excluded);
    expect(rows.some((row) => row.userId !== null)).toBe(true);
    expect(rows.some((row) => row.userId === null && row.personalizedA === row.personalizedB)).toBe(true);
    expect(new Map(rows.map((row) => [groupingOf(row), row.count]))).toEqual(expected);
    // One row per grouping.
    expect(rows.length).toBe(expected.size);
  });

  it("orders the rows by the grouping: a group's rows together, experiment annotators ascending within a group", async () => {
    const rows = await leaderboardStore(db).modalityVoteCounts(["text"])[0];
    const seen = new Set<string>();
    for (let k = 0; k < rows.length; k++) {
      const groupOf = (row: TModalityVoteCount) => JSON.stringify([row.categories, row.modelAId, row.modelBId, row.outcome, row.personalizedA, row.personalizedB]);
      const group = groupOf(rows[k]);
      if (k > 0 && group === groupOf(rows[k - 1])) expect(rows[k].userId! > rows[k - 1].userId!).toBe(true);
      else {
        expect(seen.has(group)).toBe(false);
        seen.add(group);
      }
    }
  });

  it("scans several modalities in one call, each giving its own rows", async () => {
    const [image, text] = leaderboardStore(db).modalityVoteCounts(["image", "text"]);
    expect(await text).toEqual(await leaderboardStore(db).modalityVoteCounts(["text"])[0]);
    expect((await text).length).toBeGreaterThan(0);
    expect(await image).toEqual([]);
  });

  it("has no rows for a modality without counted votes", async () => {
    expect(await leaderboardStore(db).modalityVoteCounts(["image"])[0]).toEqual([]);
  });
});
