import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { getLift } from "@/lib/server/leaderboards/lift";
import { writeLeaderboardRows } from "@/lib/server/leaderboards/snapshot-store";
import { createPackedWindowNumbering } from "@/lib/server/leaderboards/packed-vote-window";
import { leaderboardStore } from "@/lib/server/store/leaderboard-store";
import { prepareWorker } from "@/lib/server/workers/start-worker";
import { resetDatabase } from "../helpers/db";
import { createAnnotator, createOrganizationWithModels, plantVotes } from "./leaderboard-test-support";

const at = (iso: string) => new Date(iso);

// The recomputation's small reads and the lift's writes (the leaderboard store, not Prisma: a first use
// of a Prisma query shape compiles it on the request thread), on whichever database the run uses.
describe("the leaderboard store's small reads and lift writes", () => {
  beforeEach(async () => {
    await resetDatabase(db);
  });

  it("compiles the modules of its threads ahead (the app's start), which fails on a module that does not compile, and reads through them after", async () => {
    const store = leaderboardStore(db);
    await prepareWorker(...store.threadModules);
    await createAnnotator(db, null, { excluded: true });
    const [counts] = store.modalityVoteCounts(["text"]);
    expect(await counts).toEqual([]);
    expect(await store.readStateRow("vote-log")).toBeNull();
  });

  it("lists the excluded annotators in id order, and no one else", async () => {
    const excluded = [await createAnnotator(db, null, { excluded: true }), await createAnnotator(db, null, { excluded: true })];
    await createAnnotator(db, null);
    expect(await leaderboardStore(db).excludedUserIds()).toEqual(excluded.map((user) => user.id).sort());
  });

  it("reads a state row as text, null when there is none", async () => {
    await db.leaderboardState.create({ data: { key: "snapshots:text", data: new TextEncoder().encode("2|fingerprint é") } });
    const store = leaderboardStore(db);
    expect(await store.readStateText("snapshots:text")).toBe("2|fingerprint é");
    expect(await store.readStateText("snapshots:image")).toBeNull();
  });

  it("lists the stored variants of one modality only", async () => {
    for (const [modality, variant] of [["text", "overall"], ["text", "style"], ["image", "overall"]] as const) {
      await db.leaderboardSnapshot.create({ data: { modality, variant, voteCount: 1, data: {} } });
    }
    const store = leaderboardStore(db);
    expect((await store.snapshotVariants("text")).sort()).toEqual(["overall", "style"]);
    expect(await store.snapshotVariants("audio")).toEqual([]);
  });

  it("reads every model with its organization's name", async () => {
    const { organization, models } = await createOrganizationWithModels(db, "info-org", [
      { slug: "info-a", modality: "text" },
      { slug: "info-b", modality: "image" },
    ]);
    const rows = await leaderboardStore(db).modelInfo();
    expect(rows.sort((x, y) => (x.slug < y.slug ? -1 : 1))).toEqual(
      models.map((model) => ({ id: model.id, slug: model.slug, displayName: model.displayName, organizationId: organization.id, organizationName: organization.name })),
    );
  });

  it("tells whether a counted vote came after the newest snapshot", async () => {
    const { models } = await createOrganizationWithModels(db, "newer-org", [
      { slug: "newer-a", modality: "text" },
      { slug: "newer-b", modality: "text" },
    ]);
    const user = await createAnnotator(db, null);
    const store = leaderboardStore(db);
    expect(await store.countedVoteAfterNewestSnapshot()).toBe(false);
    const vote = (iso: string, countsForRating = true) => ({ modelA: models[0].id, modelB: models[1].id, outcome: "model_a" as const, userId: user.id, at: at(iso), countsForRating });
    await plantVotes(db, "text", [vote("2026-01-01T00:00:00.000Z"), vote("2026-01-03T00:00:00.000Z", false)]);
    // No snapshot yet: any counted vote.
    expect(await store.countedVoteAfterNewestSnapshot()).toBe(true);
    await db.leaderboardSnapshot.create({ data: { modality: "image", variant: "overall", voteCount: 0, data: {}, computedAt: at("2025-12-31T00:00:00.000Z") } });
    await db.leaderboardSnapshot.create({ data: { modality: "text", variant: "overall", voteCount: 1, data: {}, computedAt: at("2026-01-02T00:00:00.000Z") } });
    // The vote after the newest snapshot does not count for the rating.
    expect(await store.countedVoteAfterNewestSnapshot()).toBe(false);
    await plantVotes(db, "text", [vote("2026-01-02T00:00:00.001Z")]);
    expect(await store.countedVoteAfterNewestSnapshot()).toBe(true);
  });

  it("reads the persona versions' data of the annotators asked for, by annotator, then version", async () => {
    const [first, second, other] = [await createAnnotator(db, null), await createAnnotator(db, null), await createAnnotator(db, null)];
    await db.personaVersion.create({ data: { userId: other.id, version: 1, data: { v: "other-1" } } });
    await db.personaVersion.create({ data: { userId: second.id, version: 1, data: { v: "second-1" } } });
    await db.personaVersion.create({ data: { userId: first.id, version: 2, data: { v: "first-2" }, createdAt: at("2026-01-01T00:00:00.000Z") } });
    await db.personaVersion.create({ data: { userId: first.id, version: 1, data: { v: "first-1" }, createdAt: at("2026-02-01T00:00:00.000Z") } });
    const rows = await leaderboardStore(db).personaVersionData([second.id, first.id]);
    const ordered = [first, second].sort((x, y) => (x.id < y.id ? -1 : 1));
    const expected = ordered.flatMap((user) => (user.id === first.id ? [{ userId: first.id, data: { v: "first-1" } }, { userId: first.id, data: { v: "first-2" } }] : [{ userId: second.id, data: { v: "second-1" } }]));
    expect(rows).toEqual(expected);
  });

  it("finds a modality's first counted vote in a time range", async () => {
    const { models } = await createOrganizationWithModels(db, "first-org", [
      { slug: "first-a", modality: "text" },
      { slug: "first-b", modality: "text" },
      { slug: "first-img-a", modality: "image" },
      { slug: "first-img-b", modality: "image" },
    ]);
    const user = await createAnnotator(db, null);
    const text = (iso: string, countsForRating = true) => ({ modelA: models[0].id, modelB: models[1].id, outcome: "tie" as const, userId: user.id, at: at(iso), countsForRating });
    await plantVotes(db, "text", [text("2026-01-05T00:00:00.000Z", false), text("2026-01-06T00:00:00.000Z"), text("2026-01-09T00:00:00.000Z")]);
    await plantVotes(db, "image", [{ modelA: models[2].id, modelB: models[3].id, outcome: "tie", userId: user.id, at: at("2026-01-01T00:00:00.000Z") }]);
    const reader = await leaderboardStore(db).openReader();
    try {
      const ms = (iso: string) => at(iso).getTime();
      expect(await reader.firstVoteTime("text", 0, ms("2026-12-31T00:00:00.000Z"))).toBe(ms("2026-01-06T00:00:00.000Z"));
      // Both ends are inclusive.
      expect(await reader.firstVoteTime("text", ms("2026-01-06T00:00:00.001Z"), ms("2026-01-09T00:00:00.000Z"))).toBe(ms("2026-01-09T00:00:00.000Z"));
      expect(await reader.firstVoteTime("text", ms("2026-01-06T00:00:00.001Z"), ms("2026-01-08T23:59:59.999Z"))).toBeNull();
      expect(await reader.firstVoteTime("audio", 0, ms("2026-12-31T00:00:00.000Z"))).toBeNull();
    } finally {
      reader.close();
    }
  });

  it("packs a window's counted votes in time order, equal times in vote id order, with the newest time and the times of annotators with several persona versions", async () => {
    const { models } = await createOrganizationWithModels(
      db,
      "window-org",
      [0, 1, 2, 3].map((k) => ({ slug: `window-${k}`, modality: "text" as const })),
    );
    const steady = await createAnnotator(db, null);
    const mover = await createAnnotator(db, null);
    await db.personaVersion.createMany({ data: [1, 2].map((version) => ({ userId: mover.id, version, data: {}, createdAt: at(`2026-02-0${version}T00:00:00.000Z`) })) });
    const vote = (userId: string, a: number, b: number, iso: string, countsForRating = true) => ({ modelA: models[a].id, modelB: models[b].id, outcome: "model_a" as const, userId, at: at(iso), countsForRating });
    const same = "2026-03-02T10:00:00.000Z";
    await plantVotes(db, "text", [
      vote(steady.id, 2, 3, "2026-03-03T00:00:00.000Z"),
      vote(steady.id, 0, 1, same),
      vote(mover.id, 1, 2, same),
      vote(steady.id, 3, 0, same),
      vote(steady.id, 0, 2, "2026-03-01T00:00:00.000Z"),
      // Not counted, and at the window's end (which it excludes): not in it.
      vote(steady.id, 1, 3, "2026-03-02T12:00:00.000Z", false),
      vote(steady.id, 1, 0, "2026-03-04T00:00:00.000Z"),
    ]);
    const sameTime = (await db.vote.findMany({ where: { createdAt: at(same) }, select: { id: true, modelAId: true, userId: true } })).sort((x, y) => (x.id < y.id ? -1 : 1));
    const reader = await leaderboardStore(db).openReader();
    try {
      const numbering = createPackedWindowNumbering();
      const { columns, last } = await reader.readVoteWindow("text", { from: at("2026-03-01T00:00:00.000Z"), to: at("2026-03-04T00:00:00.000Z") }, numbering);
      const modelOf = new Map([...numbering.models].map(([id, number]) => [number, id]));
      expect(Array.from(columns.modelA, (number) => modelOf.get(number))).toEqual([models[0].id, ...sameTime.map((row) => row.modelAId), models[2].id]);
      expect(last).toBe(at("2026-03-03T00:00:00.000Z").getTime());
      // Only the votes of the annotator with two persona versions carry their time.
      expect(Array.from(columns.time)).toEqual([-Infinity, ...sameTime.map((row) => (row.userId === mover.id ? at(same).getTime() : -Infinity)), -Infinity]);
    } finally {
      reader.close();
    }
  });

  it("stores, replaces and deletes a modality's lift", async () => {
    const data = (experimentVotes: number) => ({ modality: "text", computedAt: "2026-01-01T00:00:00.000Z", experimentVotes, models: [], segments: [] });
    await writeLeaderboardRows(db, [{ kind: "lift", modality: "text", computedAt: at("2026-01-01T00:00:00.000Z"), voteCount: 10, data: data(3) }]);
    await writeLeaderboardRows(db, [{ kind: "lift", modality: "image", computedAt: at("2026-01-01T00:00:00.000Z"), voteCount: 5, data: { ...data(1), modality: "image" } }]);
    expect(await getLift(db, "text")).toEqual(data(3));
    await writeLeaderboardRows(db, [{ kind: "lift", modality: "text", computedAt: at("2026-01-02T00:00:00.000Z"), voteCount: 12, data: data(4) }]);
    expect(await getLift(db, "text")).toEqual(data(4));
    const row = await db.liftSnapshot.findUnique({ where: { modality: "text" } });
    expect([row?.voteCount, row?.computedAt.toISOString()]).toEqual([12, "2026-01-02T00:00:00.000Z"]);
    await writeLeaderboardRows(db, [{ kind: "no-lift", modality: "text" }]);
    expect(await getLift(db, "text")).toBeNull();
    expect(await getLift(db, "image")).toEqual({ ...data(1), modality: "image" });
  });
});
