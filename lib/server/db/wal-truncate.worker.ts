/**
 * One TRUNCATE checkpoint of a SQLite file (started by truncateWal in ./wal-checkpointer.ts): copies
 * every WAL frame into the database, truncates the WAL to zero bytes, and posts SQLite's busy flag.
 */
import { parentPort, workerData } from "node:worker_threads";

import { sql } from "kysely";

import { sqliteQueries } from "@/lib/server/store/sqlite-compiled";
import { firstRow, type SqliteRunner } from "@/lib/server/store/sqlite-run";
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
  // No builder for PRAGMA: a typed template. Its row: busy (1 when a reader or writer blocked it), log and checkpointed frames.
  const row = firstRow(connection as unknown as SqliteRunner, sql<{ busy: number; log: number; checkpointed: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.compile(sqliteQueries));
  parentPort?.postMessage(row ? Number(row.busy) : 1);
} finally {
  connection.close();
}
