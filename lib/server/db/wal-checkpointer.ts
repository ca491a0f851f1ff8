/**
 * WAL checkpoints of a SQLite file on a thread of their own. SQLite's automatic checkpoint runs on
 * the connection that commits the 1000th page, inside that commit, with an fsync: on the app's
 * single event loop that stalled every stream for 100–200 ms each time (measured under 50 battles
 * in flight). With this running, the app's connections turn the automatic checkpoint off and this
 * worker checkpoints every CHECKPOINT_INTERVAL_MS with its own connection. PASSIVE never waits for
 * readers or writers; the WAL file is reused once a checkpoint has copied it all.
 *
 * No "server-only": scripts use the same adapter.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

const CHECKPOINT_INTERVAL_MS = 1000;

/** Plain CommonJS, evaluated, so it needs neither tsx nor a file of its own in the bundle. */
const CHECKPOINT_WORKER = `
const { workerData } = require("node:worker_threads");
const Database = require(workerData.libsql);
const connection = new Database(workerData.file);
connection.exec("PRAGMA busy_timeout = 0");
setInterval(() => {
  try {
    connection.exec("PRAGMA wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or a transient error: the next round tries again.
  }
}, workerData.intervalMs);
`;

const running = new Map<string, Worker>();

/**
 * Starts the checkpoint thread for `file` once per process. False when it cannot start (then the
 * caller keeps SQLite's automatic checkpoints). The thread does not keep the process alive.
 */
export function startWalCheckpointer(file: string): boolean {
  if (running.has(file)) return true;
  try {
    const worker = new Worker(CHECKPOINT_WORKER, { eval: true, execArgv: [], workerData: { libsql: libsqlModulePath(), file, intervalMs: CHECKPOINT_INTERVAL_MS } });
    worker.unref();
    worker.on("error", (error) => {
      console.warn("[db] WAL checkpoint thread stopped:", error.message);
      running.delete(file);
    });
    running.set(file, worker);
    return true;
  } catch {
    return false;
  }
}

/** Whether the checkpoint thread of `file` runs (the automatic checkpoint may stay off). */
export function walCheckpointerRunning(file: string): boolean {
  return running.has(file);
}

/** Where the `libsql` driver resolves from the app, for worker threads that `require` it by path. */
export function libsqlModulePath(): string {
  return createRequire(path.join(/* turbopackIgnore: true */ process.cwd(), "package.json")).resolve("libsql");
}

/** Checkpoints every WAL frame into the database and truncates the WAL file to zero bytes, then reports SQLite's busy flag. */
const TRUNCATE_WORKER = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.libsql);
const connection = new Database(workerData.file);
try {
  connection.exec("PRAGMA busy_timeout = 10000");
  const row = connection.prepare("PRAGMA wal_checkpoint(TRUNCATE)").raw(true).get();
  parentPort.postMessage(Array.isArray(row) ? Number(row[0]) : 1);
} finally {
  connection.close();
}
`;

/**
 * Copies every WAL frame into `file` and truncates the WAL to zero bytes, on a thread of its own (it may
 * wait up to 10 s for readers), so text just overwritten (an erased account) does not linger in old WAL
 * frames. True when the checkpoint completed; false when readers kept it busy (the periodic checkpoint
 * copies the new pages later, and the WAL's old frames are overwritten as it is reused).
 */
export async function truncateWal(file: string): Promise<boolean> {
  const worker = new Worker(TRUNCATE_WORKER, { eval: true, execArgv: [], workerData: { libsql: libsqlModulePath(), file } });
  return new Promise<boolean>((resolve) => {
    let busy = 1;
    worker.on("message", (flag: number) => (busy = flag));
    worker.once("error", () => resolve(false));
    worker.once("exit", (code) => resolve(code === 0 && busy === 0));
  });
}
