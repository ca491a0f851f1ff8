import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/postgres/client";
import { PrismaClient } from "@/lib/generated/sqlite/client";
import {
  applyMigrations,
  createDriverAdapterFactory,
  databaseKind,
  diffSchemaToMigrations,
  findRepoRoot,
  migrationsDirectory,
  resolveSqliteUrl,
  schemaPath,
  type DatabaseKind,
} from "@/lib/server/db/migrations";
import { childrenFirst, createScratchDatabase, resetDatabase, type ScratchDatabase } from "@/tests/integration/helpers/db";

const kindUnderTest: DatabaseKind = process.env.TEST_DATABASE === "postgres" ? "postgresql" : "sqlite";
const OUT_OF_SYNC = "prisma/schema.prisma has changes without a migration: run npm run db:migration -- --name X";

/** Both generated clients share one model API; tests are typed against the SQLite one, like the app. */
function connect(url: string): PrismaClient {
  const adapter = createDriverAdapterFactory(url);
  if (databaseKind(url) === "sqlite") return new PrismaClient({ adapter });
  return new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
}

function migrationFolders(kind: DatabaseKind): string[] {
  return readdirSync(migrationsDirectory(kind), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function modelTableNames(): string[] {
  const schema = readFileSync(schemaPath("sqlite"), "utf8");
  return [...schema.matchAll(/^model (\w+) \{/gm)].map((match) => match[1]);
}

async function tableNames(client: PrismaClient, kind: DatabaseKind): Promise<string[]> {
  const rows =
    kind === "sqlite"
      ? await client.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      : await client.$queryRawUnsafe<{ name: string }[]>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
  return rows.map(({ name }) => name);
}

describe("applyMigrations on a fresh database", () => {
  let database: ScratchDatabase;
  let client: PrismaClient;
  let firstRun: { applied: string[] };

  beforeAll(async () => {
    database = createScratchDatabase("arena_migrations_test");
    firstRun = await applyMigrations(database.url);
    client = connect(database.url);
  });

  afterAll(async () => {
    await client?.$disconnect();
    await database?.remove();
  });

  it("applies every migration folder, in name order", () => {
    expect(firstRun.applied).toEqual(migrationFolders(kindUnderTest));
    expect(firstRun.applied.length).toBeGreaterThan(0);
  });

  it("records each applied migration as finished in _prisma_migrations", async () => {
    const rows = await client.$queryRawUnsafe<{ migration_name: string; finished_at: unknown; rolled_back_at: unknown }[]>(
      `SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(migrationFolders(kindUnderTest));
    for (const row of rows) {
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it("applies nothing the second time", async () => {
    expect(await applyMigrations(database.url)).toEqual({ applied: [] });
  });

  it("creates a table for every model of the schema", async () => {
    const tables = await tableNames(client, kindUnderTest);
    expect(modelTableNames().length).toBeGreaterThan(10);
    expect(tables).toEqual(expect.arrayContaining(modelTableNames()));
  });
});

describe("the run's test database (global setup)", () => {
  it("is the injected DATABASE_URL of the chosen kind", () => {
    expect(process.env.DATABASE_URL).toBe(inject("databaseUrl"));
    expect(databaseKind(inject("databaseUrl"))).toBe(kindUnderTest);
  });

  it("is already fully migrated", async () => {
    expect(await applyMigrations(inject("databaseUrl"))).toEqual({ applied: [] });
  });
});

describe("migrations stay in sync with prisma/schema.prisma", () => {
  // PostgreSQL needs a server for its scratch database, so it is checked when the run uses one.
  const kindsToCheck: DatabaseKind[] = kindUnderTest === "postgresql" ? ["sqlite", "postgresql"] : ["sqlite"];

  it.each(kindsToCheck)("%s: replaying the migrations yields the current schema", async (kind) => {
    expect(await diffSchemaToMigrations(kind), OUT_OF_SYNC).toBe("");
  });

  it("both providers have the same migration folders", () => {
    expect(migrationFolders("postgresql"), OUT_OF_SYNC).toEqual(migrationFolders("sqlite"));
  });

  it("both migration folders carry Prisma's lock file for their provider", () => {
    for (const kind of ["sqlite", "postgresql"] as const) {
      const lockfile = readFileSync(path.join(migrationsDirectory(kind), "migration_lock.toml"), "utf8");
      expect(lockfile).toContain(`provider = "${kind}"`);
    }
  });

  describe("with a schema edited but not migrated", () => {
    let copyRoot: string;

    beforeAll(() => {
      copyRoot = mkdtempSync(path.join(os.tmpdir(), "arena-schema-drift-"));
      cpSync(path.join(findRepoRoot(), "prisma"), path.join(copyRoot, "prisma"), { recursive: true });
      const schemaFile = schemaPath(kindUnderTest, copyRoot);
      const edited = readFileSync(schemaFile, "utf8").replace(/^model JobLease \{$/m, "model JobLease {\n  driftCheck String?");
      writeFileSync(schemaFile, edited);
    });

    afterAll(() => rmSync(copyRoot, { recursive: true, force: true }));

    it("reports the missing change as SQL", async () => {
      const sql = await diffSchemaToMigrations(kindUnderTest, { root: copyRoot });
      expect(sql).toContain("JobLease");
      expect(sql).toContain("driftCheck");
    });
  });
});

describe("resetDatabase", () => {
  let client: PrismaClient;

  beforeAll(() => {
    client = connect(inject("databaseUrl"));
  });

  afterAll(async () => {
    await client?.$disconnect();
  });

  it("empties tables linked by foreign keys and keeps the migration history", async () => {
    const organization = await client.organization.create({ data: { slug: "reset-org", name: "Reset Org" } });
    await client.arenaModel.create({
      data: { slug: "reset-model", displayName: "Reset", organizationId: organization.id, modality: "text", providerKind: "fake", providerModelId: "m", extraParams: {} },
    });
    await client.user.create({ data: { email: "reset@example.com", accounts: { create: { type: "oauth", provider: "github", providerAccountId: "1" } } } });

    await resetDatabase(client);

    expect(await client.organization.count()).toBe(0);
    expect(await client.arenaModel.count()).toBe(0);
    expect(await client.user.count()).toBe(0);
    expect(await client.account.count()).toBe(0);
    expect(await applyMigrations(inject("databaseUrl"))).toEqual({ applied: [] });
  });
});

describe("childrenFirst", () => {
  it("puts referencing tables before the tables they reference", () => {
    const order = childrenFirst(["User", "Account", "Vote", "Battle"], [
      { child: "Account", parent: "User" },
      { child: "Vote", parent: "Battle" },
      { child: "Vote", parent: "User" },
      { child: "Battle", parent: "User" },
    ]);
    expect(order.indexOf("Account")).toBeLessThan(order.indexOf("User"));
    expect(order.indexOf("Vote")).toBeLessThan(order.indexOf("Battle"));
    expect(order.indexOf("Battle")).toBeLessThan(order.indexOf("User"));
  });

  it("ignores self references and rejects cycles", () => {
    expect(childrenFirst(["Node"], [{ child: "Node", parent: "Node" }])).toEqual(["Node"]);
    expect(() => childrenFirst(["A", "B"], [{ child: "A", parent: "B" }, { child: "B", parent: "A" }])).toThrow(/cycle/);
  });
});

describe("databaseKind and resolveSqliteUrl", () => {
  it("maps URL schemes to database kinds", () => {
    expect(databaseKind("postgres://u@h/db")).toBe("postgresql");
    expect(databaseKind("postgresql://u@h/db")).toBe("postgresql");
    expect(databaseKind("file:./data/arena.db")).toBe("sqlite");
    expect(() => databaseKind("mysql://u:secret@h/db")).toThrow(/Unsupported DATABASE_URL "mysql:\/\/u:\*\*\*@h\/db"/);
  });

  it("resolves a relative SQLite path against the working directory", () => {
    expect(resolveSqliteUrl("file:./data/arena.db")).toBe(`file:${path.join(process.cwd(), "data", "arena.db")}`);
  });
});

describe("applyMigrations errors", () => {
  it("names the unreachable PostgreSQL host and port", async () => {
    await expect(applyMigrations("postgresql://postgres@127.0.0.1:1/arena")).rejects.toThrow(
      "PostgreSQL database unreachable at 127.0.0.1:1 (ECONNREFUSED)",
    );
  });
});
