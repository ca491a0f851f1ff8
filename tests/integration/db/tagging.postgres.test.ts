import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";
import { createPostgresDb, type PostgresDb } from "@/lib/server/store/kysely";
import { PostgresStore } from "@/lib/server/store/postgres-store";
import { resetDatabase } from "../helpers/db";
import { newBattleRows, voteRow } from "../helpers/store-rows";

// Tagging a voted battle writes columns no index of Battle holds, so PostgreSQL keeps the battle's new version on
// its page without a new entry in any of Battle's eight indexes (a HOT update).
describe("the tagging's battle update on PostgreSQL", () => {
  let main: PostgresDb;
  let lookups: PostgresDb;
  const ids = { user: "", modelA: "", modelB: "" };

  beforeAll(async () => {
    await resetDatabase(db);
    main = createPostgresDb(env.DATABASE_URL, { maxConnections: 1 });
    lookups = createPostgresDb(env.DATABASE_URL, { maxConnections: 1, planning: "once" });
    const organization = await db.organization.create({ data: { name: "Tagging Org", slug: "tagging-org" } });
    const model = (slug: string) =>
      db.arenaModel.create({ data: { slug, displayName: slug, organizationId: organization.id, modality: "text", providerKind: "demo", providerModelId: slug, extraParams: {} } });
    ids.modelA = (await model("tagging-a")).id;
    ids.modelB = (await model("tagging-b")).id;
    ids.user = (await db.user.create({ data: { email: "tagging@example.org", role: "annotator" } })).id;
  });

  afterAll(async () => {
    await Promise.all([main.destroy(), lookups.destroy()]);
  });

  /** Battle's updates and HOT updates so far, with this connection's own counts flushed first. */
  async function battleUpdates() {
    await sql`select pg_stat_force_next_flush()`.execute(main);
    const { rows } = await sql<{ updated: string; hot: string }>`select n_tup_upd as updated, n_tup_hot_upd as hot from pg_stat_user_tables where relname = 'Battle'`.execute(main);
    return { updated: Number(rows[0]!.updated), hot: Number(rows[0]!.hot) };
  }

  it("finds the voted battles still to tag, counted or not, and tags each without touching Battle's indexes", async () => {
    const store = new PostgresStore(main, lookups);
    const createdAt = new Date("2026-08-01T10:00:00.000Z");
    const battles = Array.from({ length: 6 }, (_, index) => newBattleRows(ids, `tagging-${index}`, createdAt));
    await store.commit(battles.map((rows) => ({ kind: "insert", rows })));
    const votedAt = new Date("2026-08-01T10:01:00.000Z");
    // Counted votes and votes stored but not counted: the pending battles are read from both.
    const votes = battles.slice(0, 5).map((rows, index) => ({ ...voteRow(ids, rows.battle.id, votedAt), countsForRating: index % 2 === 0 }));
    await store.commit(votes.map((vote) => ({ kind: "vote", vote })));

    const untagged = await store.readUntaggedBattles(500);
    expect(untagged).toEqual(battles.slice(0, 5).map(({ battle, turn }) => ({ id: battle.id, prompts: [turn.prompt] })));

    const before = await battleUpdates();
    await store.tagBattles([{ battleIds: untagged.map((battle) => battle.id), categories: "coding", language: "en", categorizedBy: "rules-v1" }]);
    const after = await battleUpdates();
    expect({ updated: after.updated - before.updated, hot: after.hot - before.hot }).toEqual({ updated: 5, hot: 5 });
    expect(await store.readUntaggedBattles(500)).toEqual([]);
  });
});
