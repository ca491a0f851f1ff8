/**
 * Runs compiled read queries on a read-only connection of its own, posts their rows, then exits
 * (started by ./leaderboard-sqlite.ts): a grouped scan of a million votes takes hundreds of
 * milliseconds inside the driver, which on the request thread would hold its event loop as long.
 */
import { parentPort, workerData } from "node:worker_threads";

import { requireLibsql } from "@/lib/server/workers/libsql";

/** What this worker receives. */
export interface TSqliteReadData {
  libsql: string;
  file: string;
  queries: { sql: string; parameters: readonly unknown[] }[];
}

const port = parentPort;
if (!port) throw new Error("sqlite-read.worker runs as a worker thread");
const { libsql, file, queries } = workerData as TSqliteReadData;
const Database = requireLibsql(libsql);
const connection = new Database(file, { readonly: true });
try {
  port.postMessage(queries.map((query) => connection.prepare(query.sql).all(...query.parameters)));
} finally {
  connection.close();
}
