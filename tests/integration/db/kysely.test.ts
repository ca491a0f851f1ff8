import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env, isPostgres } from "@/lib/env";
import { db } from "@/lib/server/db";
import { sqliteDatabaseFile, writableSqlite } from "@/lib/server/db/sqlite-direct";
import { createPostgresDb, createSqliteDb, sqliteDate, type PostgresDb, type SqliteDb } from "@/lib/server/store/kysely";
import { resetDatabase } from "../helpers/db";

// Rows written by Kysely in each dialect's storage types read back through Prisma unchanged, and the reverse.
describe("typed Kysely instances on the app's database", () => {
  let sqlite: SqliteDb | null = null;
  let postgres: PostgresDb | null = null;

  beforeAll(async () => {
    await resetDatabase(db);
    if (isPostgres) postgres = createPostgresDb(env.DATABASE_URL, { maxConnections: 2 });
    else {
      const file = await sqliteDatabaseFile(db);
      sqlite = createSqliteDb(await writableSqlite(file!));
    }
  });

  afterAll(async () => {
    await postgres?.destroy();
  });

  it("reads what Prisma wrote", async () => {
    const organization = await db.organization.create({ data: { name: "Kysely Org", slug: "kysely-org" } });
    const row = sqlite
      ? await sqlite.selectFrom("Organization").select(["id", "slug", "createdAt"]).where("id", "=", organization.id).executeTakeFirstOrThrow()
      : await postgres!.selectFrom("Organization").select(["id", "slug", "createdAt"]).where("id", "=", organization.id).executeTakeFirstOrThrow();
    expect(row.slug).toBe("kysely-org");
    expect(new Date(row.createdAt).toISOString()).toBe(organization.createdAt.toISOString());
  });

  it("writes what Prisma reads, dates and booleans included", async () => {
    const createdAt = new Date("2026-02-03T04:05:06.789Z");
    const values = { id: "kysely-user", email: "kysely@example.org", role: "annotator" as const, updatedAt: createdAt };
    if (sqlite) await sqlite.insertInto("User").values({ ...values, createdAt: sqliteDate(createdAt), updatedAt: sqliteDate(createdAt), isGuest: 1 }).execute();
    else await postgres!.insertInto("User").values({ ...values, createdAt, isGuest: true }).execute();
    const user = await db.user.findUniqueOrThrow({ where: { id: "kysely-user" } });
    expect(user.createdAt.toISOString()).toBe(createdAt.toISOString());
    expect(user.isGuest).toBe(true);
    const newer = await db.user.count({ where: { createdAt: { gt: new Date("2026-02-03T04:05:06.788Z") } } });
    expect(newer).toBe(1);
  });
});
