/**
 * The WAL checkpoint thread of one SQLite file (started by ./wal-checkpointer.ts): a PASSIVE
 * checkpoint every `intervalMs` through a connection of its own.
 */
import { workerData } from "node:worker_threads";

import { requireLibsql } from "@/lib/server/workers/libsql";

export interface TWalCheckpointData {
  libsql: string;
  file: string;
  intervalMs: number;
}

const { libsql, file, intervalMs } = workerData as TWalCheckpointData;
const Database = requireLibsql(libsql);
const connection = new Database(file);
connection.exec("PRAGMA busy_timeout = 0");
setInterval(() => {
  try {
    connection.exec("PRAGMA wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or a transient error: the next round tries again.
  }
}, intervalMs);
