import "server-only";
import type { Db } from "@/lib/server/db";
import { readOnlySqlite, sqliteDatabaseFile } from "@/lib/server/db/sqlite-direct";
import { AppError } from "@/lib/server/errors";
import { releasableAnnotatorsQuery, releasePageQuery, sqliteDialect as d } from "./common-queries";
import { toAnnotatorRow, toPageRow, type ReleaseStore } from "./release-store";
import { allRows } from "./sqlite-run";

/**
 * The release store on SQLite: the common queries (./common-queries.ts) run on a read-only libsql
 * connection of its own, which skips the Prisma driver adapter's per-value conversions (a third of
 * the publish time at a million battles).
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
        return allRows(connection, releasableAnnotatorsQuery(d, window)).map(toAnnotatorRow);
      } finally {
        connection.close();
      }
    },
    async openPageReader() {
      const connection = await open();
      return {
        async read(cursor, window, pageSize) {
          return allRows(connection, releasePageQuery(d, cursor, window, pageSize)).map(toPageRow);
        },
        close: () => connection.close(),
      };
    },
  };
}
