import "server-only";
import type { Prisma } from "@/lib/generated/sqlite/client";
import type { Db } from "@/lib/server/db";

type TWrite = ReturnType<Db["battle"]["updateMany"]> | ReturnType<Db["response"]["update"]>;

/** The rows of a new battle: its first turn and that turn's responses (ids chosen by the caller). */
export interface TNewBattleRows {
  battle: Prisma.BattleCreateManyInput;
  turn: Prisma.TurnCreateManyInput;
  responses: Prisma.ResponseCreateManyInput[];
}

type TGroup = { kind: "insert"; rows: TNewBattleRows } | { kind: "write"; write: () => TWrite[] };

interface TQueued {
  group: TGroup;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const globalForBatcher = globalThis as unknown as { arenaBattleWrites?: Map<Db, TQueued[]> };
const queues = (globalForBatcher.arenaBattleWrites ??= new Map<Db, TQueued[]>());

/**
 * The queries of a batch: new battles first (a later write of the same batch may update their
 * responses), as three multi-row inserts whatever the number of battles, then the other writes.
 * Multi-row inserts also skip the read-back a nested `create` does.
 */
function queriesOf(db: Db, groups: TGroup[]) {
  const inserts = groups.flatMap((group) => (group.kind === "insert" ? [group.rows] : []));
  const queries: Array<TWrite | ReturnType<Db["battle"]["createMany"]>> = [];
  if (inserts.length > 0) {
    queries.push(
      db.battle.createMany({ data: inserts.map((rows) => rows.battle) }),
      db.turn.createMany({ data: inserts.map((rows) => rows.turn) }),
      db.response.createMany({ data: inserts.flatMap((rows) => rows.responses) }),
    );
  }
  for (const group of groups) if (group.kind === "write") queries.push(...group.write());
  return queries;
}

async function commit(db: Db, groups: TGroup[]): Promise<void> {
  await db.$transaction(queriesOf(db, groups));
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

function enqueue(db: Db, group: TGroup): Promise<void> {
  return new Promise((resolve, reject) => {
    const queue = queues.get(db);
    if (queue) return queue.push({ group, resolve, reject });
    queues.set(db, [{ group, resolve, reject }]);
    setImmediate(() => void flush(db));
  });
}

/**
 * Group commit for battle writes: every group queued in the same tick is saved in ONE transaction
 * (one commit) at the next turn of the event loop. With SQLite each query blocks the event loop
 * that streams every other battle, so 50 battles starting together cost one commit instead of
 * fifty. Each group is atomic; if the batch fails, groups are retried one by one. `write` builds the
 * queries when the batch runs.
 */
export function saveBattleWrites(db: Db, write: () => TWrite[]): Promise<void> {
  return enqueue(db, { kind: "write", write });
}

/** Inserts a new battle's rows with the next group commit (see saveBattleWrites). */
export function insertBattleRows(db: Db, rows: TNewBattleRows): Promise<void> {
  return enqueue(db, { kind: "insert", rows });
}
