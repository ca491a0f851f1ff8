import { beforeEach, describe, expect, it } from "vitest";
import type { TLeaderboardData } from "@/lib/domain/leaderboard/snapshot";
import { DEFAULT_PRIOR_SD_POINTS } from "@/lib/domain/rating/prior";
import { computeAndStoreLeaderboards } from "@/lib/server/leaderboards/recompute";
import { forgetLeaderboardState } from "@/lib/server/leaderboards/state";
import { callerFor, db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { createAnnotator, createOrganizationWithModels, plannedVotes, plantVotes, type PlantedVote } from "./leaderboard-test-support";

const DAY = 86_400_000;
const START = new Date(Math.floor(Date.now() / DAY) * DAY - 20 * DAY);

/** What the page and the public API get: leaderboard.get through tRPC. */
async function board(): Promise<TLeaderboardData> {
  const view = await (await callerFor(null)).leaderboard.get({ modality: "text" });
  expect(view.data).not.toBeNull();
  return view.data!;
}

const bySlug = (data: TLeaderboardData) => Object.fromEntries(data.rows.map((row) => [row.slug, row]));
const halfWidths = (row: TLeaderboardData["rows"][number]) => [row.ciUpper - row.rating, row.rating - row.ciLower];

describe("a text leaderboard from 1 vote to 200", () => {
  beforeEach(async () => {
    await resetDatabase(db);
    forgetLeaderboardState(db);
  });

  it("is finite and honest at every stage: no rank before enough votes, wide intervals, comparison groups apart", async () => {
    const { models } = await createOrganizationWithModels(db, "labs", ["alpha", "bravo", "charlie", "delta", "echo"].map((slug) => ({ slug, modality: "text" as const })));
    const [alpha, bravo, charlie, delta, echo] = models.map((model) => model.id);
    const voters = await Promise.all([0, 1, 2, 3].map(() => createAnnotator(db, null)));
    const userIds = voters.map((voter) => voter.id);
    let clock = START.getTime();
    const vote = (modelA: string, modelB: string, outcome: PlantedVote["outcome"]): PlantedVote => ({ modelA, modelB, outcome, userId: userIds[0], at: new Date((clock += 60_000)) });
    const stage = async (votes: PlantedVote[]) => {
      await plantVotes(db, "text", votes);
      await computeAndStoreLeaderboards(db, { now: new Date(clock + 60_000) });
      return board();
    };

    // 1 vote: a finite gap and an interval of hundreds of points, not "+0/−0"; nobody ranked.
    const one = await stage([vote(alpha, bravo, "model_a")]);
    expect(one.voteCount).toBe(1);
    expect(one.method).toEqual({ priorSdPoints: DEFAULT_PRIOR_SD_POINTS, intervals: "bootstrap-or-posterior", bootstrapRounds: expect.any(Number), minVotes: 30 });
    expect(one.rows.map((row) => row.slug)).toEqual(["alpha", "bravo"]);
    expect(one.rows.map((row) => row.rank)).toEqual([null, null]);
    const [alphaOne, bravoOne] = one.rows;
    expect(alphaOne.rating - bravoOne.rating).toBeGreaterThan(0);
    expect(alphaOne.rating - bravoOne.rating).toBeLessThan(600);
    for (const row of one.rows) for (const half of halfWidths(row)) expect(half).toBeGreaterThan(200);

    // 3 votes, all won by the same side: still finite (the MLE would be ±∞), still unranked.
    const three = await stage([vote(alpha, bravo, "model_a"), vote(bravo, charlie, "model_a")]);
    expect(three.voteCount).toBe(3);
    expect(three.rows.map((row) => row.slug)).toEqual(["alpha", "bravo", "charlie"]);
    for (const row of three.rows) {
      expect(row.rank).toBeNull();
      expect(Math.abs(row.rating - 1000)).toBeLessThan(800);
      for (const half of halfWidths(row)) expect(half).toBeGreaterThan(150);
    }

    // 20 votes, two models that never met the others: two comparison groups, each sorted by score.
    const twenty = await stage([
      ...Array.from({ length: 6 }, (_, k) => vote(k % 3 === 0 ? charlie : alpha, k % 3 === 0 ? alpha : charlie, k % 2 === 0 ? "model_a" : "model_b")),
      ...Array.from({ length: 8 }, (_, k) => vote(delta, echo, k < 6 ? "model_a" : "tie")),
      vote(bravo, alpha, "both_bad"),
      vote(charlie, bravo, "model_b"),
      vote(alpha, bravo, "tie"),
    ]);
    expect(twenty.voteCount).toBe(20);
    expect(twenty.groupCount).toBe(2);
    expect(twenty.rows.filter((row) => row.group === 2).map((row) => row.slug)).toEqual(["delta", "echo"]);
    for (const group of [1, 2]) {
      const ratings = twenty.rows.filter((row) => row.group === group).map((row) => row.rating);
      expect(ratings).toEqual([...ratings].sort((x, y) => y - x));
    }
    expect(twenty.rows.every((row) => row.rank === null)).toBe(true);

    // 200 votes: the three connected models have their 30 votes, wins and losses: ranked, narrower.
    const planned = plannedVotes([alpha, bravo, charlie], userIds, { perPair: 60, winShare: 0.8, seed: 3, end: new Date(clock + DAY), days: 1 }).map((planted) => ({
      ...planted,
      at: new Date((clock += 60_000)),
    }));
    const full = await stage(planned);
    expect(full.voteCount).toBe(200);
    const rows = bySlug(full);
    expect(rows.alpha.rank).toBe(1);
    expect(rows.charlie.rank).toBeGreaterThan(1);
    expect([rows.alpha, rows.bravo, rows.charlie].every((row) => row.rank !== null && !row.provisional)).toBe(true);
    expect(rows.alpha.rating).toBeGreaterThan(rows.bravo.rating);
    expect(rows.bravo.rating).toBeGreaterThan(rows.charlie.rating);
    expect(halfWidths(rows.alpha)[0]).toBeLessThan(halfWidths(alphaOne)[0] / 3);
    // delta and echo (8 votes, their own group) are still "not enough votes yet".
    expect([rows.delta.rank, rows.echo.rank]).toEqual([null, null]);
    expect(full.groupCount).toBe(2);
  });
});
