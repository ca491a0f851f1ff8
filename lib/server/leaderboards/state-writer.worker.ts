/**
 * Writes one LeaderboardState row on SQLite through a connection of its own, then exits (started by
 * ./snapshot-store.ts): with a busy timeout, only this thread waits for the database.
 */
import { workerData } from "node:worker_threads";

import { requireLibsql } from "@/lib/server/workers/libsql";

/** What this worker receives; `data` is transferred. */
export interface TStateWriterData {
  libsql: string;
  file: string;
  sql: string;
  key: string;
  updatedAt: string;
  data: Uint8Array;
  /** False when the WAL checkpoint thread runs, so this connection leaves checkpoints to it. */
  autocheckpoint: boolean;
}

const { libsql, file, sql, key, updatedAt, data, autocheckpoint } = workerData as TStateWriterData;
const Database = requireLibsql(libsql);
const connection = new Database(file);
try {
  connection.exec("PRAGMA busy_timeout = 10000");
  connection.exec("PRAGMA synchronous = NORMAL");
  if (!autocheckpoint) connection.exec("PRAGMA wal_autocheckpoint = 0");
  connection.prepare(sql).run(key, updatedAt, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
} finally {
  connection.close();
}
