import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import type { Battle, Response, Turn, Vote } from "@/lib/generated/sqlite/client";
import { db } from "@/lib/server/db";
import { UNANSWERED } from "@/lib/server/services/battles";
import { createPostgresDb, type PostgresDb } from "@/lib/server/store/kysely";
import { PostgresStore } from "@/lib/server/store/postgres-store";
import type { TNewBattleRows } from "@/lib/server/store/types";
import { resetDatabase } from "../helpers/db";

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

  function newBattle(id: string, createdAt: Date): TNewBattleRows {
    const battle: Battle = {
      id,
      publicId: `public-${id}`,
      userId: ids.user,
      modality: "text",
      personaVersionId: null,
      personalized: false,
      modelAId: ids.modelA,
      modelBId: ids.modelB,
      status: "generating",
      isGold: false,
      goldOutcome: null,
      seed: 7,
      simulated: false,
      createdAt,
      completedAt: null,
      revealedAt: null,
      personalizedA: true,
      personalizedB: true,
      promptHash: `hash-${id}`,
      categories: null,
      language: null,
      categorizedBy: null,
    };
    const turn: Turn = { id: `turn-${id}`, battleId: id, index: 0, prompt: `prompt of ${id}`, systemPrompt: "be brief", createdAt };
    const response = (side: "a" | "b"): Response => ({
      id: `${side}-${id}`,
      turnId: turn.id,
      side,
      modelId: side === "a" ? ids.modelA : ids.modelB,
      status: "complete",
      ...UNANSWERED,
      styleFeatures: null,
      attempt: 1,
      startedAt: createdAt,
    });
    return { battle, turn, responses: [response("a"), response("b")] };
  }

  const voteOn = (battleId: string, createdAt: Date, countsForRating: boolean): Vote => ({
    id: `vote-${battleId}`,
    battleId,
    userId: ids.user,
    modality: "text",
    modelAId: ids.modelA,
    modelBId: ids.modelB,
    outcome: "tie",
    feedbackGeneral: null,
    feedbackA: null,
    feedbackB: null,
    listeningEvents: null,
    listenSecondsA: null,
    listenSecondsB: null,
    countsForRating,
    invalidReasons: countsForRating ? "" : "too_fast_to_read",
    secondsToVote: 3,
    simulated: false,
    createdAt,
    personalizedA: true,
    personalizedB: true,
    categories: null,
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
    const battles = Array.from({ length: 6 }, (_, index) => newBattle(`tagging-${index}`, createdAt));
    await store.commit(battles.map((rows) => ({ kind: "insert", rows })));
    const votedAt = new Date("2026-08-01T10:01:00.000Z");
    await store.commit(battles.slice(0, 5).map((rows, index) => ({ kind: "vote", vote: voteOn(rows.battle.id, votedAt, index % 2 === 0) })));

    const untagged = await store.readUntaggedBattles(500);
    expect(untagged).toEqual(battles.slice(0, 5).map(({ battle, turn }) => ({ id: battle.id, prompts: [turn.prompt] })));

    const before = await battleUpdates();
    await store.tagBattles([{ battleIds: untagged.map((battle) => battle.id), categories: "coding", language: "en", categorizedBy: "rules-v1" }]);
    const after = await battleUpdates();
    expect({ updated: after.updated - before.updated, hot: after.hot - before.hot }).toEqual({ updated: 5, hot: 5 });
    expect(await store.readUntaggedBattles(500)).toEqual([]);
  });
});
