/**
 * Writes one LeaderboardState row on SQLite through a connection of its own, then exits (started by
 * lib/server/store/leaderboard-sqlite.ts): with a busy timeout, only this thread waits for the database.
 */
import { workerData } from "node:worker_threads";

import { requireLibsql } from "@/lib/server/workers/libsql";

/** What this worker receives: the upsert compiled by Kysely; its blob parameter is transferred. */
export interface TStateWriterData {
  libsql: string;
  file: string;
  sql: string;
  parameters: unknown[];
  /** False when the WAL checkpoint thread runs, so this connection leaves checkpoints to it. */
  autocheckpoint: boolean;
}

const { libsql, file, sql, parameters, autocheckpoint } = workerData as TStateWriterData;
const Database = requireLibsql(libsql);
const connection = new Database(file);
try {
  connection.exec("PRAGMA busy_timeout = 10000");
  connection.exec("PRAGMA synchronous = NORMAL");
  if (!autocheckpoint) connection.exec("PRAGMA wal_autocheckpoint = 0");
  // A Buffer arrives as a plain Uint8Array; the driver binds Buffers as blobs.
  connection.prepare(sql).run(...parameters.map((value) => (value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value)));
} finally {
  connection.close();
}
