import "server-only";
import { isPostgres } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { walCheckpointerRunning } from "@/lib/server/db/wal-checkpointer";
import type { SqliteRunner } from "@/lib/server/store/sqlite-run";
import type { SqliteStatement } from "kysely";
import { sqliteDate, type SqliteConnectionLike } from "@/lib/server/store/kysely";

/**
 * Writable libsql connections of our own on the app's SQLite file, for the hot paths (the store's
 * battle and vote reads and writes, lib/server/store; leaderboard rows): prepared statements run without
 * Prisma's per-query compilation and per-value conversions. Values go in as the Prisma driver adapter
 * stores them (dates as ISO text with "+00:00", JSON as text), so Prisma reads them back unchanged.
 */

/** What we use of a libsql connection (also what Kysely's SqliteDialect needs of it). */
export interface SqliteConnection extends SqliteConnectionLike {
  exec(sql: string): unknown;
  prepare(sql: string): SqliteStatement & { run(...parameters: unknown[]): unknown };
}

export { sqliteDate };

const globalForDirect = globalThis as unknown as { arenaSqliteFiles?: WeakMap<Db, Promise<string | null>>; arenaSqliteWriters?: Map<string, Promise<SqliteConnection>> };
const files = (globalForDirect.arenaSqliteFiles ??= new WeakMap());
const writers = (globalForDirect.arenaSqliteWriters ??= new Map());

/** The SQLite database's file (asked once per client); null on PostgreSQL or an in-memory database. */
export function sqliteDatabaseFile(db: Db): Promise<string | null> {
  if (isPostgres) return Promise.resolve(null);
  let file = files.get(db);
  if (!file) {
    file = db.$queryRaw<{ file: string | null }[]>`SELECT "file" FROM pragma_database_list WHERE "name" = 'main'`.then(([main]) => main?.file || null);
    files.set(db, file);
    file.catch(() => files.delete(db));
  }
  return file;
}

/**
 * The process's writable connection on `file`, opened once and kept, tuned like the app's
 * (synchronous=NORMAL; secure_delete; no automatic checkpoint while the checkpoint thread runs). Its users write
 * in inSqliteTransaction, synchronous once the lock is taken, so they never interleave.
 */
export function writableSqlite(file: string): Promise<SqliteConnection> {
  let writer = writers.get(file);
  if (!writer) {
    writer = import("libsql").then(({ default: Database }) => {
      const connection = new Database(file) as unknown as SqliteConnection;
      connection.exec("PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON");
      if (walCheckpointerRunning(file)) connection.exec("PRAGMA wal_autocheckpoint = 0");
      return connection;
    });
    writers.set(file, writer);
    writer.catch(() => writers.delete(file));
  }
  return writer;
}

/**
 * A new read-only connection on `file` for one long read (a release's pages, the leaderboards'
 * styled votes), off the app's own connections; the caller closes it.
 */
export async function readOnlySqlite(file: string): Promise<SqliteRunner & { close(): void }> {
  const { default: Database } = await import("libsql");
  return new Database(file, { readonly: true }) as unknown as SqliteRunner & { close(): void };
}

/**
 * Runs `write` in one IMMEDIATE transaction on `connection`: BEGIN, `write` and COMMIT run in ONE
 * synchronous stretch, so nothing else on this thread can use the connection inside the transaction
 * (with an `await` between BEGIN and `write`, a second transaction started in that gap, say the
 * categorization's tagging beside a group commit, failed with "cannot start a transaction within a
 * transaction"). SQLite's write lock is waited for WITHOUT blocking the event loop: a busy timeout
 * would sleep inside the driver, so a write transaction of this process's Prisma connection that holds
 * the lock could never finish. Gives up after about 10 s.
 */
export async function inSqliteTransaction(connection: SqliteConnection, write: () => void): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      connection.exec("BEGIN IMMEDIATE");
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || attempt >= 1000) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  try {
    write();
    connection.exec("COMMIT");
  } catch (error) {
    connection.exec("ROLLBACK");
    throw error;
  }
}

/** A value as the Prisma SQLite adapter stores it: dates as ISO text, objects as JSON text, booleans as 0/1. */
export function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return sqliteDate(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return value ?? null;
}
