/**
 * Test helpers for the integration database (created per run by tests/integration/global-setup.ts).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaClient } from "../../../lib/generated/sqlite/client";
import { applyMigrations, createDriverAdapterFactory, databaseKind, dropPostgresDatabase, withDatabase } from "../../../lib/server/db/migrations";

const DEFAULT_TEST_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/";

export interface ScratchDatabase {
  url: string;
  /** Deletes the SQLite file's folder or drops the PostgreSQL database. */
  remove: () => Promise<void>;
}

/**
 * Names a new, not yet created database for the engine chosen by TEST_DATABASE: "sqlite" (default) is a
 * file in a new temp folder; "postgres" is `<prefix>_<random>` on TEST_POSTGRES_URL
 * (default postgresql://postgres@127.0.0.1:5432/). `applyMigrations` creates either one.
 */
export function createScratchDatabase(prefix: string): ScratchDatabase {
  const choice = process.env.TEST_DATABASE ?? "sqlite";
  if (choice === "sqlite") {
    const folder = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    return { url: `file:${path.join(folder, "arena.db")}`, remove: async () => rmSync(folder, { recursive: true, force: true }) };
  }
  if (choice === "postgres") {
    const url = withDatabase(process.env.TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL, `${prefix}_${randomBytes(6).toString("hex")}`);
    return { url, remove: () => dropPostgresDatabase(url) };
  }
  throw new Error(`TEST_DATABASE must be "sqlite" or "postgres", got "${choice}"`);
}

/** The raw-SQL part of a Prisma client; either generated client (SQLite or PostgreSQL) fits. */
export interface RawSqlClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

const MIGRATIONS_TABLE = "_prisma_migrations";

/**
 * Deletes every row of every application table (the migration history stays), so a test file can
 * start from an empty, migrated database, keeping foreign keys enforced: referencing tables before the
 * tables they reference, in the order the database's own foreign keys give. On PostgreSQL the deletes are
 * one statement (data-modifying CTEs, one round trip and one commit): a `TRUNCATE` of the ~24 tables cost
 * ~100 ms each time (a new file per table and index), the deletes a few ms on the few rows a test leaves.
 */
export async function resetDatabase(prisma: RawSqlClient): Promise<void> {
  if (databaseKind(process.env.DATABASE_URL ?? "") === "postgresql") {
    const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '${MIGRATIONS_TABLE}'`,
    );
    if (tables.length === 0) return;
    const references = await prisma.$queryRawUnsafe<{ child: string; parent: string }[]>(
      `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent FROM pg_constraint c
       WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`,
    );
    const unquote = (name: string) => name.replace(/^"(.*)"$/, "$1");
    const ordered = childrenFirst(
      tables.map(({ name }) => name),
      references.map(({ child, parent }) => ({ child: unquote(child), parent: unquote(parent) })),
    );
    const deletes = ordered.map((table) => `DELETE FROM "${table}"`);
    const statement = `WITH ${deletes.slice(0, -1).map((sql, k) => `d${k} AS (${sql})`).join(", ")} ${deletes.at(-1)}`;
    // The previous test's background work (a categorization pass, a recompute) may still be writing: a row it
    // inserts meanwhile under a row being deleted (23503, Prisma's P2003) or a deadlock (40P01) just means deleting again.
    for (let attempt = 1; ; attempt++) {
      try {
        await prisma.$executeRawUnsafe(tables.length === 1 ? deletes[0] : statement);
        return;
      } catch (error) {
        if (attempt >= 5 || !/23503|P2003|40P01/.test(String((error as Error).message))) throw error;
      }
    }
  }
  const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '${MIGRATIONS_TABLE}'`,
  );
  const references = await prisma.$queryRawUnsafe<{ child: string; parent: string }[]>(
    `SELECT m.name AS child, f."table" AS parent FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`,
  );
  for (const table of childrenFirst(tables.map(({ name }) => name), references)) {
    await prisma.$executeRawUnsafe(`DELETE FROM "${table}"`);
  }
}

/** Orders tables so that each comes before every table it references (self references ignored). */
export function childrenFirst(tables: string[], references: { child: string; parent: string }[]): string[] {
  const remaining = new Set(tables);
  const ordered: string[] = [];
  while (remaining.size > 0) {
    const referenced = new Set(references.filter(({ child, parent }) => child !== parent && remaining.has(child)).map(({ parent }) => parent));
    const unreferenced = [...remaining].filter((table) => !referenced.has(table));
    if (unreferenced.length === 0) throw new Error(`Foreign key cycle among tables: ${[...remaining].join(", ")}`);
    for (const table of unreferenced) {
      ordered.push(table);
      remaining.delete(table);
    }
  }
  return ordered;
}

export interface OwnSqliteDatabase {
  file: string;
  url: string;
  /** A Prisma client on the file through the app's driver adapter. */
  db: PrismaClient;
  /** Disconnects the client and deletes the folder. */
  remove: () => Promise<void>;
}

/** A migrated SQLite file in a temp folder of its own, whichever database the rest of the suite runs on. */
export async function createOwnSqliteDatabase(prefix: string): Promise<OwnSqliteDatabase> {
  const folder = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const file = path.join(folder, "arena.db");
  const url = `file:${file}`;
  await applyMigrations(url);
  const db = new PrismaClient({ adapter: createDriverAdapterFactory(url) });
  return {
    file,
    url,
    db,
    remove: async () => {
      await db.$disconnect();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
