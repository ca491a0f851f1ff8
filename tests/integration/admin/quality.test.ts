import { beforeEach, describe, expect, it, vi } from "vitest";
import { createRandom } from "@/lib/domain/random";
import type { SessionUser } from "@/lib/server/services/accounts";
import { pickGoldBattle } from "@/lib/server/services/gold";
import { scheduleLeaderboardRecompute } from "@/lib/server/leaderboards/recompute";
import { callerFor, createUserWithRole, db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { createModelRow, createOrganizationRow, createVotedBattle, expectTrpcError } from "./admin-test-support";

vi.mock("@/lib/server/leaderboards/recompute", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/server/leaderboards/recompute")>()),
  scheduleLeaderboardRecompute: vi.fn(),
}));

describe("vote quality and gold battles", () => {
  let admin: SessionUser;
  let modelA: { id: string };
  let modelB: { id: string };

  beforeEach(async () => {
    await resetDatabase(db);
    vi.mocked(scheduleLeaderboardRecompute).mockClear();
    admin = await createUserWithRole("admin", "root@example.com");
    const organization = await createOrganizationRow("acme");
    modelA = await createModelRow(organization.id, "model-a");
    modelB = await createModelRow(organization.id, "model-b");
  });

  const vote = (userId: string, overrides: Partial<Parameters<typeof createVotedBattle>[0]> = {}) =>
    createVotedBattle({ userId, modelAId: modelA.id, modelBId: modelB.id, outcome: "model_a", ...overrides });

  it("lists annotators with signals, flagged ones first with their reasons", async () => {
    const careful = await createUserWithRole("annotator", "careful@example.com");
    const hasty = await createUserWithRole("annotator", "hasty@example.com");
    for (let index = 0; index < 8; index++) {
      await vote(careful.id, { answerChars: 1000, secondsToVote: 60, outcome: index % 2 ? "model_a" : "model_b" });
      await vote(hasty.id, { answerChars: 1000, secondsToVote: 1 });
    }
    const caller = await callerFor(admin);
    const rows = await caller.adminQuality.annotators({ days: 30 });
    expect(rows.map((row) => row.annotator.email)).toEqual(["hasty@example.com", "careful@example.com"]);
    expect(rows[0]).toMatchObject({ flagged: true, flags: ["too_fast"], votes: 8 });
    expect(rows[0].reasons[0]).toContain("8 of 8");
    expect(rows[1]).toMatchObject({ flagged: false, flags: [] });
  });

  it("only looks at votes inside the window", async () => {
    const hasty = await createUserWithRole("annotator", "old-hasty@example.com");
    for (let index = 0; index < 8; index++) await vote(hasty.id, { answerChars: 1000, secondsToVote: 1, createdAt: new Date(Date.now() - 40 * 86_400_000) });
    const caller = await callerFor(admin);
    expect(await caller.adminQuality.annotators({ days: 30 })).toEqual([]);
    expect((await caller.adminQuality.annotators({ days: 60 }))[0]).toMatchObject({ flagged: true });
  });

  it("flags disagreement with gold battles", async () => {
    const annotator = await createUserWithRole("annotator", "contrarian@example.com");
    for (let index = 0; index < 4; index++) await vote(annotator.id, { outcome: "model_b", isGold: true, goldOutcome: "model_a" });
    const rows = await (await callerFor(admin)).adminQuality.annotators({ days: 30 });
    expect(rows[0].flags).toContain("gold_disagreement");
    expect(rows[0].gold).toEqual({ votes: 4, agreed: 0, agreementRate: 0 });
  });

  it("excludes an annotator's votes with a reason, re-includes them, audits both and recomputes the leaderboard", async () => {
    const annotator = await createUserWithRole("annotator", "flagged@example.com");
    await vote(annotator.id);
    const caller = await callerFor(admin);
    const excluded = await caller.adminQuality.excludeVotes({ userId: annotator.id, reason: "votes too fast" });
    expect(excluded.votesExcludedAt).toBeInstanceOf(Date);
    expect(excluded.votesExcludedReason).toBe("votes too fast");
    expect(scheduleLeaderboardRecompute).toHaveBeenCalledTimes(1);
    await expectTrpcError(caller.adminQuality.excludeVotes({ userId: annotator.id, reason: "again" }), "CONFLICT");
    expect((await caller.adminQuality.annotators({ days: 30 }))[0].annotator.votesExcludedReason).toBe("votes too fast");

    const included = await caller.adminQuality.includeVotes({ userId: annotator.id });
    expect(included).toMatchObject({ votesExcludedAt: null, votesExcludedReason: null });
    expect(scheduleLeaderboardRecompute).toHaveBeenCalledTimes(2);
    await expectTrpcError(caller.adminQuality.includeVotes({ userId: annotator.id }), "CONFLICT");

    const audit = await db.auditLog.findMany({ orderBy: { createdAt: "asc" } });
    expect(audit.map((row) => [row.action, row.targetId])).toEqual([
      ["user.votes_excluded", annotator.id],
      ["user.votes_included", annotator.id],
    ]);
    expect(audit[0].details).toMatchObject({ reason: "votes too fast", votes: 1 });
  });

  it("refuses an exclusion without a reason", async () => {
    const annotator = await createUserWithRole("annotator");
    await expectTrpcError((await callerFor(admin)).adminQuality.excludeVotes({ userId: annotator.id, reason: " " }), "BAD_REQUEST");
    expect((await db.user.findUniqueOrThrow({ where: { id: annotator.id } })).votesExcludedAt).toBeNull();
  });

  it("shows a battle for review with prompt, answers, models and vote validity", async () => {
    const annotator = await createUserWithRole("annotator", "voter@example.com");
    const battle = await vote(annotator.id, { prompt: "<script>alert(1)</script> hello" });
    await db.vote.update({ where: { battleId: battle.id }, data: { countsForRating: false, invalidReasons: "identity_leak,post_reveal", feedbackGeneral: "<b>nice</b>" } });
    const detail = await (await callerFor(admin)).adminQuality.battle({ battleId: battle.id });
    expect(detail).toMatchObject({
      annotator: { label: "voter@example.com" },
      models: { a: { slug: "model-a" }, b: { slug: "model-b" } },
      turns: [{ prompt: "<script>alert(1)</script> hello", sides: [{ side: "a", status: "complete" }, { side: "b", status: "complete" }] }],
      vote: { outcome: "model_a", countsForRating: false, invalidReasons: ["identity_leak", "post_reveal"], feedbackGeneral: "<b>nice</b>" },
    });
    await expectTrpcError((await callerFor(admin)).adminQuality.battle({ battleId: "missing" }), "NOT_FOUND");
  });

  it("marks a voted battle as gold and clears it, audited; an unvoted or failed battle cannot be gold", async () => {
    const annotator = await createUserWithRole("annotator");
    const battle = await vote(annotator.id);
    const caller = await callerFor(admin);
    expect(await caller.adminQuality.markGold({ battleId: battle.id, goldOutcome: "model_b" })).toMatchObject({ isGold: true, goldOutcome: "model_b" });
    expect((await caller.adminQuality.battles({ goldOnly: true })).items.map((item) => item.id)).toEqual([battle.id]);
    expect(await caller.adminQuality.clearGold({ battleId: battle.id })).toMatchObject({ isGold: false, goldOutcome: null });
    expect((await db.auditLog.findMany({ orderBy: { createdAt: "asc" } })).map((row) => row.action)).toEqual(["battle.gold_mark", "battle.gold_clear"]);

    const failed = await vote(annotator.id);
    await db.response.updateMany({ where: { turn: { battleId: failed.id }, side: "b" }, data: { status: "error", errorKind: "timeout" } });
    await expectTrpcError(caller.adminQuality.markGold({ battleId: failed.id, goldOutcome: "model_a" }), "CONFLICT");
    await db.vote.delete({ where: { battleId: battle.id } });
    await expectTrpcError(caller.adminQuality.markGold({ battleId: battle.id, goldOutcome: "model_a" }), "CONFLICT");
    expect(await db.battle.count({ where: { isGold: true } })).toBe(0);
  });

  it("picks a gold battle the user has not seen, never their own, and null when none is left", async () => {
    const author = await createUserWithRole("annotator");
    const reader = await createUserWithRole("annotator");
    const first = await vote(author.id, { prompt: "gold one", isGold: true, goldOutcome: "model_a" });
    const second = await vote(author.id, { prompt: "gold two", isGold: true, goldOutcome: "tie" });
    await vote(author.id, { prompt: "not gold" });

    expect(await pickGoldBattle(db, "text", author.id, createRandom(1))).toBeNull();
    expect(await pickGoldBattle(db, "image", reader.id, createRandom(1))).toBeNull();

    const picked = new Set<string>();
    for (let seed = 0; seed < 20; seed++) picked.add((await pickGoldBattle(db, "text", reader.id, createRandom(seed)))!.id);
    expect([...picked].sort()).toEqual([first.id, second.id].sort());

    // The reader is served "gold one" (a copy with the same prompt and models): only "gold two" is left.
    await vote(reader.id, { prompt: "gold one", isGold: true, goldOutcome: "model_a" });
    const next = await pickGoldBattle(db, "text", reader.id, createRandom(3));
    expect(next?.id).toBe(second.id);
    expect(next?.turns[0].responses.map((response) => response.side)).toEqual(["a", "b"]);

    await vote(reader.id, { prompt: "gold two", modelAId: modelB.id, modelBId: modelA.id });
    expect(await pickGoldBattle(db, "text", reader.id, createRandom(3))).toBeNull();
  });

  it("summarises the overview: models by status, paused reasons, votes today, flagged annotators", async () => {
    await db.arenaModel.update({ where: { id: modelB.id }, data: { status: "paused", pausedReason: "Paused automatically: 5 consecutive failures", pausedAt: new Date() } });
    const hasty = await createUserWithRole("annotator");
    for (let index = 0; index < 6; index++) await vote(hasty.id, { answerChars: 1000, secondsToVote: 1 });
    const overview = await (await callerFor(admin)).adminQuality.overview();
    expect(overview).toMatchObject({
      modelsByStatus: { active: 1, paused: 1, retired: 0 },
      pausedModels: [{ slug: "model-b", pausedReason: "Paused automatically: 5 consecutive failures" }],
      votesToday: 6,
      flaggedAnnotators: 1,
      excludedAnnotators: 0,
    });
  });
});
