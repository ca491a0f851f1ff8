/**
 * Typed Kysely instances for the SQL Prisma cannot express (batched writes, packed reads), one per
 * dialect, with table types generated from prisma/schema.prisma by prisma-kysely (`npm run db:generate`),
 * so a schema change that breaks a query fails typecheck. Each dialect has its own `DB` type because
 * the storage types differ: on SQLite dates are ISO text with "+00:00", booleans 0/1 and JSON text (as
 * Prisma's libsql adapter stores them, so Prisma reads our rows back unchanged); PostgreSQL stores them
 * natively and `pg` returns Date, boolean and parsed JSON. A query the two dialects share is written once
 * against their common columns (./common-queries.ts).
 *
 * No "server-only": scripts and benchmarks use the same instances.
 */
import { Kysely, PostgresAdapter, PostgresDialect, PostgresIntrospector, PostgresQueryCompiler, SqliteDialect, type PostgresCursor, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult, type SqliteDatabase, type SqliteStatement } from "kysely";
import pg from "pg";
import type { DB as SqliteTables } from "@/lib/generated/sqlite/kysely/types";
import type { DB as PostgresTables } from "@/lib/generated/postgres/kysely/types";

export type SqliteDb = Kysely<SqliteTables>;
export type PostgresDb = Kysely<PostgresTables>;
export type { SqliteTables, PostgresTables };

import { compileOnly } from "./precompile";

export { sqliteDate } from "./sqlite-run";

/** What Kysely's SqliteDialect needs of a better-sqlite3-compatible connection (the `libsql` package's). */
export interface SqliteConnectionLike {
  prepare(sql: string): SqliteStatement;
  close(): void;
}

/** Distinct SQL texts kept prepared per connection; Kysely compiles IN lists and multi-row VALUES to varying texts, so the cache is bounded. */
const STATEMENT_CACHE_SIZE = 500;

const cachedConnections = new WeakMap<SqliteConnectionLike, SqliteDatabase>();

/**
 * The connection as Kysely's SqliteDatabase, preparing each distinct SQL text once: Kysely's SQLite
 * driver prepares every statement again on each call, which costs more than running a short one.
 * One cache per connection, shared by every Kysely instance on it.
 */
function withStatementCache(connection: SqliteConnectionLike): SqliteDatabase {
  const known = cachedConnections.get(connection);
  if (known) return known;
  const statements = new Map<string, SqliteStatement>();
  const database: SqliteDatabase = {
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement) {
        // Most recently used last: the first key is the one to evict.
        statements.delete(sql);
      } else {
        statement = connection.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
    close() {
      statements.clear();
      connection.close();
    },
  };
  cachedConnections.set(connection, database);
  return database;
}

/**
 * A Kysely instance on `connection`, the process's kept libsql connection on the app's SQLite file.
 * Kysely serializes its use of the connection with a mutex and holds it for a whole transaction.
 */
export function createSqliteDb(connection: SqliteConnectionLike | (() => Promise<SqliteConnectionLike>)): SqliteDb {
  const database = typeof connection === "function" ? async () => withStatementCache(await connection()) : withStatementCache(connection);
  return new Kysely<SqliteTables>({ dialect: new SqliteDialect({ database }) });
}

/** `timestamp(3)` (without time zone, as Prisma creates DateTime columns) holds UTC: read it as UTC whatever the process's time zone. */
const TIMESTAMP_OID = 1114;
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID ? (value: string) => new Date(`${value.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Dates as PostgreSQL's `timestamp(3)` takes them: UTC clock time (pg would send local time with an offset the column ignores). */
export const postgresDate = (date: Date) => date.toISOString();

/** Distinct statement texts given a name (below); the hot ones are among the first, and the bound keeps each backend's prepared statements few. */
const NAMED_STATEMENTS = 200;
const statementNames = new Map<string, string>();
let namesGiven = 0;

/**
 * The name a statement runs under, or undefined past the bound. Every query (`select …`) and every statement
 * built from CTEs (`with …`: the vote read with its counts, the group commit, the tagging) is named: the store's
 * texts are fixed (arguments go in as parameters, lists as arrays), so a named statement is parsed once per
 * connection (pg sends Parse only the first time) instead of on every call. When it is planned depends on the
 * connection: see TPlanning.
 */
function statementNameOf(sql: string): string | undefined {
  if (!sql.startsWith("select ") && !sql.startsWith("with ")) return undefined;
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < NAMED_STATEMENTS) statementNames.set(sql, (name = `arena_statement_${namesGiven++}`));
  return name;
}

/**
 * PostgreSQL's "cached plan must not change result type" (feature_not_supported): a table a prepared read
 * selects from changed its columns under it (a migration while the app runs). Every later call of that
 * statement fails the same way, on every connection that prepared it.
 */
const CACHED_PLAN_CHANGED = "0A000";
/** A statement after a failed one inside a transaction. */
const IN_FAILED_TRANSACTION = "25P02";
const sqlStateOf = (error: unknown) => (error instanceof pg.DatabaseError ? error.code : undefined);

/**
 * The statement under `name`, and once more under a new name (prepared afresh, on this and every other
 * connection) if the table changed under its prepared statement; PostgreSQL refuses it before it runs, so
 * a write is retried as safely as a read. Inside a transaction the retry cannot
 * run (the failure aborted it): the first failure is the answer, and the transaction's next try uses the
 * new name. A stale statement is freed when its connection closes.
 */
function queryNamed<R>(client: pg.PoolClient, name: string | undefined, sql: string, values: unknown[]): Promise<pg.QueryResult<R & pg.QueryResultRow>> {
  const result = client.query<R & pg.QueryResultRow>({ name, text: sql, values });
  if (name === undefined) return result;
  return result.catch((error: unknown) => {
    if (sqlStateOf(error) !== CACHED_PLAN_CHANGED) throw error;
    if (statementNames.get(sql) === name) statementNames.set(sql, `arena_statement_${namesGiven++}`);
    return client.query<R & pg.QueryResultRow>({ name: statementNames.get(sql), text: sql, values }).catch((retryError: unknown) => {
      throw sqlStateOf(retryError) === IN_FAILED_TRANSACTION ? error : retryError;
    });
  });
}

/** The pool as Kysely's PostgresPool, with statements run as named prepared statements (pg's public query config). */
function withNamedStatements(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
      function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
      function query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters: ReadonlyArray<unknown> = []) {
        if (typeof sqlOrCursor !== "string") return client.query(sqlOrCursor as unknown as pg.Submittable) as unknown as PostgresCursor<R>;
        return queryNamed<R>(client, statementNameOf(sqlOrCursor), sqlOrCursor, [...parameters]) as unknown as Promise<PostgresQueryResult<R>>;
      }
      return { query, release: (destroy) => client.release(destroy) };
    },
    end: () => pool.end(),
  };
}

/**
 * How a connection plans its named statements.
 *
 * `per-call` (`plan_cache_mode=force_custom_plan`): for each call's arguments and the tables as they are. Left to
 * itself, PostgreSQL switches a named statement to a generic plan after five calls when that plan costs no more,
 * and keeps it: made while the tables were small (a fresh install, a bench), it scans whole tables for ever
 * after, as they grow, until an ANALYZE. Measured on the load bench: the battle read went to a plan that scanned
 * Battle, Turn and Vote in full on every call, 2-8 ms a call and growing with the tables (BENCHMARKS.md,
 * "pgvote2"). The setting reaches every cached plan of the session, the foreign-key checks' too: the group commit
 * sets it back for its own transaction (postgres-commit.ts, genericForeignKeyChecks).
 *
 * `once` (`plan_cache_mode=force_generic_plan`): planned at a statement's first call on the connection and kept.
 * Only for statements whose every table is reached by key lookups whatever the tables' size (the store's battle
 * and session-user reads, postgres-store.ts): PostgreSQL costs a table never analysed at ten pages at least, so
 * a lookup by a unique key, or a correlated subquery by one, is an index scan even in a plan made on empty
 * tables. Planning the vote read took as long as running it (1.3 ms against 1.2 ms for six battles: pgvote4).
 */
export type TPlanning = "per-call" | "once";
const PLAN_CACHE_MODES: Record<TPlanning, string> = { "per-call": "force_custom_plan", once: "force_generic_plan" };
const connectionSettings = (planning: TPlanning) => `-c plan_cache_mode=${PLAN_CACHE_MODES[planning]}`;

/**
 * `connectionString` without its `options` parameter, and the connection's options: the URL's own (a
 * DATABASE_URL may set a search_path or a statement timeout that way) followed by the planning setting. pg
 * lets a value in the connection string win over the same key in its config, so passing ours beside a URL
 * that carries `options=` would silently drop plan_cache_mode.
 */
function connectionOptions(connectionString: string, planning: TPlanning): { connectionString: string; options: string } {
  const url = new URL(connectionString);
  const own = url.searchParams.get("options");
  url.searchParams.delete("options");
  const settings = connectionSettings(planning);
  return { connectionString: url.toString(), options: own ? `${own} ${settings}` : settings };
}

/**
 * A Kysely instance on a `pg` pool of its own for `connectionString`, planning its statements per call unless told
 * otherwise (TPlanning). The pool keeps the connections it opened (at most `maxConnections`) however long they sit
 * idle: pg's default closes one after 10 s, and as the pool hands out the connection released last, the ones a
 * burst needs beyond the usual are the ones that go, so the next burst waits for new backends to start, each
 * preparing (and on the lookup pool planning) the store's statements again: 3–8 new sessions inside the load
 * bench's 14–17-s windows (BENCHMARKS.md, "stop 34, pgvote6"). Idle connections do not keep a script alive.
 */
export function createPostgresDb(connectionString: string, options: { maxConnections?: number; planning?: TPlanning } = {}): PostgresDb {
  const pool = new pg.Pool({
    ...connectionOptions(connectionString, options.planning ?? "per-call"),
    max: options.maxConnections ?? 10,
    idleTimeoutMillis: 0,
    allowExitOnIdle: true,
    types: pgTypes,
  });
  return new Kysely<PostgresTables>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
}

/** Builds and compiles PostgreSQL queries without a connection: the store's hot statements are compiled once at load (./precompile.ts). */
export const postgresQueries = compileOnly<PostgresTables>(new PostgresAdapter(), () => new PostgresQueryCompiler(), (db) => new PostgresIntrospector(db));
