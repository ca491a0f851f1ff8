/**
 * Typed SQL on our own libsql connections to the SQLite file (read-only readers, writer threads):
 * queries are built with Kysely against the generated schema types, compiled, and run SYNCHRONOUSLY
 * through the connection's prepared statements. Synchronous because the callers are a worker
 * thread's loop and parsers that resolve numbers while they scan (Kysely's own driver is async and
 * prepares every statement again). Imports only Kysely and types: worker threads load this module.
 */
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type CompiledQuery } from "kysely";
import type { SqliteTables } from "./kysely";

/**
 * The vote ledger's tables (prisma/migrations/*_vote_ledger), kept by triggers outside the Prisma
 * schema, so typed here: "line" is "<modelA> <modelB> <outcome 0|1|2> <annotator> <YYYY-MM-DD>" in
 * RatingNumber numbers.
 */
export interface SqliteLedgerTables {
  RatingNumber: { number: number; id: string };
  VoteLedger: { modality: string; createdAt: string; voteId: string; userNumber: number; line: string };
}

export type SqliteReadTables = SqliteTables & SqliteLedgerTables;

/** Builds and compiles SQLite queries; it has no connection (the callers run the compiled text). */
export const sqliteQueries = new Kysely<SqliteReadTables>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** What we use of a libsql (better-sqlite3-like) connection. */
export interface SqliteRunner {
  prepare(sql: string): { get(...parameters: unknown[]): unknown; all(...parameters: unknown[]): unknown[] };
}

/** What a write needs of a connection. */
export interface SqliteWriter {
  prepare(sql: string): { run(...parameters: unknown[]): unknown };
}

/** Distinct texts kept prepared per connection; the callers' texts are few, IN lists aside. */
const STATEMENTS_PER_CONNECTION = 200;
const prepared = new WeakMap<object, Map<string, unknown>>();

function statementOf<S>(connection: { prepare(sql: string): S }, sql: string): S {
  let statements = prepared.get(connection);
  if (!statements) prepared.set(connection, (statements = new Map()));
  let statement = statements.get(sql) as S | undefined;
  if (!statement) {
    if (statements.size >= STATEMENTS_PER_CONNECTION) statements.clear();
    statement = connection.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** The first row of `query` (undefined when none), as an object keyed by the query's aliases. */
export const firstRow = <O>(connection: SqliteRunner, query: CompiledQuery<O>): O | undefined => statementOf(connection, query.sql).get(...query.parameters) as O | undefined;

/** Every row of `query` (all a connection needs for it is `all`, which the app's kept writable connection has too). */
export const allRows = <O>(connection: { prepare(sql: string): { all(...parameters: unknown[]): unknown[] } }, query: CompiledQuery<O>): O[] => statementOf(connection, query.sql).all(...query.parameters) as O[];

/** Runs a write. */
export const runWrite = (connection: SqliteWriter, query: CompiledQuery): void => {
  statementOf(connection, query.sql).run(...query.parameters);
};
