import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { parsePackedVoteWindowInSteps } from "@/lib/server/leaderboards/packed-vote-window";
import { runStepsYielding } from "@/lib/server/yielding";
import type { TLeaderboardWrite } from "@/lib/server/leaderboards/snapshot-store";
import { appPostgres } from "./app-postgres";
import { modalityVoteCount, postgresDialect as d, spaced, storedTime, styleCutoffQuery, styledVotesQuery, unstyledResponsesQuery } from "./common-queries";
import type { PostgresDb } from "./kysely";
import type { LeaderboardStore } from "./leaderboard-store";
import type { TModality } from "@/lib/domain/vocabulary";

/** Bytes of a LeaderboardState row read per query (readStateRow). */
const STATE_ROW_SLICE_BYTES = 512 * 1024;


/**
 * Counted votes of a modality's annotators not excluded, grouped as LeaderboardStore.modalityVoteCounts
 * says, in one scan: PostgreSQL reads `Vote_grouped_counts_idx` in order, memoizes the annotators'
 * exclusion and sorts only within groups of the index's order (incremental sort). SQLite's query
 * (leaderboard-sqlite-queries.ts) is shaped for its planner; the same form here made PostgreSQL
 * sort every vote (it estimates `personalizedA = personalizedB` at 0.5 % of the rows).
 */
function modalityVoteCountsQuery(modality: TModality) {
  const experimentUser = sql<string | null>`case when ${sql.ref("v.personalizedA")} != ${sql.ref("v.personalizedB")} then ${sql.ref("v.userId")} end`;
  const keys = ["v.categories", "v.modelAId", "v.modelBId", "v.outcome", "v.personalizedA", "v.personalizedB"] as const;
  return d.queries
    .selectFrom("Vote as v")
    .innerJoin("User as u", "u.id", "v.userId")
    .select((eb) => [...keys, experimentUser.as("userId"), eb.fn.countAll<number | string>().as("count")])
    .where("v.modality", "=", modality)
    .where("v.countsForRating", "=", d.true)
    .where("u.votesExcludedAt", "is", null)
    .groupBy([...keys, experimentUser])
    .orderBy("v.categories")
    .orderBy("v.modelAId")
    .orderBy("v.modelBId")
    .orderBy("v.outcome")
    .orderBy("v.personalizedA")
    .orderBy("v.personalizedB")
    .orderBy(experimentUser)
    .compile();
}

/**
 * The leaderboard store on PostgreSQL, through the app's Kysely pool. A vote window is aggregated
 * from "Vote" into ONE string with a line per vote (lib/server/leaderboards/packed-vote-window.ts,
 * ids format): turning each row into an object through the driver costs several times the query.
 * Timestamps are stored in UTC, so a vote's day is their date part. No worker threads: one reading
 * thread, whose queries wait on the server, not on this event loop.
 */
export function createPostgresLeaderboardStore(kysely: () => PostgresDb = appPostgres): LeaderboardStore {
  return {
    // No thread of its own.
    threadModules: [],

    async excludedUserIds() {
      const rows = await kysely().selectFrom("User").select("id").where("votesExcludedAt", "is not", null).orderBy("id").execute();
      return rows.map((row) => row.id);
    },

    async readStateText(key) {
      const row = await kysely().selectFrom("LeaderboardState").select("data").where("key", "=", key).executeTakeFirst();
      return row ? new TextDecoder().decode(row.data) : null;
    },

    async snapshotVariants(modality) {
      const rows = await kysely().selectFrom("LeaderboardSnapshot").select("variant").where("modality", "=", modality).execute();
      return rows.map((row) => row.variant);
    },

    modelInfo: () =>
      kysely()
        .selectFrom("ArenaModel as m")
        .innerJoin("Organization as o", "o.id", "m.organizationId")
        .select(["m.id", "m.slug", "m.displayName", "m.organizationId", "o.name as organizationName"])
        .execute(),

    async countedVoteAfterNewestSnapshot() {
      const pg = kysely();
      const newest = await pg.selectFrom("LeaderboardSnapshot").select((eb) => eb.fn.max("computedAt").as("newest")).executeTakeFirst();
      let votes = pg.selectFrom("Vote").select("id").where("countsForRating", "=", true);
      if (newest?.newest) votes = votes.where("createdAt", ">", newest.newest);
      return (await votes.limit(1).executeTakeFirst()) !== undefined;
    },

    personaVersionData: (userIds) =>
      kysely()
        .selectFrom("PersonaVersion")
        .select(["userId", "data"])
        .where((eb) => eb("userId", "=", eb.fn.any(eb.val([...userIds]))))
        .orderBy("userId")
        .orderBy("version")
        .execute(),

    async openReader() {
      const pg = kysely();
      return {
        async readVoteWindow(modality, window, numbering) {
          const multiPersona = pg.selectFrom("PersonaVersion").select("userId").groupBy("userId").having((eb) => eb.fn.countAll(), ">", 1);
          const packed = await pg
            .selectFrom("Vote")
            .select((eb) => [
              sql<string | null>`string_agg(${spaced([
                eb.ref("modelAId"),
                eb.ref("modelBId"),
                sql`${eb.ref("outcome")}::text`,
                eb.ref("userId"),
                sql`to_char(${eb.ref("createdAt")}, 'YYYY-MM-DD')`,
              ])} || ${eb
                .case()
                .when("userId", "in", multiPersona)
                .then(sql<string>`' ' || to_char(${eb.ref("createdAt")}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`)
                .else(sql<string>`''`)
                .end()}, E'\\n' ORDER BY ${eb.ref("createdAt")}, ${eb.ref("id")})`.as("rows"),
              eb.fn.max("createdAt").as("last"),
            ])
            .where("modality", "=", modality)
            .where("countsForRating", "=", true)
            .where("createdAt", ">=", window.from)
            .where("createdAt", "<", window.to)
            .executeTakeFirst();
          const rows = packed?.rows ?? "";
          return { columns: await runStepsYielding(parsePackedVoteWindowInSteps(rows, numbering)), last: rows && packed?.last ? new Date(packed.last).getTime() : null };
        },
        async personaFingerprint() {
          const row = await pg
            .selectFrom("PersonaVersion")
            .select((eb) => [eb.fn.countAll<string>().as("count"), eb.fn.max<Date | null>("createdAt").as("maxCreatedAt"), eb.fn.max<string | null>("id").as("maxId")])
            .executeTakeFirst();
          return `${Number(row?.count ?? 0)}:${row?.maxCreatedAt ? row.maxCreatedAt.getTime() : ""}:${row?.maxId ?? ""}`;
        },
        async personaVersions() {
          const rows = await pg.selectFrom("PersonaVersion").select(["userId", "createdAt", "data"]).orderBy("userId").orderBy("createdAt").execute();
          return rows.map((row) => ({ userId: row.userId, createdAt: row.createdAt.getTime(), data: row.data }));
        },
        async firstVoteTime(modality, from, until) {
          const row = await pg
            .selectFrom("Vote")
            .select((eb) => eb.fn.min("createdAt").as("first"))
            .where("modality", "=", modality)
            .where("countsForRating", "=", true)
            .where("createdAt", ">=", new Date(from))
            .where("createdAt", "<=", new Date(until))
            .executeTakeFirst();
          return row?.first ? new Date(row.first).getTime() : null;
        },
        startReadAhead: async () => null,
        close: () => undefined,
      };
    },

    async readStyledVotes(maxVotes) {
      const pg = kysely();
      const { rows: cutoff } = await pg.executeQuery(styleCutoffQuery(d, maxVotes - 1));
      const since = cutoff[0] ? storedTime(cutoff[0].createdAt) : 0;
      const { rows } = await pg.executeQuery(styledVotesQuery(d, new Date(since)));
      return { rows: rows[0]?.rows ?? "", since };
    },

    async readUnstyledResponses(since) {
      const { rows } = await kysely().executeQuery(unstyledResponsesQuery(d, new Date(since)));
      return rows;
    },

    async writeRows(writes) {
      if (writes.length === 0) return;
      await kysely()
        .transaction()
        .execute(async (tx) => {
          for (const write of writes) await writeOne(tx, write);
        });
    },

    async writeStateRow(key, data) {
      await this.writeRows([{ kind: "state", key, data }]);
    },

    async countCountedThrough(cursors) {
      return Promise.all(
        cursors.map(async ({ modality, time }) => {
          if (time === null) return 0;
          const row = await kysely()
            .selectFrom("Vote")
            .select((eb) => eb.fn.countAll<string>().as("count"))
            .where("modality", "=", modality)
            .where("countsForRating", "=", true)
            .where("createdAt", "<=", new Date(time))
            .executeTakeFirst();
          return Number(row?.count ?? 0);
        }),
      );
    },

    async readStateRow(key) {
      // In slices, in one snapshot: the driver decodes a bytea from hex text on this thread, and the
      // ≈ 8 MB checkpoint in one piece held the event loop tens of milliseconds.
      return kysely()
        .transaction()
        .setIsolationLevel("repeatable read")
        .execute(async (tx) => {
          const size = await tx
            .selectFrom("LeaderboardState")
            .select((eb) => eb.fn<number>("octet_length", [eb.ref("data")]).as("bytes"))
            .where("key", "=", key)
            .executeTakeFirst();
          if (!size) return null;
          const data = new Uint8Array(size.bytes);
          for (let offset = 0; offset < size.bytes; offset += STATE_ROW_SLICE_BYTES) {
            const { slice } = await tx
              .selectFrom("LeaderboardState")
              .select(sql<Buffer>`substring(${sql.ref("data")} from ${offset + 1} for ${STATE_ROW_SLICE_BYTES})`.as("slice"))
              .where("key", "=", key)
              .executeTakeFirstOrThrow();
            data.set(slice, offset);
          }
          return data;
        });
    },

    modalityVoteCounts(modalities) {
      return modalities.map(async (modality) => (await kysely().executeQuery(modalityVoteCountsQuery(modality))).rows.map(modalityVoteCount));
    },
  };
}

async function writeOne(pg: PostgresDb, write: TLeaderboardWrite): Promise<void> {
  if (write.kind === "state") {
    const { key } = write;
    const data = Buffer.from(write.data.buffer, write.data.byteOffset, write.data.byteLength);
    await pg
      .insertInto("LeaderboardState")
      .values({ key, updatedAt: new Date(), data })
      .onConflict((conflict) => conflict.column("key").doUpdateSet((eb) => ({ updatedAt: eb.ref("excluded.updatedAt"), data: eb.ref("excluded.data") })))
      .execute();
  } else if (write.kind === "lift") {
    const values = { computedAt: write.computedAt, voteCount: write.voteCount, data: JSON.stringify(write.data) };
    await pg
      .insertInto("LiftSnapshot")
      .values({ modality: write.modality, ...values })
      .onConflict((conflict) => conflict.column("modality").doUpdateSet(values))
      .execute();
  } else if (write.kind === "no-lift") {
    await pg.deleteFrom("LiftSnapshot").where("modality", "=", write.modality).execute();
  } else if (write.kind === "keep-only") {
    const query = pg.deleteFrom("LeaderboardSnapshot").where("modality", "=", write.modality);
    await (write.variants.length > 0 ? query.where("variant", "not in", write.variants) : query).execute();
  } else {
    const { data } = write;
    await pg
      .insertInto("LeaderboardSnapshot")
      .values({ id: `lbs_${randomUUID()}`, modality: data.modality, variant: data.variant, computedAt: write.computedAt, voteCount: data.voteCount, data: JSON.stringify(data) })
      .onConflict((conflict) =>
        conflict.columns(["modality", "variant"]).doUpdateSet((eb) => ({ computedAt: eb.ref("excluded.computedAt"), voteCount: eb.ref("excluded.voteCount"), data: eb.ref("excluded.data") })),
      )
      .execute();
  }
}
