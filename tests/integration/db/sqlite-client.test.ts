import type { Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/sqlite/client";
import { createCachedSqliteClient, STATEMENT_CACHE_SIZE } from "@/lib/server/db/sqlite-client";
import { createOwnSqliteDatabase, type OwnSqliteDatabase } from "../helpers/db";

// Its own SQLite file, whichever database the rest of the suite runs on.
describe("SQLite client with one kept connection and cached statements", () => {
  let own: OwnSqliteDatabase;
  let db: OwnSqliteDatabase["db"];

  beforeAll(async () => {
    own = await createOwnSqliteDatabase("sqlite-client");
    ({ db } = own);
  });
  afterAll(() => own.remove());

  it("keeps its connection across transactions (a connection setting survives them)", async () => {
    await db.$executeRawUnsafe("PRAGMA cache_size = -4321");
    await db.$transaction(async (tx) => tx.organization.create({ data: { name: "Kept Org", slug: "kept-org" } }));
    await db.$transaction([db.organization.count(), db.organization.count()]);
    const [row] = await db.$queryRawUnsafe<{ cache_size: number }[]>("PRAGMA cache_size");
    expect(Number(row!.cache_size)).toBe(-4321);
  });

  it("maps constraint errors as Prisma expects and a failed transaction leaves nothing behind", async () => {
    await db.organization.create({ data: { name: "Unique Org", slug: "unique-org" } });
    const duplicate = await db.organization.create({ data: { name: "Again", slug: "unique-org" } }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((duplicate as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");

    const failed = await db
      .$transaction(async (tx) => {
        await tx.organization.create({ data: { name: "Rolled Back", slug: "rolled-back" } });
        await tx.organization.create({ data: { name: "Clash", slug: "unique-org" } });
      })
      .catch((error: unknown) => error);
    expect((failed as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");
    expect(await db.organization.findUnique({ where: { slug: "rolled-back" } })).toBeNull();
    // The connection is usable after the rollback.
    expect(await db.organization.count({ where: { slug: "unique-org" } })).toBe(1);
  });

  it("does not let queries from outside see an open transaction's uncommitted rows", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = db.$transaction(async (tx) => {
      await tx.organization.create({ data: { name: "Pending", slug: "pending-org" } });
      inserted();
      await held;
    });
    await insertedYet;
    const outside = db.organization.findUnique({ where: { slug: "pending-org" } });
    let outsideSettled = false;
    void outside.then(() => (outsideSettled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(outsideSettled).toBe(false);
    release();
    await transaction;
    expect(await outside).toMatchObject({ name: "Pending" });
  });

  it("round-trips dates, JSON, booleans and nulls as the libsql adapter stores them", async () => {
    const organization = await db.organization.create({ data: { name: "Types Org", slug: "types-org" } });
    const createdAt = new Date("2026-01-02T03:04:05.678Z");
    const model = await db.arenaModel.create({
      data: {
        slug: "types-model",
        displayName: "Types",
        organizationId: organization.id,
        modality: "text",
        providerKind: "demo",
        providerModelId: "demo-types",
        extraParams: { nested: { list: [1, "two", null] } },
        pausedReason: null,
        redistributable: false,
        createdAt,
      },
    });
    const read = await db.arenaModel.findUniqueOrThrow({ where: { id: model.id } });
    expect(read.createdAt.toISOString()).toBe(createdAt.toISOString());
    expect(read.extraParams).toEqual({ nested: { list: [1, "two", null] } });
    expect(read.redistributable).toBe(false);
    expect(read.pausedReason).toBeNull();
    const [raw] = await db.$queryRawUnsafe<{ stored: string }[]>(`SELECT CAST("createdAt" AS TEXT) || '' AS "stored" FROM "ArenaModel" WHERE "id" = ?`, model.id);
    expect(raw!.stored).toBe("2026-01-02T03:04:05.678+00:00");
  });
});

describe("createCachedSqliteClient", () => {
  let client: Client;
  beforeAll(() => {
    client = createCachedSqliteClient(":memory:");
  });
  afterAll(() => client.close());

  it("answers like @libsql/client: rows as arrays, declared types, changes and rowid", async () => {
    await client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB)");
    const inserted = await client.execute({ sql: "INSERT INTO t (name, data) VALUES (?, ?)", args: ["a", new Uint8Array([1, 2, 3]).buffer] });
    expect(inserted.rowsAffected).toBe(1);
    expect(inserted.lastInsertRowid).toBe(1n);
    const named = await client.execute({ sql: "INSERT INTO t (name) VALUES (:name)", args: { ":name": "b" } });
    expect(named.lastInsertRowid).toBe(2n);
    const selected = await client.execute("SELECT id, name, data FROM t ORDER BY id");
    expect(selected.columns).toEqual(["id", "name", "data"]);
    expect(selected.columnTypes).toEqual(["INTEGER", "TEXT", "BLOB"]);
    expect(selected.rows.map((row) => [row[0], row[1]])).toEqual([[1, "a"], [2, "b"]]);
    expect([...new Uint8Array(selected.rows[0]![2] as ArrayBuffer)]).toEqual([1, 2, 3]);
  });

  it("refuses what it cannot represent, as @libsql/client does", async () => {
    await expect(client.execute("SELECT 9007199254740993 AS big")).rejects.toThrow(RangeError);
    await expect(client.execute({ sql: "SELECT ?", args: [Number.NaN] })).rejects.toThrow(RangeError);
    await expect(client.execute("SELECT * FROM missing_table")).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_ERROR/), rawCode: 1 });
  });

  it("keeps working past the statement cache's size", async () => {
    for (let index = 0; index < STATEMENT_CACHE_SIZE + 20; index++) {
      const result = await client.execute(`SELECT ${index} AS n`);
      expect(result.rows[0]![0]).toBe(index);
    }
    expect((await client.execute("SELECT 0 AS n")).rows[0]![0]).toBe(0);
  });

  it("runs a transaction on the same connection and ends it on commit or rollback", async () => {
    await client.execute("CREATE TABLE tx (v INTEGER)");
    const rolledBack = await client.transaction("write");
    await rolledBack.execute({ sql: "INSERT INTO tx VALUES (?)", args: [1] });
    await rolledBack.rollback();
    const committed = await client.transaction("deferred");
    await committed.execute({ sql: "INSERT INTO tx VALUES (?)", args: [2] });
    await committed.commit();
    await expect(committed.execute("SELECT 1")).rejects.toThrow(/closed/);
    expect((await client.execute("SELECT v FROM tx")).rows.map((row) => row[0])).toEqual([2]);
  });
});
