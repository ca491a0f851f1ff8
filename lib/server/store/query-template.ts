/**
 * A query compiled by Kysely once (./precompile.ts) as plain data: its compiled form and where each
 * argument goes. Filling in arguments needs no Kysely (its types only), so a worker thread that runs
 * only such queries gets them in its workerData and never loads Kysely: loading it (with pg, which
 * ./common-queries.ts pulls in) cost each read-ahead thread ~0.25 CPU s at every start.
 */
import type { CompiledQuery } from "kysely";

export interface TQueryTemplate<O> {
  compiled: CompiledQuery<O>;
  /** For each parameter of `compiled`: the argument it takes (its index), or -1 for a constant of the query. */
  sources: number[];
}

/** The template's query with `args` put where its arguments go (the constants stay as compiled). */
export const fillTemplate = <O>({ compiled, sources }: TQueryTemplate<O>, args: readonly unknown[]): CompiledQuery<O> => ({
  ...compiled,
  parameters: sources.map((source, index) => (source === -1 ? compiled.parameters[index] : args[source])),
});
