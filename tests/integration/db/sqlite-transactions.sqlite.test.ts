import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { inSqliteTransaction, sqliteDatabaseFile, writableSqlite, type SqliteConnection } from "@/lib/server/db/sqlite-direct";
import { sqliteQueries } from "@/lib/server/store/sqlite-compiled";
import { runWrite, sqliteDate } from "@/lib/server/store/sqlite-run";
import { resetDatabase } from "../helpers/db";

// The store's writes on SQLite (group commits, the categorization's tagging, leaderboard rows) share one
// connection per file: transactions started in the same turn of the event loop must not interleave.
describe("transactions on the app's own SQLite connection", () => {
  let connection: SqliteConnection;

  beforeAll(async () => {
    await resetDatabase(db);
    connection = await writableSqlite((await sqliteDatabaseFile(db))!);
  });

  const organizations = async () => (await db.organization.findMany({ where: { slug: { startsWith: "tx-" } }, orderBy: { slug: "asc" } })).map((row) => row.slug);
  const insertOrganization = (slug: string) => () => {
    runWrite(connection, sqliteQueries.insertInto("Organization").values({ id: slug, slug, name: slug, createdAt: sqliteDate(new Date()) }).compile());
  };

  it("runs transactions started in the same turn one after the other, each committed", async () => {
    await Promise.all([inSqliteTransaction(connection, insertOrganization("tx-a")), inSqliteTransaction(connection, insertOrganization("tx-b")), inSqliteTransaction(connection, insertOrganization("tx-c"))]);
    expect(await organizations()).toEqual(["tx-a", "tx-b", "tx-c"]);
  });

  it("rolls back a failed transaction without touching one started beside it", async () => {
    const failing = inSqliteTransaction(connection, () => {
      insertOrganization("tx-d")();
      throw new Error("refused");
    });
    const beside = inSqliteTransaction(connection, insertOrganization("tx-e"));
    await expect(failing).rejects.toThrow("refused");
    await beside;
    expect(await organizations()).toEqual(["tx-a", "tx-b", "tx-c", "tx-e"]);
  });
});
