import "server-only";
import type { Db } from "@/lib/server/db";

type TWrite = ReturnType<Db["battle"]["updateMany"]> | ReturnType<Db["battle"]["create"]> | ReturnType<Db["response"]["update"]> | ReturnType<Db["turn"]["create"]>;

interface TQueued {
  write: () => TWrite[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

const globalForBatcher = globalThis as unknown as { arenaBattleWrites?: Map<Db, TQueued[]> };
const queues = (globalForBatcher.arenaBattleWrites ??= new Map<Db, TQueued[]>());

async function flush(db: Db): Promise<void> {
  const batch: TQueued[] = queues.get(db) ?? [];
  queues.delete(db);
  try {
    await db.$transaction(batch.flatMap((item) => item.write()));
    for (const item of batch) item.resolve();
  } catch (error) {
    if (batch.length === 1) return batch[0].reject(error);
    // One bad write must not sink the others: retry each group on its own.
    for (const item of batch) {
      await db.$transaction(item.write()).then(item.resolve, item.reject);
    }
  }
}

/**
 * Group commit for battle writes: every group queued in the same tick is saved in ONE transaction
 * (one commit, one fsync) at the next turn of the event loop. With SQLite each query blocks the
 * event loop that streams every other battle, so 50 battles starting together cost one commit
 * instead of fifty. Each group is atomic; if the batch fails, groups are retried one by one.
 * `write` builds the queries when the batch runs.
 */
export function saveBattleWrites(db: Db, write: () => TWrite[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const queue = queues.get(db);
    if (queue) return queue.push({ write, resolve, reject });
    queues.set(db, [{ write, resolve, reject }]);
    setImmediate(() => void flush(db));
  });
}
