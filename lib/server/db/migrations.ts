/**
 * Database connection factories and offline migrations for both supported databases.
 *
 * Migrations stay in Prisma's own format (`prisma/migrations` for SQLite, `prisma/postgres/migrations`
 * for PostgreSQL) and are applied by Prisma's WASM schema engine exactly as `prisma migrate deploy`
 * would, recording each one in `_prisma_migrations`. No "server-only" import and no Next imports:
 * plain scripts and the test global setup use this file.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { createDriverAdapterFactory, databaseKind, redactUrl, type DatabaseKind } from "./adapter";
import { schemaFilters, readMigrationsList, withSchemaEngine, type EngineAdapterFactory } from "./schema-engine";

/**
 * The repository root: the nearest folder at or above `from` holding `prisma/schema.prisma`.
 * The app, the scripts and the tests all run from the root or below it.
 */
export function findRepoRoot(from: string = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "prisma", "schema.prisma"))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`Cannot find the repository root (a folder with prisma/schema.prisma) at or above ${from}`);
    }
  }
}

/** Where the provider's Prisma schema lives (the PostgreSQL one is derived from the SQLite one). */
export function schemaPath(kind: DatabaseKind, root: string = findRepoRoot()): string {
  return kind === "sqlite" ? path.join(root, "prisma", "schema.prisma") : path.join(root, "prisma", "postgres", "schema.prisma");
}

export function migrationsDirectory(kind: DatabaseKind, root: string = findRepoRoot()): string {
  return kind === "sqlite" ? path.join(root, "prisma", "migrations") : path.join(root, "prisma", "postgres", "migrations");
}

export { createDriverAdapterFactory, databaseKind, resolveSqliteUrl, type DatabaseKind } from "./adapter";

export interface ApplyMigrationsOptions {
  /** Folder holding `prisma/`; found from the working directory by default. */
  root?: string;
  /** Receives progress lines (what was applied); silent when omitted. */
  log?: (message: string) => void;
}

/**
 * Applies the provider's pending migrations to `url`, like `prisma migrate deploy`: each folder runs once
 * and is recorded in `_prisma_migrations`, so applying again applies nothing. Creates the SQLite file (and
 * folder) or the PostgreSQL database when missing. On PostgreSQL concurrent callers are serialized by an
 * advisory lock, so several app instances may start at once.
 */
export async function applyMigrations(url: string, options: ApplyMigrationsOptions = {}): Promise<{ applied: string[] }> {
  const kind = databaseKind(url);
  const root = options.root ?? findRepoRoot();
  const migrationsList = await readMigrationsList(migrationsDirectory(kind, root));
  const run = () =>
    withSchemaEngine(
      { adapterFactory: { factory: createDriverAdapterFactory(url) }, schemaFiles: readSchemaFiles(kind, root) },
      (engine) => engine.applyMigrations({ migrationsList, filters: schemaFilters(kind) }),
    );
  let appliedMigrationNames: string[];
  if (kind === "sqlite") {
    ({ appliedMigrationNames } = await run());
  } else {
    await createPostgresDatabaseIfMissing(url);
    ({ appliedMigrationNames } = await withPostgresMigrationLock(url, run));
  }
  for (const name of appliedMigrationNames) options.log?.(`Applied migration ${name}`);
  return { applied: appliedMigrationNames };
}

export interface DiffOptions {
  /** Folder holding `prisma/`; found from the working directory by default. */
  root?: string;
  /** PostgreSQL server used for the scratch (shadow) database; only its host and credentials matter. */
  postgresUrl?: string;
}

export const DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * The SQL that takes a database from the state of the provider's migrations folder to the current
 * schema: an empty string when they are in sync. The engine replays the migrations into a scratch
 * database (SQLite in memory; a temporary PostgreSQL database that is dropped afterwards).
 */
export async function diffSchemaToMigrations(kind: DatabaseKind, options: DiffOptions = {}): Promise<string> {
  const root = options.root ?? findRepoRoot();
  const migrationsList = await readMigrationsList(migrationsDirectory(kind, root));
  // The engine infers the history's connector from its lock file, which a first migration lacks.
  migrationsList.lockfile.content ??= migrationLockfileContent(kind);
  const schemaFiles = readSchemaFiles(kind, root);
  const adapterFactory = kind === "sqlite" ? sqliteScratchFactory() : postgresScratchFactory(options.postgresUrl ?? DEFAULT_POSTGRES_URL);
  const { stdout } = await withSchemaEngine({ adapterFactory, schemaFiles }, (engine) =>
    engine.diff({
      from: { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files: schemaFiles.map(([filePath, content]) => ({ path: filePath, content })) },
      script: true,
      exitCode: null,
      filters: schemaFilters(kind),
    }),
  );
  return isEmptyMigration(stdout ?? "") ? "" : (stdout ?? "");
}

/** `migration_lock.toml` exactly as the Prisma CLI writes it. */
export function migrationLockfileContent(kind: DatabaseKind): string {
  return [
    "# Please do not edit this file manually",
    "# It should be added in your version-control system (e.g., Git)",
    `provider = "${kind}"`,
    "",
  ].join("\n");
}

/** The engine renders "no changes" as a comment-only script. */
function isEmptyMigration(sql: string): boolean {
  return sql
    .split("\n")
    .map((line) => line.trim())
    .every((line) => line === "" || line.startsWith("--"));
}

function readSchemaFiles(kind: DatabaseKind, root: string): [string, string][] {
  const file = schemaPath(kind, root);
  return [[file, readFileSync(file, "utf8")]];
}

/**
 * An in-memory scratch database. The engine replays each migration file into it with a single
 * `executeRaw`, and libsql's `execute` runs only the first statement of a script, so argument-less
 * statements go through `executeScript` (which runs them all) instead.
 */
function sqliteScratchFactory(): EngineAdapterFactory {
  const factory = new PrismaLibSql({ url: ":memory:" });
  return {
    factory,
    async connectToShadowDb() {
      const adapter = await factory.connectToShadowDb();
      const executeRaw = adapter.executeRaw.bind(adapter);
      adapter.executeRaw = async (query) => {
        if (query.args.length > 0) return executeRaw(query);
        await adapter.executeScript(query.sql);
        return 0;
      };
      return { adapter };
    },
  };
}

/**
 * The PostgreSQL adapter's own shadow database keeps the URL's database (pg lets `connectionString` win
 * over `database`), so scratch databases are created and dropped here instead.
 */
function postgresScratchFactory(serverUrl: string): EngineAdapterFactory {
  return {
    factory: new PrismaPg({ connectionString: serverUrl }),
    async connectToShadowDb() {
      const scratchUrl = withDatabase(serverUrl, `prisma_migrate_shadow_db_${randomUUID().replaceAll("-", "")}`);
      await createPostgresDatabaseIfMissing(scratchUrl);
      const adapter = readCharColumnsAsText(await new PrismaPg({ connectionString: scratchUrl }).connect());
      return { adapter, cleanup: () => dropPostgresDatabase(scratchUrl) };
    },
  };
}

const PG_CHAR_TYPE_ID = 18;
const PG_TEXT_TYPE_ID = 25;

interface PgQueryableInternals {
  performIO(query: unknown): Promise<{ fields: { dataTypeID: number }[] }>;
}

/**
 * The engine reads the catalog's one-byte `"char"` columns (relkind, contype...) when it describes the
 * scratch database, and adapter-pg 7.10 rejects that type as unsupported. Its values arrive as
 * strings, so reporting those columns as text is exact. Applies to transactions opened later as well.
 */
function readCharColumnsAsText<T extends SqlDriverAdapter>(adapter: T): T {
  const patch = (queryable: object) => {
    const internals = queryable as unknown as PgQueryableInternals;
    const performIO = internals.performIO.bind(queryable);
    internals.performIO = async (query) => {
      const result = await performIO(query);
      for (const field of result.fields) if (field.dataTypeID === PG_CHAR_TYPE_ID) field.dataTypeID = PG_TEXT_TYPE_ID;
      return result;
    };
  };
  patch(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const transaction = await startTransaction(isolationLevel);
    patch(transaction);
    return transaction;
  };
  return adapter;
}

/** Creates the database named in `url` when it does not exist yet (connecting to the `postgres` database). */
async function createPostgresDatabaseIfMissing(url: string): Promise<void> {
  const name = databaseName(url);
  await withPostgresClient(withDatabase(url, "postgres"), async (client) => {
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (existing.rowCount) return;
    await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`).catch((error: { code?: string }) => {
      // Another process created it between the check and the CREATE.
      if (error.code !== "42P04" && error.code !== "23505") throw error;
    });
  });
}

/** Drops the database named in `url` (if present), disconnecting its remaining sessions. */
export async function dropPostgresDatabase(url: string): Promise<void> {
  await withPostgresClient(withDatabase(url, "postgres"), (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(databaseName(url))} WITH (FORCE)`),
  );
}

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

function databaseName(url: string): string {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  return name || decodeURIComponent(parsed.username) || "postgres";
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}


/** Arbitrary application-wide key; distinct from the engine's own lock key (72707369) so the two never contend. */
const MIGRATION_ADVISORY_LOCK_KEY = 4_185_726_301;

/**
 * Holds a session-level advisory lock on one dedicated connection while `work` runs, so two processes
 * never migrate the same database at once (the second then finds everything applied).
 */
async function withPostgresMigrationLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  return withPostgresClient(url, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_ADVISORY_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_ADVISORY_LOCK_KEY]);
    }
  });
}

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET"]);

async function withPostgresClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code && UNREACHABLE_CODES.has(code)) {
      const { hostname, port } = new URL(url);
      throw new Error(`PostgreSQL database unreachable at ${hostname}:${port || 5432} (${code})`, { cause: error });
    }
    throw new Error(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
