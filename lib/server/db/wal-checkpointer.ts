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
import type { Worker } from "node:worker_threads";

import { libsqlModulePath } from "@/lib/server/workers/libsql";
import { startWorker } from "@/lib/server/workers/start-worker";

import type { TWalCheckpointData } from "./wal-checkpoint.worker";
import type { TWalTruncateData } from "./wal-truncate.worker";

const CHECKPOINT_INTERVAL_MS = 1000;

const running = new Map<string, Worker>();

/**
 * Starts the checkpoint thread for `file` once per process. False when it cannot start (then the
 * caller keeps SQLite's automatic checkpoints). The thread does not keep the process alive.
 */
export function startWalCheckpointer(file: string): boolean {
  if (running.has(file)) return true;
  try {
    const workerData: TWalCheckpointData = { libsql: libsqlModulePath(), file, intervalMs: CHECKPOINT_INTERVAL_MS };
    const worker = startWorker("lib/server/db/wal-checkpoint.worker.ts", { workerData });
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

/**
 * Copies every WAL frame into `file` and truncates the WAL to zero bytes, on a thread of its own (it may
 * wait up to 10 s for readers), so text just overwritten (an erased account) does not linger in old WAL
 * frames. True when the checkpoint completed; false when readers kept it busy (the periodic checkpoint
 * copies the new pages later, and the WAL's old frames are overwritten as it is reused).
 */
export async function truncateWal(file: string): Promise<boolean> {
  const workerData: TWalTruncateData = { libsql: libsqlModulePath(), file };
  const worker = startWorker("lib/server/db/wal-truncate.worker.ts", { workerData });
  return new Promise<boolean>((resolve) => {
    let busy = 1;
    worker.on("message", (flag: number) => (busy = flag));
    worker.once("error", () => resolve(false));
    worker.once("exit", (code) => resolve(code === 0 && busy === 0));
  });
}
