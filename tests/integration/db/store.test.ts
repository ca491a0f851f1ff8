import { beforeAll, describe, expect, it } from "vitest";
import type { Vote } from "@/lib/generated/sqlite/client";
import { db } from "@/lib/server/db";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { storeOf, type ArenaStore } from "@/lib/server/store";
import { resetDatabase } from "../helpers/db";
import { newBattleRows, voteRow } from "../helpers/store-rows";
import { createOrganizationWithModels } from "../leaderboards/leaderboard-test-support";

// The store gives Prisma's rows and writes rows Prisma reads back unchanged, on whichever database the run uses.
describe("the battle and vote store", () => {
  let store: ArenaStore;
  const ids = { user: "", guest: "", battle: "", modelA: "", modelB: "" };

  beforeAll(async () => {
    await resetDatabase(db);
    store = await storeOf(db);
    const { models } = await createOrganizationWithModels(db, "store-org", [
      { slug: "store-a", modality: "text" },
      { slug: "store-b", modality: "text" },
    ]);
    const [modelA, modelB] = models.map((model) => model.id);
    const user = await db.user.create({ data: { email: "store@example.org", name: "Store Ann", role: "annotator" } });
    const guest = await db.user.create({ data: { role: "guest", isGuest: true, sessionVersion: 3 } });
    const battle = await db.battle.create({
      data: {
        publicId: "store-public",
        userId: user.id,
        modality: "text",
        modelAId: modelA,
        modelBId: modelB,
        status: "voted",
        isGold: true,
        goldOutcome: "tie",
        completedAt: new Date("2026-05-06T07:08:09.010Z"),
        turns: {
          create: [
            { index: 1, prompt: "second", responses: { create: [{ side: "a", modelId: modelA, status: "complete", text: "later" }] } },
            {
              index: 0,
              prompt: "first ✓ — \u{1F600}",
              responses: {
                create: [
                  { side: "a", modelId: modelA, status: "complete", text: "A's answer", inputTokens: 12, durationSeconds: 1.5, styleFeatures: { length: 10, bold: 0.25 }, completedAt: new Date() },
                  { side: "b", modelId: modelB, status: "error", errorKind: "timeout", errorMessage: "took too long" },
                ],
              },
            },
          ],
        },
      },
    });
    await db.vote.create({
      data: { battleId: battle.id, userId: user.id, modality: "text", modelAId: modelA, modelBId: modelB, outcome: "model_b", listeningEvents: { a: [{ at: 1, kind: "play" }], b: [] }, listenSecondsA: 2.25, countsForRating: false, invalidReasons: "post_reveal" },
    });
    Object.assign(ids, { user: user.id, guest: guest.id, battle: battle.id, modelA, modelB });
  });

  const bySide = <T extends { side: string }>(rows: T[]) => [...rows].sort((x, y) => x.side.localeCompare(y.side));
  const prismaBattle = async (id: string) => {
    const battle = await db.battle.findUnique({ where: { id }, include: { turns: { orderBy: { index: "asc" }, include: { responses: true } }, vote: true } });
    return battle && { ...battle, turns: battle.turns.map((turn) => ({ ...turn, responses: bySide(turn.responses) })) };
  };

  it("reads a battle with its turns in order, their answers and its vote as Prisma does: dates, booleans, JSON, floats, enums, nulls", async () => {
    const read = await store.readBattle(ids.battle);
    expect(read && { ...read, turns: read.turns.map((turn) => ({ ...turn, responses: bySide(turn.responses) })) }).toEqual(await prismaBattle(ids.battle));
    expect(read!.turns.map((turn) => turn.index)).toEqual([0, 1]);
    expect(await store.readBattle("missing")).toBeNull();
    expect(await store.readVoteOfBattle(ids.battle)).toEqual(await db.vote.findUnique({ where: { battleId: ids.battle } }));
  });

  it("reads the session user unless banned or deleted, and counts the battle's user's votes since a time with the battle", async () => {
    expect(await store.readSessionUser(ids.guest)).toEqual({ id: ids.guest, role: "guest", isGuest: true, email: null, name: null, sessionVersion: 3 });
    await db.user.update({ where: { id: ids.guest }, data: { bannedAt: new Date() } });
    expect(await store.readSessionUser(ids.guest)).toBeNull();
    const voteAt = (await db.vote.findUniqueOrThrow({ where: { battleId: ids.battle } })).createdAt;
    const countsOf = async (battleId: string, since: Date) => (await store.readBattleToVote(battleId, since))!.counts;
    expect((await countsOf(ids.battle, voteAt)).votesOfUserSince).toBe(1);
    expect((await countsOf(ids.battle, new Date(voteAt.getTime() + 1))).votesOfUserSince).toBe(0);
    // Another user's battle counts that user's votes only.
    const ofGuest = newBattle("store-guest", voteAt);
    await store.commit([{ kind: "insert", rows: { ...ofGuest, battle: { ...ofGuest.battle, userId: ids.guest, promptHash: null } } }]);
    expect(await countsOf(ofGuest.battle.id, voteAt)).toEqual({ votesOfUserSince: 0, countedVotesOfPrompt: 0 });
  });

  it("counts the counted votes on battles of the voted battle's prompt", async () => {
    const since = new Date("2026-07-04T00:00:00.000Z");
    const withHash = async (id: string, promptHash: string) => {
      const rows = newBattle(id, new Date("2026-07-04T10:00:00.000Z"));
      await store.commit([{ kind: "insert", rows: { ...rows, battle: { ...rows.battle, promptHash } } }]);
      return rows.battle.id;
    };
    const [promptX, promptY] = [await withHash("store-prompt", "prompt-x"), await withHash("store-prompt-y", "prompt-y")];
    const counts = async (battleId: string, from = since) => (await store.readBattleToVote(battleId, from))!.counts;
    const before = await counts(promptX);
    expect(before.countedVotesOfPrompt).toBe(0);
    await store.commit([{ kind: "vote", vote: voteOn(promptX, new Date("2026-07-04T10:01:00.000Z")) }]);
    expect(await counts(promptX)).toEqual({ votesOfUserSince: before.votesOfUserSince + 1, countedVotesOfPrompt: 1 });
    expect(await counts(promptY)).toEqual({ votesOfUserSince: before.votesOfUserSince + 1, countedVotesOfPrompt: 0 });
    // The first battle's vote does not count for the ratings (post_reveal).
    await db.battle.update({ where: { id: ids.battle }, data: { promptHash: "prompt-x" } });
    expect((await counts(promptX)).countedVotesOfPrompt).toBe(1);
    // The vote's read: the battle as readBattle reads it, with the counts.
    expect(await store.readBattleToVote(promptX, since)).toEqual({ battle: await store.readBattle(promptX), counts: { votesOfUserSince: before.votesOfUserSince + 1, countedVotesOfPrompt: 1 } });
    expect(await counts(promptX, new Date("2026-07-04T10:01:00.001Z"))).toEqual({ votesOfUserSince: before.votesOfUserSince, countedVotesOfPrompt: 1 });
    // No hash (a battle stored without one) matches no battle, not the battles without a hash (its own vote counts).
    await db.battle.update({ where: { id: promptX }, data: { promptHash: null } });
    expect((await counts(promptX)).countedVotesOfPrompt).toBe(0);
    expect(await store.readBattleToVote("store-missing", since)).toBeNull();
  });

  const newBattle = (id: string, createdAt: Date) => newBattleRows(ids, id, createdAt);
  const voteOn = (battleId: string, createdAt: Date, outcome: Vote["outcome"] = "model_a") => voteRow(ids, battleId, createdAt, outcome);

  it("commits new battles, their answers, a ready mark and votes in one group commit that Prisma reads back unchanged", async () => {
    const createdAt = new Date("2026-07-01T10:00:00.123Z");
    const [first, second] = [newBattle("store-new-1", createdAt), newBattle("store-new-2", createdAt)];
    await store.commit([
      { kind: "insert", rows: first },
      { kind: "insert", rows: second },
      {
        kind: "writes",
        writes: [
          { kind: "response", id: first.responses[0]!.id, data: { status: "complete", text: "done", completedAt: new Date("2026-07-01T10:00:01.000Z"), styleFeatures: { length: 4 }, inputTokens: 3 } },
          { kind: "battle-ready", id: first.battle.id, completedAt: new Date("2026-07-01T10:00:02.000Z") },
        ],
      },
    ]);
    const stored = await prismaBattle(first.battle.id);
    expect(stored).toMatchObject({ ...first.battle, status: "ready", completedAt: new Date("2026-07-01T10:00:02.000Z"), vote: null });
    expect(stored!.turns).toEqual([{ ...first.turn, responses: [{ ...first.responses[0], status: "complete", text: "done", completedAt: new Date("2026-07-01T10:00:01.000Z"), styleFeatures: { length: 4 }, inputTokens: 3 }, first.responses[1]] }]);
    expect(await store.readBattle(second.battle.id)).toEqual(await prismaBattle(second.battle.id));
    // A later timestamp compares as later in the database (dates stored in one comparable form).
    expect(await db.battle.count({ where: { id: { startsWith: "store-new" }, createdAt: { gt: new Date("2026-07-01T10:00:00.122Z") } } })).toBe(2);

    const votedAt = new Date("2026-07-01T10:05:00.000Z");
    await db.battle.update({ where: { id: second.battle.id }, data: { revealedAt: new Date("2026-07-01T10:04:00.000Z") } });
    await store.commit([
      { kind: "vote", vote: voteOn(first.battle.id, votedAt) },
      { kind: "vote", vote: voteOn(second.battle.id, votedAt) },
    ]);
    expect(await db.vote.findUnique({ where: { battleId: first.battle.id } })).toEqual(voteOn(first.battle.id, votedAt));
    // Revealed by the vote, unless revealed before it ("skip and reveal").
    expect(await db.battle.findUnique({ where: { id: first.battle.id }, select: { status: true, revealedAt: true } })).toEqual({ status: "voted", revealedAt: votedAt });
    expect(await db.battle.findUnique({ where: { id: second.battle.id }, select: { status: true, revealedAt: true } })).toEqual({ status: "voted", revealedAt: new Date("2026-07-01T10:04:00.000Z") });
  });

  it("applies several writes of one answer in a batch in order: later fields win, earlier ones stay", async () => {
    const rows = newBattle("store-merge", new Date("2026-07-03T10:00:00.000Z"));
    await store.commit([{ kind: "insert", rows }]);
    const answer = rows.responses[1]!.id;
    await store.commit([
      { kind: "writes", writes: [{ kind: "response", id: answer, data: { text: "partial", inputTokens: 5 } }] },
      { kind: "writes", writes: [{ kind: "response", id: answer, data: { text: "final", status: "complete" } }] },
    ]);
    expect(await db.response.findUnique({ where: { id: answer }, select: { text: true, status: true, inputTokens: true } })).toEqual({ text: "final", status: "complete", inputTokens: 5 });
  });

  it("applies a batch's writes and vote on a battle inserted by the same batch, as if run one after the other", async () => {
    const rows = newBattle("store-one-batch", new Date("2026-07-06T10:00:00.000Z"));
    const [answer, other] = rows.responses.map((response) => response.id);
    const votedAt = new Date("2026-07-06T10:00:05.000Z");
    await store.commit([
      { kind: "insert", rows },
      { kind: "writes", writes: [{ kind: "response", id: answer!, data: { text: "partial", inputTokens: 5 } }] },
      { kind: "writes", writes: [{ kind: "response", id: answer!, data: { text: "final", status: "complete" } }, { kind: "battle-ready", id: rows.battle.id, completedAt: new Date("2026-07-06T10:00:02.000Z") }] },
      { kind: "vote", vote: voteOn(rows.battle.id, votedAt) },
    ]);
    const stored = await prismaBattle(rows.battle.id);
    expect(stored).toMatchObject({ status: "voted", completedAt: new Date("2026-07-06T10:00:02.000Z"), revealedAt: votedAt, vote: voteOn(rows.battle.id, votedAt) });
    expect(stored!.turns[0]!.responses.find((response) => response.id === answer)).toMatchObject({ text: "final", status: "complete", inputTokens: 5 });
    expect(stored!.turns[0]!.responses.find((response) => response.id === other)).toEqual(rows.responses[1]);
    expect(await store.readBattle(rows.battle.id)).toEqual(stored);
  });

  it("writes answers and battles stored before: given fields set (null too), others kept; a battle marked ready only while generating", async () => {
    const rows = newBattle("store-later", new Date("2026-07-08T10:00:00.000Z"));
    const [answer, other] = rows.responses.map((response) => response.id);
    await store.commit([
      { kind: "insert", rows },
      { kind: "writes", writes: [{ kind: "response", id: answer!, data: { status: "error", text: "cut", errorKind: "timeout", errorMessage: "took too long", firstTokenMs: 40 } }] },
    ]);
    const completedAt = new Date("2026-07-08T10:00:09.000Z");
    // A retried round clears the error; a field given as undefined is not written.
    await store.commit([
      { kind: "writes", writes: [{ kind: "response", id: answer!, data: { status: "complete", errorKind: null, errorMessage: null, text: undefined } }] },
      { kind: "writes", writes: [{ kind: "response", id: answer!, data: { completedAt, styleFeatures: { tokens: 3, bold: 0.5 }, durationSeconds: 0.1 + 0.2 } }] },
      { kind: "writes", writes: [{ kind: "response", id: other!, data: { mediaBytes: 12, mediaMime: "audio/mpeg" } }, { kind: "battle-ready", id: rows.battle.id, completedAt }] },
    ]);
    const stored = await prismaBattle(rows.battle.id);
    expect(stored).toMatchObject({ status: "ready", completedAt });
    expect(stored!.turns[0]!.responses).toEqual([
      { ...rows.responses[0], status: "complete", text: "cut", errorKind: null, errorMessage: null, firstTokenMs: 40, completedAt, styleFeatures: { tokens: 3, bold: 0.5 }, durationSeconds: 0.1 + 0.2 },
      { ...rows.responses[1], mediaBytes: 12, mediaMime: "audio/mpeg" },
    ]);
    // Voted, then marked ready again by a late write: it stays voted, its completion time unchanged.
    await store.commit([{ kind: "vote", vote: voteOn(rows.battle.id, new Date("2026-07-08T10:01:00.000Z")) }]);
    await store.commit([{ kind: "writes", writes: [{ kind: "battle-ready", id: rows.battle.id, completedAt: new Date("2026-07-08T10:02:00.000Z") }] }]);
    expect(await db.battle.findUnique({ where: { id: rows.battle.id }, select: { status: true, completedAt: true } })).toEqual({ status: "voted", completedAt });
  });

  it("answers reads asked for together (as concurrent requests do) each with its own battle or user", async () => {
    const [one, two] = [newBattle("store-together-1", new Date("2026-07-07T10:00:00.000Z")), newBattle("store-together-2", new Date("2026-07-07T10:00:00.000Z"))];
    await store.commit([{ kind: "insert", rows: one }, { kind: "insert", rows: two }]);
    await store.commit([{ kind: "vote", vote: voteOn(two.battle.id, new Date("2026-07-07T10:01:00.000Z")) }]);
    const since = new Date("2026-07-07T00:00:00.000Z");
    const alone = { one: await store.readBattle(one.battle.id), two: await store.readBattle(two.battle.id), toVote: await store.readBattleToVote(one.battle.id, since) };
    expect(alone.one).toEqual(await prismaBattle(one.battle.id));
    expect(alone.two).toEqual(await prismaBattle(two.battle.id));
    const together = await Promise.all([
      store.readBattle(two.battle.id),
      store.readBattle("store-missing"),
      store.readBattle(one.battle.id),
      store.readBattleToVote(one.battle.id, since),
      store.readBattle(two.battle.id),
    ]);
    expect(together).toEqual([alone.two, null, alone.one, alone.toVote, alone.two]);
    // Votes read together, on battles of different users and prompts: each with its own battle's counts.
    const guests = newBattle("store-together-3", new Date("2026-07-07T10:00:00.000Z"));
    await store.commit([{ kind: "insert", rows: { ...guests, battle: { ...guests.battle, userId: ids.guest, promptHash: "together-guest" } } }]);
    await db.battle.updateMany({ where: { id: { in: [one.battle.id, two.battle.id] } }, data: { promptHash: "together-x" } });
    const [ownRead, guestRead] = await Promise.all([store.readBattleToVote(one.battle.id, since), store.readBattleToVote(guests.battle.id, since)]);
    expect(ownRead!.counts).toEqual({ votesOfUserSince: await db.vote.count({ where: { userId: ids.user, createdAt: { gte: since } } }), countedVotesOfPrompt: 1 });
    expect(ownRead!.counts.votesOfUserSince).toBeGreaterThan(0);
    expect(guestRead!.counts).toEqual({ votesOfUserSince: 0, countedVotesOfPrompt: 0 });
    expect(guestRead!.battle).toEqual(await store.readBattle(guests.battle.id));
    const user = await store.readSessionUser(ids.user);
    expect(user).toMatchObject({ id: ids.user });
    expect(await Promise.all([store.readSessionUser(ids.user), store.readSessionUser("store-nobody"), store.readSessionUser(ids.user)])).toEqual([user, null, user]);
  });

  it("refuses a second vote on a battle as a unique violation and changes nothing", async () => {
    const createdAt = new Date("2026-07-02T10:00:00.000Z");
    const rows = newBattle("store-twice", createdAt);
    await store.commit([{ kind: "insert", rows }]);
    await store.commit([{ kind: "vote", vote: voteOn(rows.battle.id, createdAt, "tie") }]);
    const before = await prismaBattle(rows.battle.id);
    const error = await store.commit([{ kind: "vote", vote: voteOn(rows.battle.id, new Date("2026-07-02T11:00:00.000Z"), "model_b") }]).catch((caught: unknown) => caught);
    expect(isUniqueViolation(error)).toBe(true);
    expect(await prismaBattle(rows.battle.id)).toEqual(before);
    expect(await db.vote.count({ where: { battleId: rows.battle.id } })).toBe(1);

    // In a batch with every other kind of write (a new battle with its writes and vote, a write to an answer
    // and a ready mark on a battle stored before, a first vote): the refused vote leaves all of it unwritten.
    const stored = newBattle("store-twice-stored", createdAt);
    await store.commit([{ kind: "insert", rows: stored }]);
    const storedBefore = await prismaBattle(stored.battle.id);
    const fresh = newBattle("store-twice-fresh", createdAt);
    const mixed = await store
      .commit([
        { kind: "insert", rows: fresh },
        { kind: "writes", writes: [{ kind: "response", id: fresh.responses[0]!.id, data: { text: "new" } }, { kind: "battle-ready", id: fresh.battle.id, completedAt: createdAt }] },
        { kind: "vote", vote: voteOn(fresh.battle.id, createdAt) },
        { kind: "writes", writes: [{ kind: "response", id: stored.responses[0]!.id, data: { text: "changed", status: "complete" } }, { kind: "battle-ready", id: stored.battle.id, completedAt: createdAt }] },
        { kind: "vote", vote: voteOn(rows.battle.id, new Date("2026-07-02T12:00:00.000Z"), "model_a") },
      ])
      .catch((caught: unknown) => caught);
    expect(isUniqueViolation(mixed)).toBe(true);
    expect(await prismaBattle(fresh.battle.id)).toBeNull();
    expect(await db.vote.count({ where: { battleId: fresh.battle.id } })).toBe(0);
    expect(await prismaBattle(stored.battle.id)).toEqual(storedBefore);
    expect(await prismaBattle(rows.battle.id)).toEqual(before);
  });

  it("reads voted, untagged text battles with their prompts in turn order, and tags battles and their votes at once", async () => {
    const unvoted = newBattle("store-unvoted", new Date("2026-07-05T10:00:00.000Z"));
    const voted = newBattle("store-tag-me", new Date("2026-07-05T10:00:00.000Z"));
    await store.commit([{ kind: "insert", rows: unvoted }, { kind: "insert", rows: voted }]);
    await store.commit([{ kind: "vote", vote: voteOn(voted.battle.id, new Date("2026-07-05T10:01:00.000Z")) }]);
    const untagged = await store.readUntaggedBattles(500);
    expect(untagged).toContainEqual({ id: ids.battle, prompts: ["first ✓ — \u{1F600}", "second"] });
    expect(untagged).toContainEqual({ id: voted.battle.id, prompts: ["hello"] });
    expect(untagged.map((battle) => battle.id)).not.toContain(unvoted.battle.id);
    const expected = await db.battle.count({ where: { modality: "text", categories: null, vote: { isNot: null } } });
    expect(untagged).toHaveLength(expected);
    expect(await store.readUntaggedBattles(1)).toHaveLength(1);

    await store.tagBattles([
      { battleIds: [ids.battle, "store-gone"], categories: "coding,multi_turn", language: "en", categorizedBy: "rules-v1" },
      { battleIds: [voted.battle.id], categories: "", language: null, categorizedBy: "model:judge" },
    ]);
    expect(await db.battle.findUnique({ where: { id: ids.battle }, select: { categories: true, language: true, categorizedBy: true, vote: { select: { categories: true } } } })).toEqual({
      categories: "coding,multi_turn",
      language: "en",
      categorizedBy: "rules-v1",
      vote: { categories: "coding,multi_turn" },
    });
    expect(await db.battle.findUnique({ where: { id: voted.battle.id }, select: { categories: true, language: true, categorizedBy: true, vote: { select: { categories: true } } } })).toEqual({
      categories: "",
      language: null,
      categorizedBy: "model:judge",
      vote: { categories: "" },
    });
    expect(await db.battle.findUnique({ where: { id: unvoted.battle.id }, select: { categories: true } })).toEqual({ categories: null });
    expect((await store.readUntaggedBattles(500)).map((battle) => battle.id)).not.toContain(ids.battle);
  });
});
