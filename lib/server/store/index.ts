import "server-only";
import { isPostgres } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { sqliteDatabaseFile, writableSqlite } from "@/lib/server/db/sqlite-direct";
import { appPostgres, appPostgresLookups } from "@/lib/server/store/app-postgres";
import { perClient } from "@/lib/server/store/per-client";
import { PostgresStore } from "@/lib/server/store/postgres-store";
import { SqliteStore } from "@/lib/server/store/sqlite-store";
import type { ArenaStore } from "@/lib/server/store/types";

export { battleRowsAfterWrites } from "@/lib/server/store/battle-writes";
export type { ArenaStore, TBattleRows, TBattleTagging, TBattleWrite, TNewBattleRows, TResponseFields, TVoteCounts, TWriteGroup } from "@/lib/server/store/types";

async function openSqliteStore(db: Db): Promise<ArenaStore> {
  const file = await sqliteDatabaseFile(db);
  if (!file) throw new Error("The store needs a SQLite file: an in-memory database is not supported");
  return new SqliteStore(await writableSqlite(file));
}

/**
 * The store of `db`'s database: the implementation is chosen once, by DATABASE_URL, and opened once
 * per client (its SQLite file, or the PostgreSQL pool of DATABASE_URL).
 */
export const storeOf = perClient((db): Promise<ArenaStore> => (isPostgres ? Promise.resolve(new PostgresStore(appPostgres(), appPostgresLookups())) : openSqliteStore(db)));
