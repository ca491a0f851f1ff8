import { mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { countSimulatedVotes, removeDemoHistory, seedDemoHistory } from "@/lib/server/services/demo-history";
import { getLeaderboard } from "@/lib/server/leaderboards/read";
import { computeAndStoreLeaderboards } from "@/lib/server/leaderboards/recompute";
import { segmentVariant } from "@/lib/server/leaderboards/variants";
import { getRelease, listReleases, releaseDirectory } from "@/lib/server/services/releases";
import { DEMO_MODELS, seedDemoContent } from "@/prisma/seed";
import { resetDatabase } from "../helpers/db";

const NOW = new Date("2026-12-06T10:00:00Z");
let releaseDir: string;
let seeded: Awaited<ReturnType<typeof seedDemoHistory>>;
let realVoteId: string;

async function plantRealVote(): Promise<string> {
  const [modelA, modelB] = await db.arenaModel.findMany({ where: { modality: "text" }, take: 2, orderBy: { slug: "asc" } });
  const user = await db.user.create({ data: { email: "real-person@example.org", role: "annotator" } });
  const battle = await db.battle.create({
    data: { publicId: "real-battle-public-id", userId: user.id, modality: "text", modelAId: modelA.id, modelBId: modelB.id, status: "voted", seed: 7 },
  });
  const vote = await db.vote.create({ data: { battleId: battle.id, userId: user.id, modality: "text", modelAId: modelA.id, modelBId: modelB.id, outcome: "model_a", createdAt: new Date(NOW.getTime() - 3_600_000) } });
  return vote.id;
}

beforeAll(async () => {
  await resetDatabase(db);
  releaseDir = await mkdtemp(join(tmpdir(), "demo-releases-"));
  await seedDemoContent(db);
  realVoteId = await plantRealVote();
  seeded = await seedDemoHistory(db, { now: NOW, releaseDir });
}, 300_000);

afterAll(async () => {
  await resetDatabase(db);
});

describe("seedDemoHistory", () => {
  it("writes a few hundred simulated annotators with personas, consent and votes over the past 60 days", async () => {
    expect(seeded.created).toBe(true);
    expect(seeded.annotators).toBeGreaterThanOrEqual(300);
    const simulatedUsers = await db.user.findMany({ where: { simulated: true }, select: { id: true, email: true, personas: { select: { data: true } }, consents: { select: { id: true } } } });
    expect(simulatedUsers).toHaveLength(seeded.annotators);
    expect(simulatedUsers.every((user) => user.email === null && user.personas.length === 1 && user.consents.length === 1)).toBe(true);
    const ages = new Set(simulatedUsers.map((user) => (user.personas[0].data as { ageBand?: string }).ageBand));
    expect(ages.size).toBeGreaterThanOrEqual(4);
    const range = await db.vote.aggregate({ where: { simulated: true }, _min: { createdAt: true }, _max: { createdAt: true }, _count: { _all: true } });
    expect(range._count._all).toBe(seeded.votes);
    expect(range._min.createdAt!.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 60 * 86_400_000);
    expect(range._max.createdAt!.getTime()).toBeLessThanOrEqual(NOW.getTime());
  });

  it("marks every simulated battle and vote, and no real one", async () => {
    const votes = await db.vote.findMany({ select: { id: true, simulated: true, battle: { select: { simulated: true, user: { select: { simulated: true } } } } } });
    for (const vote of votes) {
      const expected = vote.id !== realVoteId;
      expect([vote.simulated, vote.battle.simulated, vote.battle.user.simulated]).toEqual([expected, expected, expected]);
    }
  });

  it("stores answers in the demo models' request shapes", async () => {
    const turn = await db.turn.findFirstOrThrow({ where: { prompt: "Write a Python function that reverses a string", battle: { simulated: true, modality: "text" } }, include: { responses: true } });
    expect(turn.responses.some((response) => response.text?.includes("reverse"))).toBe(true);
  });

  it("publishes a demo release of a past week that says it is simulated", async () => {
    expect(seeded.release).toMatch(/^\d{4}-W\d{2}$/);
    const [listed] = await listReleases(db);
    expect(listed).toMatchObject({ version: seeded.release, status: "published", simulated: true });
    const release = (await getRelease(db, seeded.release!, { releaseDir }))!;
    expect(release.manifest?.simulated_battles).toBe(release.rowCount);
    expect(release.card).toContain("Simulated demo data");
  });

  it("gives segment leaderboards real structure", async () => {
    await computeAndStoreLeaderboards(db, { now: NOW });
    const leader = async (variant?: string) => (await getLeaderboard(db, "text", variant)).data!.rows[0].slug;
    const overall = await leader();
    const arts = await leader(segmentVariant([{ dimension: "expertise", value: "arts" }]));
    const older = await leader(segmentVariant([{ dimension: "age", value: "55-64" }]));
    expect(new Set([overall, arts, older]).size).toBeGreaterThan(1);
    expect(arts).toBe(DEMO_MODELS.find((model) => model.providerModelId === "storyteller")!.slug);
    expect(await countSimulatedVotes(db, "text")).toBeGreaterThan(1000);
  });

  it("does nothing the second time", async () => {
    expect((await seedDemoHistory(db, { now: NOW, releaseDir })).created).toBe(false);
  });
});

describe("removeDemoHistory", () => {
  it("removes every simulated row, the demo release and the stored leaderboards, and keeps real votes", async () => {
    const removed = await removeDemoHistory(db, { releaseDir });
    expect(removed).toMatchObject({ annotators: seeded.annotators, votes: seeded.votes, releases: [seeded.release] });
    expect(await db.user.count({ where: { simulated: true } })).toBe(0);
    expect(await db.battle.count({ where: { simulated: true } })).toBe(0);
    expect(await countSimulatedVotes(db)).toBe(0);
    expect(await db.release.count()).toBe(0);
    await expect(stat(releaseDirectory(seeded.release!, releaseDir))).rejects.toThrow();
    expect(await db.leaderboardSnapshot.count()).toBe(0);
    expect(await db.vote.findUnique({ where: { id: realVoteId } })).not.toBeNull();
    expect(await db.arenaModel.count()).toBe(DEMO_MODELS.length);
  });

  it("leaves leaderboards computed from the real votes alone", async () => {
    const result = await computeAndStoreLeaderboards(db, { now: NOW });
    expect(result.voteCounts).toEqual({ text: 1, image: 0, audio: 0 });
  });
});
