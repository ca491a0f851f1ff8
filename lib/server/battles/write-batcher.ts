import "server-only";
import type { Vote } from "@/lib/generated/sqlite/client";
import type { Db } from "@/lib/server/db";
import { storeOf, type TBattleWrite, type TNewBattleRows, type TWriteGroup } from "@/lib/server/store";

export type { TBattleWrite, TNewBattleRows, TResponseFields } from "@/lib/server/store";

interface TQueued {
  group: TWriteGroup;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const globalForBatcher = globalThis as unknown as { arenaBattleWrites?: Map<Db, TQueued[]> };
const queues = (globalForBatcher.arenaBattleWrites ??= new Map<Db, TQueued[]>());

async function commit(db: Db, groups: TWriteGroup[]): Promise<void> {
  await (await storeOf(db)).commit(groups);
}

async function flush(db: Db): Promise<void> {
  const batch: TQueued[] = queues.get(db) ?? [];
  queues.delete(db);
  try {
    await commit(
      db,
      batch.map((item) => item.group),
    );
    for (const item of batch) item.resolve();
  } catch (error) {
    if (batch.length === 1) return batch[0].reject(error);
    // One bad write must not sink the others: retry each group on its own.
    for (const item of batch) {
      await commit(db, [item.group]).then(item.resolve, item.reject);
    }
  }
}

function enqueue(db: Db, group: TWriteGroup): Promise<void> {
  return new Promise((resolve, reject) => {
    const queue = queues.get(db);
    if (queue) return queue.push({ group, resolve, reject });
    queues.set(db, [{ group, resolve, reject }]);
    setImmediate(() => void flush(db));
  });
}

/**
 * Group commit for battle writes (and votes, saveVote): every group queued in the same tick is saved in ONE transaction
 * (one commit) by the store (lib/server/store) at the next turn of the event loop. With SQLite each
 * query blocks the event loop that streams every other battle, and with PostgreSQL each statement is a
 * round trip, so 50 battles starting together cost one commit instead of fifty. Each group is atomic;
 * if the batch fails, groups are retried one by one.
 */
export function saveBattleWrites(db: Db, writes: TBattleWrite[]): Promise<void> {
  return enqueue(db, { kind: "writes", writes });
}

/**
 * Stores a vote and marks its battle voted (and revealed at the vote unless revealed before), atomically,
 * with the next group commit (see saveBattleWrites). A second vote on the battle fails with a unique
 * violation (isUniqueViolation in lib/server/db/errors.ts).
 */
export function saveVote(db: Db, vote: Vote): Promise<void> {
  return enqueue(db, { kind: "vote", vote });
}

/** Inserts a new battle's rows with the next group commit (see saveBattleWrites). */
export function insertBattleRows(db: Db, rows: TNewBattleRows): Promise<void> {
  return enqueue(db, { kind: "insert", rows });
}
