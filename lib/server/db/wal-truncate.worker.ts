/**
 * One TRUNCATE checkpoint of a SQLite file (started by truncateWal in ./wal-checkpointer.ts): copies
 * every WAL frame into the database, truncates the WAL to zero bytes, and posts SQLite's busy flag.
 */
import { parentPort, workerData } from "node:worker_threads";

import { requireLibsql } from "@/lib/server/workers/libsql";

export interface TWalTruncateData {
  libsql: string;
  file: string;
}

const { libsql, file } = workerData as TWalTruncateData;
const Database = requireLibsql(libsql);
const connection = new Database(file);
try {
  connection.exec("PRAGMA busy_timeout = 10000");
  const row = connection.prepare("PRAGMA wal_checkpoint(TRUNCATE)").raw(true).get();
  parentPort?.postMessage(Array.isArray(row) ? Number(row[0]) : 1);
} finally {
  connection.close();
}
