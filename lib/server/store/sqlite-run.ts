/**
 * Running compiled queries SYNCHRONOUSLY on our own libsql connections (read-only readers, writer
 * threads), through prepared statements kept per connection. Synchronous because the callers are a
 * worker thread's loop and parsers that resolve numbers while they scan (Kysely's own driver is async
 * and prepares every statement again). No Kysely at run time (its types only): the read-ahead thread
 * loads this module and would otherwise pay for loading Kysely on every start (./sqlite-compiled.ts
 * builds the queries).
 */
import type { CompiledQuery } from "kysely";

/** Dates as the SQLite driver adapter stores them (ISO 8601 with "+00:00"), so text comparison is time order. */
export const sqliteDate = (date: Date) => date.toISOString().replace("Z", "+00:00");

/** A time in ms as the SQLite driver adapter stores dates (sqliteDate). */
export const sqliteTime = (ms: number) => sqliteDate(new Date(ms));

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
