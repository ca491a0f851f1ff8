import "server-only";
import { appPostgres } from "./app-postgres";
import type { PostgresDb } from "./kysely";
import { RELEASE_PAGE_COLUMNS, toPageRow, type ReleaseStore } from "./release-store";

/** The release store on PostgreSQL, through the app's Kysely pool. */
export function createPostgresReleaseStore(kysely: () => PostgresDb = appPostgres): ReleaseStore {
  return {
    async releasableAnnotators(window) {
      const rows = await kysely()
        .selectFrom("Vote as v")
        .innerJoin("Battle as b", "b.id", "v.battleId")
        .innerJoin("User as u", "u.id", "v.userId")
        .leftJoin("PersonaVersion as p", "p.id", "b.personaVersionId")
        .select((eb) => ["v.userId", eb.fn.max("p.version").as("version")])
        .where("v.countsForRating", "=", true)
        .where("v.createdAt", ">=", window.start)
        .where("v.createdAt", "<", window.end)
        .where("u.deletedAt", "is", null)
        .where("u.votesExcludedAt", "is", null)
        .where("u.bannedAt", "is", null)
        .groupBy("v.userId")
        .execute();
      return rows.map((row) => ({ userId: row.userId, version: row.version === null ? null : Number(row.version) }));
    },
    async openPageReader() {
      const pg = kysely();
      return {
        async read(cursor, window, pageSize) {
          const rows = await pg
            .selectFrom((inner) =>
              inner
                .selectFrom("Vote")
                .select(["id", "userId", "battleId", "createdAt", "outcome", "feedbackGeneral", "feedbackA", "feedbackB", "listenSecondsA", "listenSecondsB"])
                .where("id", ">", cursor)
                .where("countsForRating", "=", true)
                .where("createdAt", ">=", window.start)
                .where("createdAt", "<", window.end)
                .orderBy("id")
                .limit(pageSize)
                .as("v"),
            )
            .innerJoin("Battle as b", "b.id", "v.battleId")
            .innerJoin("ArenaModel as ma", "ma.id", "b.modelAId")
            .innerJoin("ArenaModel as mb", "mb.id", "b.modelBId")
            .leftJoin("Turn as t", "t.battleId", "b.id")
            .leftJoin("Response as ra", (join) => join.onRef("ra.turnId", "=", "t.id").on("ra.side", "=", "a"))
            .leftJoin("Response as rb", (join) => join.onRef("rb.turnId", "=", "t.id").on("rb.side", "=", "b"))
            .select(RELEASE_PAGE_COLUMNS)
            .orderBy("v.id")
            .orderBy("t.index")
            .execute();
          return rows.map(toPageRow);
        },
        close: () => undefined,
      };
    },
  };
}
