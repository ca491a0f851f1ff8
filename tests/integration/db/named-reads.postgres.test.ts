import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";
import { storeOf, type ArenaStore } from "@/lib/server/store";
import { createPostgresDb, type PostgresDb } from "@/lib/server/store/kysely";
import { PostgresStore } from "@/lib/server/store/postgres-store";
import type { TNewBattleRows } from "@/lib/server/store";
import { resetDatabase } from "../helpers/db";

// The store's statements run as named prepared statements; a migration that changes a table's columns under a
// running instance makes PostgreSQL refuse such a statement ("cached plan must not change result type").
describe("named prepared reads on PostgreSQL", () => {
  let store: ArenaStore;
  let migrator: PostgresDb;
  let battleId = "";
  const parents = { userId: "", modelAId: "", modelBId: "" };

  beforeAll(async () => {
    await resetDatabase(db);
    store = await storeOf(db);
    migrator = createPostgresDb(env.DATABASE_URL, { maxConnections: 1 });
    const organization = await db.organization.create({ data: { name: "Named Org", slug: "named-org" } });
    const model = (slug: string) =>
      db.arenaModel.create({ data: { slug, displayName: slug, organizationId: organization.id, modality: "text", providerKind: "demo", providerModelId: slug, extraParams: {} } });
    const [modelA, modelB] = [await model("named-a"), await model("named-b")];
    const user = await db.user.create({ data: { email: "named@example.org", role: "annotator" } });
    const battle = await db.battle.create({ data: { publicId: "named-public", userId: user.id, modality: "text", modelAId: modelA.id, modelBId: modelB.id, status: "voted" } });
    await db.vote.create({ data: { battleId: battle.id, userId: user.id, modality: "text", modelAId: modelA.id, modelBId: modelB.id, outcome: "tie" } });
    battleId = battle.id;
    Object.assign(parents, { userId: user.id, modelAId: modelA.id, modelBId: modelB.id });
  });

  afterAll(async () => {
    await migrator.destroy();
  });

  it("still answers a read whose table gained and lost a column under the live store", async () => {
    const vote = await db.vote.findUniqueOrThrow({ where: { battleId } });
    // Prepared on every pooled connection the reads take.
    for (const read of await Promise.all([0, 1, 2, 3].map(() => store.readVoteOfBattle(battleId)))) expect(read).toEqual(vote);

    await migrator.schema.alterTable("Vote").addColumn("namedReadProbe", "integer", (column) => column.defaultTo(7)).execute();
    for (const read of await Promise.all([0, 1, 2, 3].map(() => store.readVoteOfBattle(battleId)))) expect(read).toEqual({ ...vote, namedReadProbe: 7 });

    await migrator.schema.alterTable("Vote").dropColumn("namedReadProbe").execute();
    for (const read of await Promise.all([0, 1, 2, 3].map(() => store.readVoteOfBattle(battleId)))) expect(read).toEqual(vote);
  });

  it("plans a named statement for every call: no generic plan made while the tables were small is kept", async () => {
    const reader = createPostgresDb(env.DATABASE_URL, { maxConnections: 1 });
    const readVote = () => reader.selectFrom("Vote").selectAll().where("battleId", "=", battleId).executeTakeFirstOrThrow();
    try {
      // PostgreSQL would otherwise switch to a generic plan from the sixth call on.
      for (let call = 0; call < 12; call++) expect((await readVote()).battleId).toBe(battleId);
      const { sql: text } = reader.selectFrom("Vote").selectAll().where("battleId", "=", battleId).compile();
      const plans = await reader
        .selectFrom(sql<{ statement: string; generic_plans: string; custom_plans: string }>`pg_prepared_statements`.as("prepared"))
        .select(["generic_plans", "custom_plans"])
        .where("statement", "=", text)
        .executeTakeFirstOrThrow();
      expect({ generic: Number(plans.generic_plans), custom: Number(plans.custom_plans) }).toEqual({ generic: 0, custom: 12 });
    } finally {
      await reader.destroy();
    }
  });

  it("inside a transaction answers the read's failure once (the failure aborted it), then prepares the read afresh", async () => {
    const reader = createPostgresDb(env.DATABASE_URL, { maxConnections: 1 });
    const readVote = (kysely: PostgresDb) => kysely.selectFrom("Vote").selectAll().where("battleId", "=", battleId).executeTakeFirstOrThrow();
    try {
      expect((await readVote(reader)).battleId).toBe(battleId);
      await migrator.schema.alterTable("Vote").addColumn("namedReadProbe", "integer", (column) => column.defaultTo(7)).execute();
      await expect(reader.transaction().execute(readVote)).rejects.toMatchObject({ code: "0A000" });
      expect(await reader.transaction().execute(readVote)).toMatchObject({ battleId, namedReadProbe: 7 });
    } finally {
      await migrator.schema.alterTable("Vote").dropColumn("namedReadProbe").execute();
      await reader.destroy();
    }
  });

  it("leaves the connection planning its statements per call after a group commit (whose foreign-key checks use generic plans inside it), and the checks still refuse", async () => {
    const writer = createPostgresDb(env.DATABASE_URL, { maxConnections: 1 });
    const writes = new PostgresStore(writer, writer);
    const createdAt = new Date("2026-07-01T10:00:00.000Z");
    const rowsOf = (id: string, modelBId = parents.modelBId): TNewBattleRows => ({
      battle: {
        ...{ id, publicId: `public-${id}`, userId: parents.userId, modality: "text", personaVersionId: null, personalized: false, modelAId: parents.modelAId, modelBId },
        ...{ status: "generating", isGold: false, goldOutcome: null, seed: 1, simulated: false, createdAt, completedAt: null, revealedAt: null },
        ...{ personalizedA: false, personalizedB: false, promptHash: null, categories: null, language: null, categorizedBy: null },
      },
      turn: { id: `turn-${id}`, battleId: id, index: 0, prompt: "hello", systemPrompt: null, createdAt },
      responses: [],
    });
    const planCacheMode = async () => (await sql<{ plan_cache_mode: string }>`show plan_cache_mode`.execute(writer)).rows[0]!.plan_cache_mode;
    try {
      // More commits than PostgreSQL's five custom plans of a cached statement.
      for (let commit = 0; commit < 7; commit++) await writes.commit([{ kind: "insert", rows: rowsOf(`fk-plans-${commit}`) }]);
      expect(await planCacheMode()).toBe("force_custom_plan");
      // The checks still refuse a row whose parent does not exist, and nothing of the batch is stored.
      await expect(writes.commit([{ kind: "insert", rows: rowsOf("fk-plans-ok") }, { kind: "insert", rows: rowsOf("fk-plans-orphan", "no-such-model") }])).rejects.toMatchObject({ code: "23503" });
      expect(await db.battle.count({ where: { id: { startsWith: "fk-plans-" } } })).toBe(7);
      expect(await planCacheMode()).toBe("force_custom_plan");
    } finally {
      await writer.destroy();
    }
  });

  it.each([
    ["per-call", "force_custom_plan"],
    ["once", "force_generic_plan"],
  ] as const)("keeps the connection string's own options beside the %s planning (pg lets the URL's options win over its config)", async (planning, mode) => {
    const url = new URL(env.DATABASE_URL);
    url.searchParams.set("options", "-c statement_timeout=54321");
    const connection = createPostgresDb(url.toString(), { maxConnections: 1, planning });
    try {
      const setting = async (name: "plan_cache_mode" | "statement_timeout") => (await sql<Record<string, string>>`select current_setting(${name}) as value`.execute(connection)).rows[0]!.value;
      expect(await setting("plan_cache_mode")).toBe(mode);
      expect(await setting("statement_timeout")).toBe("54321ms");
    } finally {
      await connection.destroy();
    }
  });
});
