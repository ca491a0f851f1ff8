/**
 * Database URL → Prisma driver adapter. Kept apart from the migration engine so the app bundle
 * (lib/server/db.ts) does not pull in the schema engine. No "server-only": scripts use it too.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { createCachedSqliteClient } from "./sqlite-client";
import { startWalCheckpointer, walCheckpointerRunning } from "./wal-checkpointer";

export type DatabaseKind = "sqlite" | "postgresql";

/** `postgres://` or `postgresql://` is PostgreSQL, `file:` is SQLite; anything else is a configuration error. */
export function databaseKind(url: string): DatabaseKind {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(`Unsupported DATABASE_URL "${redactUrl(url)}": use file:./path.db (SQLite) or postgresql://...`);
}

/**
 * Turns `file:./data/x.db` (relative to the working directory) into an absolute `file:` URL and creates
 * its folder, so that the app, the scripts and the tests open the same file wherever they resolve paths.
 */
export function resolveSqliteUrl(url: string): string {
  const [location, query] = url.slice("file:".length).split("?", 2);
  const filePath = location.startsWith("//") ? fileURLToPath(`file:${location}`) : path.resolve(/* turbopackIgnore: true */ process.cwd(), location);
  mkdirSync(path.dirname(filePath), { recursive: true });
  return `file:${filePath}${query ? `?${query}` : ""}`;
}

/** The Prisma driver adapter factory for `url`; pass it as `new PrismaClient({ adapter })`. */
type LibSqlClient = ReturnType<PrismaLibSql["createClient"]>;

/**
 * SQLite tuned for a server, on one kept connection with prepared statements cached (see
 * sqlite-client.ts): WAL lets readers proceed during a write; synchronous=NORMAL in WAL mode keeps
 * every committed transaction across an application crash or kill (only an OS crash can lose the last
 * commits) without an fsync per commit; the busy timeout makes a second process (a script, another
 * instance) wait instead of failing; secure_delete overwrites deleted or shrunk content with zeros, so
 * text erased from the database (an account deletion) is not left behind in free space of its pages.
 */
class TunedPrismaLibSql extends PrismaLibSql {
  createClient(config: Parameters<PrismaLibSql["createClient"]>[0]): LibSqlClient {
    const file = config.url.startsWith("file:") ? config.url.slice("file:".length).split("?")[0]! : config.url;
    const client = createCachedSqliteClient(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    if (file === ":memory:") return client;
    // WAL checkpoints on a thread of their own, not inside a commit on the event loop (see
    // wal-checkpointer.ts); SQLite's automatic checkpoint comes back if that thread stops.
    startWalCheckpointer(file);
    void client
      .executeMultiple(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON; PRAGMA wal_autocheckpoint = ${walCheckpointerRunning(file) ? 0 : 1000};`)
      .catch((error: unknown) => console.warn("[db] could not tune SQLite:", error instanceof Error ? error.message : error));
    return client;
  }
}

const SQLITE_BUSY_TIMEOUT_MS = 5000;

export function createDriverAdapterFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  if (databaseKind(url) === "sqlite") return new TunedPrismaLibSql({ url: resolveSqliteUrl(url) });
  return new PrismaPg({ connectionString: url });
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}
