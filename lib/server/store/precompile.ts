/**
 * Hot queries compiled by Kysely ONCE, in either dialect: the SQLite store, the leaderboard's SQLite
 * reads and the PostgreSQL store build their hot statements at load and fill in arguments per call.
 * Imports only Kysely: worker threads load this module.
 */
import { DummyDriver, Kysely, type Compilable, type CompiledQuery, type DatabaseIntrospector, type DialectAdapter, type QueryCompiler } from "kysely";
import { fillTemplate, type TQueryTemplate } from "./query-template";

/** Stands for argument `index` while a query is compiled (text no caller sends: it starts with NUL). */
export const placeholder = (index: number) => `\u0000precompiled-argument-${index}\u0000`;

/**
 * A query built and compiled by Kysely ONCE, then run with new arguments: `build` is called once with
 * stand-ins for its arguments, and each call returns the compiled text with the arguments put where the
 * stand-ins were (other parameters, constants of the query, stay as compiled). Kysely's building and
 * compiling cost more CPU than running a short prepared statement, so the hot queries compile at load.
 * The arguments must be values as stored (`build` may not transform them), each used at least once; an
 * argument may be any value the driver takes for one parameter (an array for PostgreSQL's `= any($1)`).
 */
export function precompile<A extends unknown[], O>(arity: A["length"], build: (...args: A) => Compilable<O>): ((...args: A) => CompiledQuery<O>) & { template: TQueryTemplate<O> } {
  const stand = Array.from({ length: arity }, (_, index) => placeholder(index));
  const compiled = build(...(stand as A)).compile();
  const sources = compiled.parameters.map((parameter) => stand.indexOf(parameter as string));
  const unused = stand.findIndex((_, index) => !sources.includes(index));
  if (unused !== -1) throw new Error(`precompile: argument ${unused} does not reach the query's parameters (was it transformed?)`);
  const template: TQueryTemplate<O> = { compiled, sources };
  // The template goes along for a worker thread that fills it in without Kysely (./query-template.ts).
  return Object.assign((...args: A) => fillTemplate(template, args), { template });
}

/** A Kysely instance that only builds and compiles queries for a dialect (it has no connection: the callers run the compiled text). */
export function compileOnly<DB>(adapter: DialectAdapter, compiler: () => QueryCompiler, introspector: (db: Kysely<DB>) => DatabaseIntrospector): Kysely<DB> {
  return new Kysely<DB>({
    dialect: { createAdapter: () => adapter, createDriver: () => new DummyDriver(), createIntrospector: introspector, createQueryCompiler: compiler },
  });
}
