import { beforeEach, describe, expect, it } from "vitest";
import { computeAndStoreLeaderboards } from "@/lib/server/leaderboards/recompute";
import { forgetLeaderboardState } from "@/lib/server/leaderboards/state";
import { db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { createAnnotator, createOrganizationWithModels, plannedVotes, plantVotes } from "./leaderboard-test-support";

/**
 * The SQLite vote ledger (prisma/migrations/*_vote_ledger): kept by triggers on "Vote", read by the
 * leaderboards instead of "Vote". PostgreSQL has no ledger (it aggregates "Vote" itself).
 */
const END = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 43_200_000);
const OUTCOME_CODES: Record<string, number> = { model_a: 0, model_b: 1, tie: 2, both_bad: 2 };

type TLedgerRow = { voteId: string; modality: string; createdAt: Date | string; line: string };

/** What the ledger must hold: one line per counted vote, from "Vote" and the numbering. */
async function expectLedgerToMatchVotes(): Promise<number> {
  const numbers = new Map((await db.$queryRawUnsafe<{ number: number | bigint; id: string }[]>(`SELECT "number", "id" FROM "RatingNumber"`)).map((row) => [row.id, Number(row.number)]));
  const votes = await db.vote.findMany({ where: { countsForRating: true }, orderBy: { id: "asc" } });
  const ledger = await db.$queryRawUnsafe<TLedgerRow[]>(`SELECT "voteId", "modality", "createdAt", "line" FROM "VoteLedger" ORDER BY "voteId"`);
  const expected = votes.map((vote) => ({
    voteId: vote.id,
    modality: vote.modality,
    createdAt: vote.createdAt.getTime(),
    line: `${numbers.get(vote.modelAId)} ${numbers.get(vote.modelBId)} ${OUTCOME_CODES[vote.outcome]} ${numbers.get(vote.userId)} ${vote.createdAt.toISOString().slice(0, 10)}`,
  }));
  expect(ledger.map((row) => ({ ...row, createdAt: new Date(row.createdAt).getTime() }))).toEqual(expected);
  return ledger.length;
}

describe("SQLite vote ledger", () => {
  beforeEach(async () => {
    await resetDatabase(db);
    forgetLeaderboardState(db);
  });

  async function plant() {
    const org = await createOrganizationWithModels(db, "org-ledger", [
      { slug: "alpha", modality: "text" },
      { slug: "bravo", modality: "text" },
      { slug: "charlie", modality: "text" },
    ]);
    const [alpha, bravo, charlie] = org.models.map((model) => model.id);
    const voters = (await Promise.all([0, 1, 2].map(() => createAnnotator(db, { country: "DE", ageBand: "25-34", expertise: "software" })))).map((user) => user.id);
    await plantVotes(db, "text", [
      ...plannedVotes([alpha, bravo, charlie], voters, { perPair: 6, winShare: 0.8, seed: 3, end: END }),
      { modelA: alpha, modelB: bravo, outcome: "model_b", userId: voters[0], at: END, countsForRating: false },
    ]);
    return { alpha, bravo, charlie, voters };
  }

  it("holds exactly the counted votes after inserts, updates, deletes and cascades", async () => {
    const { voters } = await plant();
    expect(await expectLedgerToMatchVotes()).toBe(18);

    const [first, second, third, fourth] = await db.vote.findMany({ where: { countsForRating: true }, orderBy: { id: "asc" }, take: 4 });
    // Invalidated, counted again, a changed outcome, another annotator, a later time.
    await db.vote.update({ where: { id: first.id }, data: { countsForRating: false, invalidReasons: "identity_leak" } });
    expect(await expectLedgerToMatchVotes()).toBe(17);
    await db.vote.update({ where: { id: first.id }, data: { countsForRating: true, invalidReasons: "" } });
    await db.vote.update({ where: { id: second.id }, data: { outcome: second.outcome === "tie" ? "model_a" : "tie" } });
    await db.vote.update({ where: { id: third.id }, data: { userId: voters.find((voter) => voter !== third.userId)! } });
    await db.vote.update({ where: { id: fourth.id }, data: { createdAt: new Date(END.getTime() - 86_400_000) } });
    // Fields the ledger does not hold leave it alone.
    await db.vote.update({ where: { id: fourth.id }, data: { feedbackGeneral: "changed" } });
    expect(await expectLedgerToMatchVotes()).toBe(18);

    // A vote that stopped counting and is deleted, a counted vote deleted, one deleted with its battle.
    await db.vote.deleteMany({ where: { countsForRating: false } });
    await db.vote.delete({ where: { id: second.id } });
    await db.battle.delete({ where: { id: third.battleId } });
    expect(await expectLedgerToMatchVotes()).toBe(16);
  });

  it("gives the leaderboards the same ratings as reading the votes themselves", async () => {
    await plant();
    await db.vote.updateMany({ where: { outcome: "both_bad" }, data: { countsForRating: false } });
    const full = await computeAndStoreLeaderboards(db, { now: END, rebuild: true });
    expect(full.refresh).toBe("read");
    const fromLedger = await db.leaderboardSnapshot.findUnique({ where: { modality_variant: { modality: "text", variant: "overall" } } });

    // The same votes without a ledger: a new, empty ledger would give no votes at all, so the
    // leaderboard must come from the ledger's contents, not from "Vote".
    await db.$executeRawUnsafe(`DELETE FROM "VoteLedger"`);
    forgetLeaderboardState(db);
    await db.leaderboardState.deleteMany({});
    const empty = await computeAndStoreLeaderboards(db, { now: END, rebuild: true });
    expect(empty.voteCounts.text).toBe(0);

    // Rebuilt from "Vote" by the migration's own backfill statement, the ledger gives the same table.
    await db.$executeRawUnsafe(`
      INSERT INTO "VoteLedger" ("modality", "createdAt", "voteId", "userNumber", "line")
      SELECT v."modality", v."createdAt", v."id", u."number",
        printf('%d %d %d %d %.10s', a."number", b."number", CASE v."outcome" WHEN 'model_a' THEN 0 WHEN 'model_b' THEN 1 ELSE 2 END, u."number", v."createdAt")
      FROM "Vote" v JOIN "RatingNumber" a ON a."id" = v."modelAId" JOIN "RatingNumber" b ON b."id" = v."modelBId" JOIN "RatingNumber" u ON u."id" = v."userId"
      WHERE v."countsForRating"`);
    forgetLeaderboardState(db);
    await db.leaderboardState.deleteMany({});
    const rebuilt = await computeAndStoreLeaderboards(db, { now: END, rebuild: true });
    expect(rebuilt.voteCounts.text).toBe(full.voteCounts.text);
    const fromBackfill = await db.leaderboardSnapshot.findUnique({ where: { modality_variant: { modality: "text", variant: "overall" } } });
    const rows = (snapshot: typeof fromLedger) => (snapshot?.data as { rows: { modelId: string; rating: number; elo: number; votes: number }[] }).rows.map((row) => [row.modelId, row.rating, row.elo, row.votes]);
    expect(rows(fromBackfill)).toEqual(rows(fromLedger));
    expect(rows(fromLedger).length).toBe(3);
  });
});
