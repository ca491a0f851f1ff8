import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { Battle, Response, Turn } from "@/lib/generated/sqlite/client";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";
import { UNANSWERED } from "@/lib/server/services/battles";
import type { TNewBattleRows } from "@/lib/server/store";
import { createPostgresDb, type PostgresDb } from "@/lib/server/store/kysely";
import { PostgresStore } from "@/lib/server/store/postgres-store";
import { resetDatabase } from "../helpers/db";

// The group commit's text does not vary with the batch, so each connection prepares it once and PostgreSQL
// can keep one plan for it, whatever the batch holds.
describe("the group commit on PostgreSQL", () => {
  let kysely: PostgresDb;
  let store: PostgresStore;
  const ids = { user: "", modelA: "", modelB: "" };

  beforeAll(async () => {
    await resetDatabase(db);
    // One connection: the prepared statements seen below are the store's.
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

  it("runs batches of every size and kind as one prepared statement", async () => {
    const [one, two, three] = [newBattle("commit-1"), newBattle("commit-2"), newBattle("commit-3")];
    await store.commit([{ kind: "insert", rows: one }]);
    await store.commit([{ kind: "insert", rows: two }, { kind: "insert", rows: three }, { kind: "writes", writes: [{ kind: "response", id: one.responses[0]!.id, data: { text: "x" } }] }]);
    await store.commit([{ kind: "writes", writes: [{ kind: "battle-ready", id: one.battle.id, completedAt: new Date() }, { kind: "response", id: two.responses[1]!.id, data: { errorKind: null, latencyMs: 5 } }] }]);
    const prepared = await sql<{ statement: string; calls: number }>`select statement, (generic_plans + custom_plans)::int as calls from pg_prepared_statements where statement like ${'with "battles"%'}`.execute(kysely);
    expect(prepared.rows.map((row) => row.calls)).toEqual([3]);
    expect(await db.battle.count({ where: { id: { startsWith: "commit-" } } })).toBe(3);
  });
});
