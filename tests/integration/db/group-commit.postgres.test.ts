import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Battle, Response, Turn } from "@/lib/generated/sqlite/client";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";
import { UNANSWERED } from "@/lib/server/services/battles";
import type { TNewBattleRows, TWriteGroup } from "@/lib/server/store";
import { groupCommit } from "@/lib/server/store/postgres-commit";
import { createPostgresDb, type PostgresDb } from "@/lib/server/store/kysely";
import { PostgresStore } from "@/lib/server/store/postgres-store";
import { resetDatabase } from "../helpers/db";

// The group commit's text does not vary with the batch: its cost of parsing and planning does not grow with it.
describe("the group commit on PostgreSQL", () => {
  let kysely: PostgresDb;
  let store: PostgresStore;
  const ids = { user: "", modelA: "", modelB: "" };

  beforeAll(async () => {
    await resetDatabase(db);
    kysely = createPostgresDb(env.DATABASE_URL, { maxConnections: 1 });
    store = new PostgresStore(kysely);
    const organization = await db.organization.create({ data: { name: "Commit Org", slug: "commit-org" } });
    const model = (slug: string) =>
      db.arenaModel.create({ data: { slug, displayName: slug, organizationId: organization.id, modality: "text", providerKind: "demo", providerModelId: slug, extraParams: {} } });
    const [modelA, modelB] = [await model("commit-a"), await model("commit-b")];
    const user = await db.user.create({ data: { email: "commit@example.org", role: "annotator" } });
    Object.assign(ids, { user: user.id, modelA: modelA.id, modelB: modelB.id });
  });

  afterAll(async () => {
    await kysely.destroy();
  });

  function newBattle(id: string): TNewBattleRows {
    const createdAt = new Date("2026-07-09T10:00:00.000Z");
    const battle: Battle = {
      id,
      publicId: `public-${id}`,
      userId: ids.user,
      modality: "text",
      personaVersionId: null,
      personalized: true,
      modelAId: ids.modelA,
      modelBId: ids.modelB,
      status: "generating",
      isGold: false,
      goldOutcome: null,
      seed: 1,
      simulated: false,
      createdAt,
      completedAt: null,
      revealedAt: null,
      personalizedA: true,
      personalizedB: true,
      promptHash: null,
      categories: null,
      language: null,
      categorizedBy: null,
    };
    const turn: Turn = { id: `turn-${id}`, battleId: id, index: 0, prompt: "hi", systemPrompt: null, createdAt };
    const response = (side: "a" | "b"): Response => ({ id: `${side}-${id}`, turnId: turn.id, side, modelId: side === "a" ? ids.modelA : ids.modelB, status: "streaming", ...UNANSWERED, styleFeatures: null, attempt: 1, startedAt: createdAt });
    return { battle, turn, responses: [response("a"), response("b")] };
  }

  it("runs batches of every size and kind as one statement of one text", async () => {
    const [one, two, three] = [newBattle("commit-1"), newBattle("commit-2"), newBattle("commit-3")];
    const batches: TWriteGroup[][] = [
      [{ kind: "insert", rows: one }],
      [{ kind: "insert", rows: two }, { kind: "insert", rows: three }, { kind: "writes", writes: [{ kind: "response", id: one.responses[0]!.id, data: { text: "x" } }] }],
      [{ kind: "writes", writes: [{ kind: "battle-ready", id: one.battle.id, completedAt: new Date("2026-07-09T10:00:05.000Z") }, { kind: "response", id: two.responses[1]!.id, data: { errorKind: "timeout", latencyMs: 5 } }] }],
    ];
    for (const batch of batches) await store.commit(batch);
    expect(new Set(batches.map((batch) => groupCommit(batch)!.sql)).size).toBe(1);
    expect(groupCommit([])).toBeNull();
    expect(await db.battle.findMany({ where: { id: { startsWith: "commit-" } }, select: { id: true, status: true }, orderBy: { id: "asc" } })).toEqual([
      { id: "commit-1", status: "ready" },
      { id: "commit-2", status: "generating" },
      { id: "commit-3", status: "generating" },
    ]);
    expect(await db.response.findUnique({ where: { id: two.responses[1]!.id }, select: { errorKind: true, latencyMs: true, status: true } })).toEqual({ errorKind: "timeout", latencyMs: 5, status: "streaming" });
  });
});
