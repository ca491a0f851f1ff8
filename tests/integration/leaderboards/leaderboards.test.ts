import { TRPCError } from "@trpc/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ZLeaderboardDataSchema, ZPublicLeaderboardSchema } from "@/lib/domain/leaderboard/snapshot";
import { GET as getLeaderboardRoute } from "@/app/api/v1/leaderboard/route";
import { recomputeLeaderboardsIfStale } from "@/lib/server/leaderboards/job";
import { getLeaderboard } from "@/lib/server/leaderboards/read";
import { computeAndStoreLeaderboards, scheduledRecomputesSettled, scheduleLeaderboardRecompute } from "@/lib/server/leaderboards/recompute";
import { forgetLeaderboardState } from "@/lib/server/leaderboards/state";
import { exportOrganizationBattles, type TExportedBattle } from "@/lib/server/services/owner-dashboard";
import { callerFor, db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { createAnnotator, createOrganizationWithModels, plannedVotes, plantVotes } from "./leaderboard-test-support";
import type { TModality } from "@/lib/domain/vocabulary";

/** Yesterday noon (UTC): recent enough for the dashboard's 90-day window of votes per day. */
const END = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 43_200_000);
const EUROPEAN = { country: "DE", ageBand: "25-34", expertise: "software" } as const;
const AMERICAN = { country: "US", ageBand: "45-54", expertise: "arts" } as const;

async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"]) {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
}

async function overall(modality: TModality, variant = "overall") {
  const row = await db.leaderboardSnapshot.findUnique({ where: { modality_variant: { modality, variant } } });
  return row ? ZLeaderboardDataSchema.parse(row.data) : null;
}

/** Two orgs; text models alpha > bravo > charlie (alpha, charlie in org A), image models in org B. */
async function plantArena() {
  const orgA = await createOrganizationWithModels(db, "org-a", [
    { slug: "alpha", modality: "text" },
    { slug: "charlie", modality: "text" },
  ]);
  const orgB = await createOrganizationWithModels(db, "org-b", [
    { slug: "bravo", modality: "text" },
    { slug: "img-one", modality: "image" },
    { slug: "img-two", modality: "image" },
  ]);
  const [alpha, charlie] = orgA.models.map((model) => model.id);
  const [bravo, imageOne, imageTwo] = orgB.models.map((model) => model.id);
  const europeans = await Promise.all([0, 1, 2].map(() => createAnnotator(db, EUROPEAN)));
  const americans = await Promise.all([0, 1, 2].map(() => createAnnotator(db, AMERICAN)));
  const voters = [...europeans, ...americans].map((user) => user.id);
  await plantVotes(db, "text", plannedVotes([alpha, bravo, charlie], voters, { perPair: 40, winShare: 0.8, seed: 1, end: END }));
  // Image preferences run the other way round and must not leak into text.
  await plantVotes(db, "image", plannedVotes([imageTwo, imageOne], voters, { perPair: 40, winShare: 0.9, seed: 2, end: END }));
  return { orgA, orgB, alpha, bravo, charlie, imageOne, imageTwo, europeans, americans, voters };
}

describe("leaderboard recomputation", () => {
  beforeEach(async () => {
    await resetDatabase(db);
    forgetLeaderboardState(db);
  });

  it("orders text models as the planted preferences and keeps modalities apart", async () => {
    const arena = await plantArena();
    const result = await computeAndStoreLeaderboards(db, { now: END });
    expect(result.voteCounts).toEqual({ text: 120, image: 40, audio: 0 });
    const text = await overall("text");
    expect(text?.rows.map((row) => row.slug)).toEqual(["alpha", "bravo", "charlie"]);
    expect(text?.voteCount).toBe(120);
    const image = await overall("image");
    expect(image?.rows.map((row) => row.modelId)).toEqual([arena.imageTwo, arena.imageOne]);
    expect(await overall("audio")).toBeNull();
  });

  it("stores organization, interval, Elo, win-rate matrix, history and votes per day", async () => {
    await plantArena();
    await computeAndStoreLeaderboards(db, { now: END });
    const text = (await overall("text"))!;
    const alpha = text.rows[0];
    expect(alpha.organizationName).toBe("Org org-a");
    expect(alpha.ciLower).toBeLessThan(alpha.rating);
    expect(alpha.ciUpper).toBeGreaterThan(alpha.rating);
    expect(alpha.elo).toBeGreaterThan(1000);
    expect(text.matrix.modelIds).toEqual(text.rows.map((row) => row.modelId));
    expect(text.matrix.winRate[0][1]).toBeCloseTo(0.8, 5);
    expect(text.matrix.counts[0][1]).toBe(40);
    expect(text.history.at(-1)?.votes).toBe(120);
    expect(text.votesByDay.reduce((sum, day) => sum + day.votes, 0)).toBe(120);
  });

  it("ignores votes of excluded annotators and votes that do not count", async () => {
    const arena = await plantArena();
    const excluded = await createAnnotator(db, EUROPEAN, { excluded: true });
    const upsets = plannedVotes([arena.charlie, arena.alpha], [excluded.id], { perPair: 200, winShare: 1, seed: 3, end: END });
    await plantVotes(db, "text", upsets);
    const invalid = plannedVotes([arena.charlie, arena.alpha], [arena.voters[0]], { perPair: 200, winShare: 1, seed: 4, end: END });
    await plantVotes(db, "text", invalid.map((vote) => ({ ...vote, countsForRating: false })));
    await computeAndStoreLeaderboards(db, { now: END });
    const text = (await overall("text"))!;
    expect(text.voteCount).toBe(120);
    expect(text.rows.map((row) => row.slug)).toEqual(["alpha", "bravo", "charlie"]);
  });

  it("marks models with fewer than PROVISIONAL_MIN_VOTES votes as provisional", async () => {
    const arena = await plantArena();
    const { models } = await createOrganizationWithModels(db, "org-c", [{ slug: "newcomer", modality: "text" }]);
    await plantVotes(db, "text", plannedVotes([models[0].id, arena.charlie], arena.voters, { perPair: 5, winShare: 0.6, seed: 5, end: END }));
    await computeAndStoreLeaderboards(db, { now: END });
    const rows = (await overall("text"))!.rows;
    expect(rows.find((row) => row.slug === "newcomer")).toMatchObject({ votes: 5, provisional: true });
    expect(rows.find((row) => row.slug === "alpha")).toMatchObject({ votes: 80, provisional: false });
  });

  it("feeds only new votes on the next run and rebuilds when an annotator is excluded", async () => {
    const arena = await plantArena();
    expect((await computeAndStoreLeaderboards(db, { now: END })).eloMode).toBe("replay");
    const later = new Date(END.getTime() + 60_000);
    await plantVotes(db, "text", [{ modelA: arena.alpha, modelB: arena.bravo, outcome: "model_a", userId: arena.voters[0], at: later }]);
    const incremental = await computeAndStoreLeaderboards(db, { now: new Date(later.getTime() + 1000) });
    expect(incremental).toMatchObject({ eloMode: "incremental", voteCounts: { text: 121 } });
    await db.user.update({ where: { id: arena.voters[0] }, data: { votesExcludedAt: new Date() } });
    const rebuilt = await computeAndStoreLeaderboards(db, { now: new Date(later.getTime() + 2000) });
    expect(rebuilt).toMatchObject({ eloMode: "replay", refresh: "replay" });
    const remaining = await db.vote.count({ where: { modality: "text", userId: { not: arena.voters[0] } } });
    expect(rebuilt.voteCounts.text).toBe(remaining);
  });

  it("gives the same snapshots from one full read as from feeding the votes run by run", async () => {
    const arena = await plantArena();
    const excluded = await createAnnotator(db, AMERICAN, { excluded: true });
    await plantVotes(db, "text", plannedVotes([arena.charlie, arena.alpha], [excluded.id], { perPair: 30, winShare: 1, seed: 6, end: END }));
    await computeAndStoreLeaderboards(db, { now: END });
    // A day after the first run's cursor, spread over that day.
    const later = new Date(END.getTime() + 2 * 86_400_000);
    await plantVotes(db, "text", plannedVotes([arena.bravo, arena.charlie], [arena.voters[2], arena.voters[4]], { perPair: 20, winShare: 0.7, seed: 7, end: later, days: 1 }));
    const incremental = await computeAndStoreLeaderboards(db, { now: new Date(later.getTime() + 1000) });
    expect(incremental.refresh).toBe("incremental");
    const snapshot = async () => {
      const rows = await db.leaderboardSnapshot.findMany({ orderBy: [{ modality: "asc" }, { variant: "asc" }] });
      return rows.map((row) => {
        const data = ZLeaderboardDataSchema.parse(row.data);
        return [row.variant, data.voteCount, data.rows.map((entry) => [entry.modelId, entry.rating, entry.elo, entry.votes]), data.history, data.votesByDay];
      });
    };
    const runByRun = await snapshot();
    forgetLeaderboardState(db);
    const full = await computeAndStoreLeaderboards(db, { now: new Date(later.getTime() + 1000), rebuild: true });
    expect(full).toMatchObject({ refresh: "read", voteCounts: { text: 140 } });
    expect(await snapshot()).toEqual(runByRun);
  });

  it("reads votes spread over many weeks in time order, window by window", async () => {
    const arena = await plantArena();
    // 8 weeks of votes: the full read reads them a week's window at a time.
    await plantVotes(db, "text", plannedVotes([arena.charlie, arena.bravo, arena.alpha], arena.voters, { perPair: 30, winShare: 0.6, seed: 9, end: END, days: 56 }));
    const weekly = async () => {
      forgetLeaderboardState(db);
      await db.leaderboardState.deleteMany({});
      for (let week = 8; week >= 0; week--) await computeAndStoreLeaderboards(db, { now: new Date(END.getTime() - week * 7 * 86_400_000) });
      return overall("text");
    };
    const runByRun = await weekly();
    forgetLeaderboardState(db);
    const full = await computeAndStoreLeaderboards(db, { now: END, rebuild: true });
    expect(full).toMatchObject({ refresh: "read", voteCounts: { text: 210 } });
    const fromFullRead = await overall("text");
    expect(fromFullRead?.rows.map((row) => [row.modelId, row.rating, row.elo, row.votes])).toEqual(runByRun?.rows.map((row) => [row.modelId, row.rating, row.elo, row.votes]));
    expect(fromFullRead?.votesByDay).toEqual(runByRun?.votesByDay);
  });

  it("reads votes in time order across weeks without votes", async () => {
    const arena = await plantArena();
    // Two weeks of votes, five weeks without any, then a week: the read-ahead thread jumps over the empty weeks.
    const earlier = new Date(END.getTime() - 6 * 7 * 86_400_000);
    await plantVotes(db, "text", plannedVotes([arena.charlie, arena.bravo, arena.alpha], arena.voters, { perPair: 20, winShare: 0.6, seed: 10, end: earlier, days: 14 }));
    await plantVotes(db, "text", plannedVotes([arena.alpha, arena.charlie, arena.bravo], arena.voters, { perPair: 20, winShare: 0.7, seed: 11, end: END, days: 7 }));
    forgetLeaderboardState(db);
    await db.leaderboardState.deleteMany({});
    for (let week = 9; week >= 0; week--) await computeAndStoreLeaderboards(db, { now: new Date(END.getTime() - week * 7 * 86_400_000) });
    const runByRun = await overall("text");
    forgetLeaderboardState(db);
    const full = await computeAndStoreLeaderboards(db, { now: END, rebuild: true });
    expect(full).toMatchObject({ refresh: "read", voteCounts: { text: 240 } });
    const fromFullRead = await overall("text");
    expect(fromFullRead?.rows.map((row) => [row.modelId, row.rating, row.elo, row.votes])).toEqual(runByRun?.rows.map((row) => [row.modelId, row.rating, row.elo, row.votes]));
    expect(fromFullRead?.votesByDay).toEqual(runByRun?.votesByDay);
  });

  it("never counts a vote twice when two recomputations overlap", async () => {
    await plantArena();
    const [first, second] = await Promise.all([computeAndStoreLeaderboards(db, { now: END }), computeAndStoreLeaderboards(db, { now: END })]);
    expect(first.voteCounts.text).toBe(120);
    expect(second.voteCounts.text).toBe(120);
    expect((await overall("text"))?.voteCount).toBe(120);
  });

  it("rebuilds when a vote before the cursor stops counting", async () => {
    await plantArena();
    await computeAndStoreLeaderboards(db, { now: END });
    const vote = await db.vote.findFirstOrThrow({ where: { modality: "text" } });
    await db.vote.update({ where: { id: vote.id }, data: { countsForRating: false } });
    const result = await computeAndStoreLeaderboards(db, { now: END });
    expect(result).toMatchObject({ eloMode: "replay", voteCounts: { text: 119 } });
  });

  it("restores a new process from the vote-log checkpoint with the same ratings and online Elo as a full read", async () => {
    const arena = await plantArena();
    expect((await computeAndStoreLeaderboards(db, { now: END })).refresh).toBe("read");
    expect(await db.leaderboardState.findUnique({ where: { key: "vote-log" }, select: { key: true } })).not.toBeNull();
    forgetLeaderboardState(db);
    const later = new Date(END.getTime() + 60_000);
    await plantVotes(db, "text", [{ modelA: arena.charlie, modelB: arena.alpha, outcome: "model_a", userId: arena.voters[1], at: later }]);
    const restored = await computeAndStoreLeaderboards(db, { now: new Date(later.getTime() + 1000) });
    expect(restored).toMatchObject({ refresh: "checkpoint", voteCounts: { text: 121, image: 40, audio: 0 } });
    const fromCheckpoint = (await overall("text"))!.rows;
    forgetLeaderboardState(db);
    expect((await computeAndStoreLeaderboards(db, { now: new Date(later.getTime() + 2000), rebuild: true })).refresh).toBe("read");
    const fromVotes = (await overall("text"))!.rows;
    expect(fromCheckpoint.map((row) => [row.modelId, row.rating, row.elo, row.votes])).toEqual(fromVotes.map((row) => [row.modelId, row.rating, row.elo, row.votes]));
  });

  it("keeps the snapshots of a modality whose votes did not change, also in a new process", async () => {
    const arena = await plantArena();
    await computeAndStoreLeaderboards(db, { now: END });
    const later = new Date(END.getTime() + 60_000);
    await plantVotes(db, "text", [{ modelA: arena.alpha, modelB: arena.bravo, outcome: "tie", userId: arena.voters[2], at: later }]);
    const afterTextVote = await computeAndStoreLeaderboards(db, { now: later });
    expect(afterTextVote.unchangedModalities).toEqual(["image"]);
    expect((await overall("image"))?.computedAt).toBe(END.toISOString());
    expect((await overall("text"))?.computedAt).toBe(later.toISOString());
    forgetLeaderboardState(db);
    const restarted = await computeAndStoreLeaderboards(db, { now: new Date(later.getTime() + 1000) });
    expect(restarted).toMatchObject({ refresh: "checkpoint", unchangedModalities: ["text", "image"], snapshots: 0 });
    expect((await overall("text"))?.computedAt).toBe(later.toISOString());
    const rebuilt = await computeAndStoreLeaderboards(db, { now: new Date(later.getTime() + 2000), rebuild: true });
    expect(rebuilt.unchangedModalities).toEqual([]);
    expect((await overall("image"))?.computedAt).toBe(new Date(later.getTime() + 2000).toISOString());
  });

  it("reads every vote again when a vote up to the checkpoint's cursor stopped counting", async () => {
    await plantArena();
    await computeAndStoreLeaderboards(db, { now: END });
    forgetLeaderboardState(db);
    const vote = await db.vote.findFirstOrThrow({ where: { modality: "text" } });
    await db.vote.update({ where: { id: vote.id }, data: { countsForRating: false } });
    expect(await computeAndStoreLeaderboards(db, { now: END })).toMatchObject({ refresh: "read", voteCounts: { text: 119 } });
  });

  it("applies the current exclusions to a restored checkpoint", async () => {
    const arena = await plantArena();
    await computeAndStoreLeaderboards(db, { now: END });
    forgetLeaderboardState(db);
    await db.user.update({ where: { id: arena.voters[0] }, data: { votesExcludedAt: new Date() } });
    const restored = await computeAndStoreLeaderboards(db, { now: END });
    const remaining = await db.vote.count({ where: { modality: "text", userId: { not: arena.voters[0] } } });
    expect(restored).toMatchObject({ refresh: "checkpoint", voteCounts: { text: remaining } });
  });

  it("stores persona segments shrunk toward the global ratings", async () => {
    const arena = await plantArena();
    // Europeans strongly prefer charlie over alpha.
    const europeanIds = arena.europeans.map((user) => user.id);
    await plantVotes(db, "text", plannedVotes([arena.charlie, arena.alpha], europeanIds, { perPair: 120, winShare: 0.9, seed: 6, end: END }));
    await computeAndStoreLeaderboards(db, { now: END });
    const europe = (await overall("text", "segment:region=Europe"))!;
    const americas = (await overall("text", "segment:region=Americas"))!;
    const rank = (data: typeof europe, id: string) => data.rows.findIndex((row) => row.modelId === id);
    expect(rank(europe, arena.charlie)).toBeLessThan(rank(europe, arena.alpha));
    expect(rank(americas, arena.alpha)).toBeLessThan(rank(americas, arena.charlie));
    expect(europe.shrinkStrength).not.toBeNull();
    expect(europe.label).toBe("Region: Europe");
    const view = await getLeaderboard(db, "text", "overall");
    expect(view.segments.map((segment) => segment.variant)).toContain("segment:age=25-34");
  });

  it("attributes each vote to the persona version in force when it was cast", async () => {
    const arena = await plantArena();
    const mover = (await createAnnotator(db, AMERICAN)).id;
    const moved = new Date(END.getTime() - 86_400_000);
    await db.personaVersion.create({ data: { userId: mover, version: 2, data: EUROPEAN, createdAt: moved } });
    const asAmerican = plannedVotes([arena.charlie, arena.alpha], [mover], { perPair: 60, winShare: 1, seed: 8, end: new Date(moved.getTime() - 1000), days: 1 });
    const asEuropean = plannedVotes([arena.bravo, arena.alpha], [mover], { perPair: 60, winShare: 1, seed: 9, end: END, days: 1 });
    await plantVotes(db, "text", [...asAmerican, ...asEuropean]);
    const result = await computeAndStoreLeaderboards(db, { now: END });
    expect(result.refresh).toBe("read");
    const votesOf = async (segment: string, id: string) => (await overall("text", segment))!.rows.find((row) => row.modelId === id)?.votes ?? 0;
    const baseline = plannedVotes([arena.alpha, arena.bravo, arena.charlie], arena.voters, { perPair: 40, winShare: 0.8, seed: 1, end: END });
    const baselineOf = (users: { id: string }[], id: string) =>
      baseline.filter((vote) => users.some((user) => user.id === vote.userId) && (vote.modelA === id || vote.modelB === id)).length;
    expect(await votesOf("segment:region=Europe", arena.bravo)).toBe(baselineOf(arena.europeans, arena.bravo) + 60);
    expect(await votesOf("segment:region=Europe", arena.charlie)).toBe(baselineOf(arena.europeans, arena.charlie));
    expect(await votesOf("segment:region=Americas", arena.charlie)).toBe(baselineOf(arena.americans, arena.charlie) + 60);
    expect(await votesOf("segment:region=Americas", arena.bravo)).toBe(baselineOf(arena.americans, arena.bravo));
  });

  it("offers a personal leaderboard from the annotator's most specific segment", async () => {
    const arena = await plantArena();
    const caller = await callerFor(arena.europeans[0].id);
    const personal = await caller.leaderboard.personal({ modality: "text" });
    expect(personal.reason).toBeNull();
    expect(personal.data?.label).toBe("People like you (Region: Europe · Age: 25–34 · Expertise: Software and IT)");
    expect(personal.data?.voteCount).toBeGreaterThanOrEqual(50);
    const nobody = await createAnnotator(db, null);
    expect(await (await callerFor(nobody.id)).leaderboard.personal({ modality: "text" })).toEqual({ data: null, reason: "no_persona" });
  });

  it("fits the personal leaderboard as the stored board of its segment: same shrink target, same ratings", async () => {
    const arena = await plantArena();
    // Europeans prefer charlie: the segment's own ratings differ from the overall ones, so the shrink target shows.
    await plantVotes(db, "text", plannedVotes([arena.charlie, arena.alpha], arena.europeans.map((user) => user.id), { perPair: 30, winShare: 0.9, seed: 6, end: END }));
    await computeAndStoreLeaderboards(db, { now: END });
    const stored = (await overall("text", "segment:region=Europe"))!;
    const onlyRegion = await createAnnotator(db, { country: "DE" });
    const personal = (await (await callerFor(onlyRegion.id)).leaderboard.personal({ modality: "text" })).data!;
    expect(personal.label).toBe("People like you (Region: Europe)");
    const fitted = (data: typeof stored) => ({ rows: data.rows, voteCount: data.voteCount, shrinkStrength: data.shrinkStrength, shrinkage: data.shrinkage });
    expect(fitted(personal)).toEqual(fitted(stored));
  });

  it("fits a style-controlled text leaderboard from the answers' markdown", async () => {
    const arena = await plantArena();
    const heavy = "# Title\n\n- one\n- two\n\n**bold** words here and more words";
    const plain = "A short plain answer.";
    await plantVotes(
      db,
      "text",
      plannedVotes([arena.alpha, arena.bravo], arena.voters, { perPair: 30, winShare: 0.7, seed: 7, end: END }).map((vote) => ({ ...vote, styles: { a: heavy, b: plain } })),
    );
    await computeAndStoreLeaderboards(db, { now: END });
    const style = (await overall("text", "style"))!;
    expect(style.voteCount).toBe(30);
    expect(Object.keys(style.styleCoefficients ?? {}).sort()).toEqual(["bold", "headers", "lists", "tokens"]);
    expect(style.rows.map((row) => row.slug).sort()).toEqual(["alpha", "bravo"]);
  });

  it("fits the same style control from stored style features as from the answers' text", async () => {
    const styleOf = async (styleFeatures: boolean) => {
      await resetDatabase(db);
      forgetLeaderboardState(db);
      const arena = await plantArena();
      const answers = ["# Title\n\n- one\n- two\n\n**bold** words", "A short plain answer.", "## Steps\n\n1. first\n2. second\n\nDone **now**."];
      const votes = plannedVotes([arena.alpha, arena.bravo, arena.charlie], arena.voters, { perPair: 20, winShare: 0.7, seed: 8, end: END });
      await plantVotes(db, "text", votes.map((vote, k) => ({ ...vote, styles: { a: answers[k % 3], b: answers[(k + 1) % 3] }, styleFeatures })));
      await computeAndStoreLeaderboards(db, { now: END });
      return (await overall("text", "style"))!;
    };
    const fromFeatures = await styleOf(true);
    const fromText = await styleOf(false);
    expect(fromFeatures.voteCount).toBe(60);
    expect(fromText.voteCount).toBe(60);
    for (const [name, value] of Object.entries(fromText.styleCoefficients ?? {})) expect(fromFeatures.styleCoefficients?.[name]).toBeCloseTo(value, 9);
    expect(fromFeatures.rows.map((row) => row.slug)).toEqual(fromText.rows.map((row) => row.slug));
    fromFeatures.rows.forEach((row, k) => expect(row.rating).toBeCloseTo(fromText.rows[k].rating, 6));
  });

  it("keeps the stored style fit in a new process, and refits it after an exclusion", async () => {
    const arena = await plantArena();
    await plantVotes(
      db,
      "text",
      plannedVotes([arena.alpha, arena.bravo], arena.voters, { perPair: 30, winShare: 0.7, seed: 7, end: END }).map((vote) => ({ ...vote, styles: { a: "# Title", b: "plain" } })),
    );
    await computeAndStoreLeaderboards(db, { now: END });
    const styleComputedAt = async () => (await overall("text", "style"))?.computedAt;
    forgetLeaderboardState(db);
    await computeAndStoreLeaderboards(db, { now: new Date(END.getTime() + 1000) });
    expect(await styleComputedAt()).toBe(END.toISOString());
    forgetLeaderboardState(db);
    await db.user.update({ where: { id: arena.voters[0] }, data: { votesExcludedAt: new Date() } });
    const refitAt = new Date(END.getTime() + 2000);
    await computeAndStoreLeaderboards(db, { now: refitAt });
    expect(await styleComputedAt()).toBe(refitAt.toISOString());
  });
});

describe("background recomputation", () => {
  beforeEach(async () => {
    await resetDatabase(db);
    forgetLeaderboardState(db);
  });

  it("recomputes once after a burst of scheduled requests", async () => {
    await plantArena();
    scheduleLeaderboardRecompute(db);
    scheduleLeaderboardRecompute(db);
    await vi.waitFor(async () => expect((await overall("text"))?.voteCount).toBe(120), { timeout: 20_000, interval: 200 });
    // The run goes on after the text board (other boards); the next test's reset must not race it.
    await scheduledRecomputesSettled();
  });

  it("recomputes from the job only when votes are newer than the snapshots", async () => {
    const arena = await plantArena();
    expect(await recomputeLeaderboardsIfStale(db, END)).toBe(true);
    expect(await recomputeLeaderboardsIfStale(db, END)).toBe(false);
    const snapshot = await db.leaderboardSnapshot.findFirstOrThrow({ orderBy: { computedAt: "desc" } });
    await plantVotes(db, "text", [{ modelA: arena.alpha, modelB: arena.bravo, outcome: "model_a", userId: arena.voters[0], at: new Date(snapshot.computedAt.getTime() + 1000) }]);
    expect(await recomputeLeaderboardsIfStale(db, new Date(snapshot.computedAt.getTime() + 2000))).toBe(true);
    expect((await overall("text"))?.voteCount).toBe(121);
  });

  it("runs one recomputation at a time: the job waits for a run in progress, then finds the boards current", async () => {
    await plantArena();
    const running = computeAndStoreLeaderboards(db, { now: END });
    const job = recomputeLeaderboardsIfStale(db, END);
    const [result, recomputedByJob] = await Promise.all([running, job]);
    expect(result.voteCounts.text).toBe(120);
    expect(recomputedByJob).toBe(false);
  });
});

describe("leaderboard API", () => {
  beforeEach(async () => {
    await resetDatabase(db);
    forgetLeaderboardState(db);
  });

  const get = (query: string) => getLeaderboardRoute(new Request(`http://localhost/api/v1/leaderboard${query}`));

  it("serves the table as validated JSON with open CORS and a short cache", async () => {
    await plantArena();
    await computeAndStoreLeaderboards(db, { now: END });
    const response = await get("?modality=text&format=json");
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("cache-control")).toMatch(/max-age=30/);
    const body = ZPublicLeaderboardSchema.parse(await response.json());
    expect(body.rows.map((row) => row.slug)).toEqual(["alpha", "bravo", "charlie"]);
    expect(body.voteCount).toBe(120);
    expect(body.rows[0]).not.toHaveProperty("organizationId");
  });

  it("serves the same table as CSV", async () => {
    await plantArena();
    await computeAndStoreLeaderboards(db, { now: END });
    const response = await get("?modality=text&format=csv");
    expect(response.headers.get("content-type")).toContain("text/csv");
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines[0]).toBe("rank,model,organization,rating,ci_lower,ci_upper,votes,wins,losses,ties,provisional");
    expect(lines.slice(1).map((line) => line.split(",")[1])).toEqual(["alpha", "bravo", "charlie"]);
  });

  it("answers an empty table before any vote", async () => {
    const body = await (await get("?modality=audio")).json();
    expect(body).toEqual({ modality: "audio", variant: "overall", label: null, computedAt: null, voteCount: 0, rows: [] });
  });

  it("rejects an unknown modality, variant or format with a clear 400", async () => {
    const badModality = await get("?modality=video");
    expect(badModality.status).toBe(400);
    expect((await badModality.json()).error.message).toContain("modality must be one of text, image, audio");
    expect((await get("?variant=segment:planet=Mars")).status).toBe(400);
    expect((await get("?format=xml")).status).toBe(400);
  });
});

describe("owner dashboard", () => {
  beforeEach(async () => {
    await resetDatabase(db);
    forgetLeaderboardState(db);
  });

  async function ownerOf(organizationId: string) {
    const user = await db.user.create({ data: { email: `owner-${organizationId}@example.com`, role: "model_owner" } });
    await db.membership.create({ data: { userId: user.id, organizationId, role: "owner" } });
    return user;
  }

  it("shows an owner only their organization and forbids another one", async () => {
    const arena = await plantArena();
    await computeAndStoreLeaderboards(db, { now: END });
    const owner = await ownerOf(arena.orgA.organization.id);
    const caller = await callerFor(owner.id);
    expect((await caller.owner.organizations()).map((org) => org.slug)).toEqual(["org-a"]);
    const dashboard = await caller.owner.dashboard({ organizationId: arena.orgA.organization.id });
    expect(dashboard.models.map((model) => model.slug)).toEqual(["alpha", "charlie"]);
    const alpha = dashboard.models[0];
    expect(alpha.current?.rank).toBe(1);
    expect(alpha.opponents.map((opponent) => opponent.displayName).sort()).toEqual(["BRAVO", "CHARLIE"]);
    expect(alpha.history.length).toBeGreaterThan(0);
    expect(alpha.votesByDay.reduce((sum, day) => sum + day.votes, 0)).toBe(80);
    expect(alpha.segments.map((segment) => segment.variant)).toContain("segment:region=Europe");
    await expectTrpcError(caller.owner.dashboard({ organizationId: arena.orgB.organization.id }), "FORBIDDEN");
  });

  it("lets an admin open every organization and keeps annotators out", async () => {
    const arena = await plantArena();
    const admin = await db.user.create({ data: { email: "admin@example.com", role: "admin" } });
    const adminCaller = await callerFor(admin.id);
    expect((await adminCaller.owner.organizations()).map((org) => org.slug)).toEqual(["org-a", "org-b"]);
    const dashboard = await adminCaller.owner.dashboard({ organizationId: arena.orgB.organization.id });
    expect(dashboard.models.map((model) => model.slug)).toEqual(["bravo", "img-one", "img-two"]);
    await expectTrpcError((await callerFor(arena.voters[0])).owner.organizations(), "FORBIDDEN");
  });

  it("shows recent feedback scrubbed of personal data", async () => {
    const arena = await plantArena();
    await plantVotes(db, "text", [
      { modelA: arena.alpha, modelB: arena.bravo, outcome: "model_a", userId: arena.voters[0], at: END, feedbackA: "Great, mail me at jane.doe@example.com" },
    ]);
    const owner = await ownerOf(arena.orgA.organization.id);
    const dashboard = await (await callerFor(owner.id)).owner.dashboard({ organizationId: arena.orgA.organization.id });
    expect(dashboard.feedback).toEqual([expect.objectContaining({ modelName: "ALPHA", result: "won", text: "Great, mail me at [EMAIL]" })]);
  });

  it("exports only battles of the owner's models, without annotator identities", async () => {
    const arena = await plantArena();
    await plantVotes(db, "text", [
      { modelA: arena.alpha, modelB: arena.bravo, outcome: "tie", userId: arena.voters[0], at: END, styles: { a: "Answer", b: "Other" } },
    ]);
    const owner = await ownerOf(arena.orgA.organization.id);
    const exported: TExportedBattle[] = [];
    for await (const battle of exportOrganizationBattles(db, owner, arena.orgA.organization.id)) exported.push(battle);
    expect(exported).toHaveLength(81 + 40);
    for (const battle of exported) expect([battle.model_a, battle.model_b].some((slug) => slug === "alpha" || slug === "charlie")).toBe(true);
    const text = JSON.stringify(exported);
    for (const user of [...arena.europeans, ...arena.americans]) {
      expect(text).not.toContain(user.id);
      expect(text).not.toContain(user.email!);
    }
    expect(text).not.toContain("jane.doe@example.com");
    expect(exported.find((battle) => battle.winner === "tie")?.turns[0]).toEqual({ prompt: "Reach me at [EMAIL] about this", response_a: "Answer", response_b: "Other" });
    const other = await ownerOf(arena.orgB.organization.id);
    await expect(exportOrganizationBattles(db, other, arena.orgA.organization.id).next()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
