import "server-only";
import type { Db } from "@/lib/server/db";
import { readOnlySqlite, sqliteDatabaseFile, sqliteDate } from "@/lib/server/db/sqlite-direct";
import { AppError } from "@/lib/server/errors";
import { RELEASE_PAGE_COLUMNS, toPageRow, type ReleaseStore, type TReleaseWindow } from "./release-store";
import { allRows, sqliteQueries as q } from "./sqlite-compiled";

/**
 * The release store on SQLite: reads through a read-only libsql connection of its own, which skips
 * the Prisma driver adapter's per-value conversions (a third of the publish time at a million
 * battles). Dates are compared as the adapter stores them (ISO 8601 with "+00:00").
 */
export function createSqliteReleaseStore(db: Db): ReleaseStore {
  const open = async () => {
    const file = await sqliteDatabaseFile(db);
    if (!file) throw new AppError("INTERNAL", "Releases need the SQLite database in a file.");
    return readOnlySqlite(file);
  };
  return {
    async releasableAnnotators(window) {
      const connection = await open();
      try {
        return allRows(connection, annotatorsQuery(window)).map((row) => ({ userId: row.userId, version: row.version === null ? null : Number(row.version) }));
      } finally {
        connection.close();
      }
    },
    async openPageReader() {
      const connection = await open();
      return {
        async read(cursor, window, pageSize) {
          return allRows(connection, pageQuery(cursor, window, pageSize)).map(toPageRow);
        },
        close: () => connection.close(),
      };
    },
  };
}

const annotatorsQuery = (window: TReleaseWindow) =>
  q
    .selectFrom("Vote as v")
    .innerJoin("Battle as b", "b.id", "v.battleId")
    .innerJoin("User as u", "u.id", "v.userId")
    .leftJoin("PersonaVersion as p", "p.id", "b.personaVersionId")
    .select((eb) => ["v.userId", eb.fn.max("p.version").as("version")])
    .where("v.countsForRating", "=", 1)
    .where("v.createdAt", ">=", sqliteDate(window.start))
    .where("v.createdAt", "<", sqliteDate(window.end))
    .where("u.deletedAt", "is", null)
    .where("u.votesExcludedAt", "is", null)
    .where("u.bannedAt", "is", null)
    .groupBy("v.userId")
    .compile();

/** One page of votes (keyset on the vote id) with battle, models, turns and both responses, in one query. */
const pageQuery = (cursor: string, window: TReleaseWindow, pageSize: number) =>
  q
    .selectFrom((inner) =>
      inner
        .selectFrom("Vote")
        .select(["id", "userId", "battleId", "createdAt", "outcome", "feedbackGeneral", "feedbackA", "feedbackB", "listenSecondsA", "listenSecondsB"])
        .where("id", ">", cursor)
        .where("countsForRating", "=", 1)
        .where("createdAt", ">=", sqliteDate(window.start))
        .where("createdAt", "<", sqliteDate(window.end))
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
    .compile();
