/**
 * Typed SQL on our own libsql connections to the SQLite file (read-only readers, writer threads):
 * queries are built with Kysely against the generated schema types and compiled (the hot ones once:
 * ./precompile.ts); ./sqlite-run.ts runs them. Imports only Kysely and types: worker threads load this
 * module (not the read-ahead thread, which gets its queries compiled: ./query-template.ts).
 */
import { SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type CompiledQuery, type Insertable, type Updateable } from "kysely";
import type { SqliteTables } from "./kysely";
import { compileOnly, placeholder } from "./precompile";

/**
 * The vote ledger's tables (prisma/migrations/*_vote_ledger), kept by triggers outside the Prisma
 * schema, so typed here: "line" is "<modelA> <modelB> <outcome 0|1|2> <annotator> <YYYY-MM-DD>" in
 * RatingNumber numbers.
 */
interface SqliteLedgerTables {
  RatingNumber: { number: number; id: string };
  VoteLedger: { modality: string; createdAt: string; voteId: string; userNumber: number; line: string };
}

export type SqliteReadTables = SqliteTables & SqliteLedgerTables;

/** Builds and compiles SQLite queries; it has no connection (the callers run the compiled text). */
export const sqliteQueries = compileOnly<SqliteReadTables>(new SqliteAdapter(), () => new SqliteQueryCompiler(), (db) => new SqliteIntrospector(db));

/** Inserts compiled once per table and set of columns (insertRow). */
const inserts = new Map<string, { query: CompiledQuery; columns: string[] }>();

/**
 * An INSERT of one full row into `table`, compiled once per table and set of columns: the row's values
 * in the compiled order. Rows of one table from one converter (sqlite-rows.ts) always have the same columns.
 */
export function insertRow<T extends keyof SqliteReadTables & string>(table: T, row: Insertable<SqliteReadTables[T]>): CompiledQuery {
  const columns = Object.keys(row).sort();
  const key = `${table}\u0000${columns.join(",")}`;
  let insert = inserts.get(key);
  if (!insert) {
    const stand = columns.map((_, index) => placeholder(index));
    const query = sqliteQueries
      .insertInto(table)
      .values(Object.fromEntries(columns.map((column, index) => [column, stand[index]])) as never)
      .compile();
    insert = { query, columns: query.parameters.map((parameter) => columns[stand.indexOf(parameter as string)]!) };
    inserts.set(key, insert);
  }
  return { ...insert.query, parameters: insert.columns.map((column) => (row as Record<string, unknown>)[column]) };
}

/** Answer updates compiled once per set of columns (updateResponse). */
const updates = new Map<string, { query: CompiledQuery; sources: Array<string | null> }>();

/**
 * `UPDATE Response SET <fields> WHERE id = ?`, compiled once per set of columns, like insertRow: the
 * answers' writes change a few shapes of fields (partial text, the final answer, a failure) many times.
 */
export function updateResponse(id: string, fields: Updateable<SqliteReadTables["Response"]>): CompiledQuery {
  // Like Kysely's set(), a field set to undefined is not written.
  const columns = Object.keys(fields)
    .filter((column) => (fields as Record<string, unknown>)[column] !== undefined)
    .sort();
  const key = columns.join(",");
  let update = updates.get(key);
  if (!update) {
    const stand = columns.map((_, index) => placeholder(index));
    const idStand = placeholder(columns.length);
    const query = sqliteQueries
      .updateTable("Response")
      .set(Object.fromEntries(columns.map((column, index) => [column, stand[index]])))
      .where("id", "=", idStand)
      .compile();
    // For each parameter: the column whose value it takes, or null for the id.
    const sources = query.parameters.map((parameter: unknown) => (parameter === idStand ? null : columns[stand.indexOf(parameter as string)]!));
    update = { query, sources };
    updates.set(key, update);
  }
  return { ...update.query, parameters: update.sources.map((column) => (column === null ? id : (fields as Record<string, unknown>)[column])) };
}
