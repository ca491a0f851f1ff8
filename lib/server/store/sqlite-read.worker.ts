/**
 * Runs compiled read queries on a read-only connection of its own, in order, posts each query's rows
 * as soon as it has them, then exits (started by ./leaderboard-sqlite.ts): a grouped scan of a million
 * votes takes hundreds of milliseconds inside the driver, which on the request thread would hold its
 * event loop as long. One thread runs several scans in turn, so a caller that needs several pays for
 * one thread start (~0.1 CPU s) instead of one per scan, and gets the first rows before the last scan.
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
/**
 * The blobs of `rows` (libsql returns a blob as an ArrayBuffer of its own), to transfer rather than
 * clone: the vote-log checkpoint (≈ 8 MB) copied into the request thread's heap on arrival held its
 * event loop 20–30 ms of a restarted process's first recomputation (stalls3).
 */
function blobsOf(rows: unknown[]): ArrayBuffer[] {
  const blobs: ArrayBuffer[] = [];
  for (const row of rows) if (row !== null && typeof row === "object") for (const value of Object.values(row)) if (value instanceof ArrayBuffer) blobs.push(value);
  return blobs;
}

try {
  for (const query of queries) {
    const rows = connection.prepare(query.sql).all(...query.parameters) as unknown[];
    port.postMessage(rows, blobsOf(rows));
  }
} finally {
  connection.close();
}
