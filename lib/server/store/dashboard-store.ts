import "server-only";
import { sql } from "kysely";
import { isPostgres } from "@/lib/env";
import { perClient } from "./per-client";
import type { Db } from "@/lib/server/db";
import { sqliteDatabaseFile, sqliteDate, writableSqlite } from "@/lib/server/db/sqlite-direct";
import { AppError } from "@/lib/server/errors";
import { appPostgres } from "./app-postgres";
import { sqliteQueries as q } from "./sqlite-compiled";
import { allRows } from "./sqlite-run";

/** The owner dashboard's aggregate read, one implementation per database, chosen once per database client. */
export interface DashboardStore {
  /** Votes per UTC day ("YYYY-MM-DD") on each of `modelIds` (either side) since `since`, in day order. */
  votesPerDay(modelIds: string[], since: Date): Promise<{ modelId: string; day: string; votes: number }[]>;
}

/**
 * SQLite: dates are ISO text with "+00:00", so the day is its first ten characters; read on the
 * process's kept connection (a short aggregate).
 */
function createSqliteDashboardStore(db: Db): DashboardStore {
  return {
    async votesPerDay(modelIds, since) {
      const file = await sqliteDatabaseFile(db);
      if (!file) throw new AppError("INTERNAL", "The dashboard needs the SQLite database in a file.");
      const query = q
        .selectFrom("Vote as v")
        .innerJoin("ArenaModel as m", (join) => join.on((eb) => eb.or([eb("m.id", "=", eb.ref("v.modelAId")), eb("m.id", "=", eb.ref("v.modelBId"))])))
        .select((eb) => ["m.id as modelId", eb.fn<string>("substr", [eb.ref("v.createdAt"), sql.lit(1), sql.lit(10)]).as("day"), eb.fn.countAll<number>().as("votes")])
        .where("m.id", "in", modelIds)
        .where("v.createdAt", ">=", sqliteDate(since))
        .groupBy(["m.id", "day"])
        .orderBy("day")
        .compile();
      return allRows(await writableSqlite(file), query);
    },
  };
}

/** PostgreSQL: timestamps without time zone, stored in UTC. */
function createPostgresDashboardStore(): DashboardStore {
  return {
    async votesPerDay(modelIds, since) {
      const rows = await appPostgres()
        .selectFrom("Vote as v")
        .innerJoin("ArenaModel as m", (join) => join.on((eb) => eb.or([eb("m.id", "=", eb.ref("v.modelAId")), eb("m.id", "=", eb.ref("v.modelBId"))])))
        .select((eb) => ["m.id as modelId", sql<string>`to_char(${eb.ref("v.createdAt")}, 'YYYY-MM-DD')`.as("day"), eb.fn.countAll<string>().as("votes")])
        .where("m.id", "in", modelIds)
        .where("v.createdAt", ">=", since)
        .groupBy(["m.id", "day"])
        .orderBy("day")
        .execute();
      // count(*) is a bigint, which pg returns as text.
      return rows.map((row) => ({ ...row, votes: Number(row.votes) }));
    },
  };
}

/** The dashboard store of a client's database. */
export const dashboardStore = perClient((db): DashboardStore => (isPostgres ? createPostgresDashboardStore() : createSqliteDashboardStore(db)));
