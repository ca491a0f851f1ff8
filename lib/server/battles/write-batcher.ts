import "server-only";
import { Prisma, type Vote } from "@/lib/generated/sqlite/client";
import type { Db } from "@/lib/server/db";
import { inSqliteTransaction, sqliteDatabaseFile, sqliteValue, writableSqlite, type SqliteConnection } from "@/lib/server/db/sqlite-direct";

/** The rows of a new battle: its first turn and that turn's responses (ids chosen by the caller). */
export interface TNewBattleRows {
  battle: Prisma.BattleCreateManyInput;
  turn: Prisma.TurnCreateManyInput;
  responses: Prisma.ResponseCreateManyInput[];
}

/** Scalar response fields a generation round writes (no relations, no nested writes). */
export type TResponseFields = Partial<{
  status: "pending" | "streaming" | "complete" | "error";
  text: string | null;
  mediaSha256: string | null;
  mediaMime: string | null;
  mediaBytes: number | null;
  durationSeconds: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  firstTokenMs: number | null;
  latencyMs: number | null;
  errorKind: string | null;
  errorMessage: string | null;
  styleFeatures: Record<string, number>;
  completedAt: Date | null;
}>;

/** One battle write: a response's fields, or a generating battle marked ready. */
export type TBattleWrite = { kind: "response"; id: string; data: TResponseFields } | { kind: "battle-ready"; id: string; completedAt: Date };

type TGroup = { kind: "insert"; rows: TNewBattleRows } | { kind: "writes"; writes: TBattleWrite[] } | { kind: "vote"; vote: Vote; revealedAt: Date };

interface TQueued {
  group: TGroup;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const globalForBatcher = globalThis as unknown as { arenaBattleWrites?: Map<Db, TQueued[]>; arenaBattleWriters?: Map<string, SqliteWriter> };
const queues = (globalForBatcher.arenaBattleWrites ??= new Map<Db, TQueued[]>());
const writers = (globalForBatcher.arenaBattleWriters ??= new Map<string, SqliteWriter>());

/** Column lists of the rows written here, with their statements prepared once. */
class SqliteWriter {
  private readonly statements = new Map<string, { run(...parameters: unknown[]): unknown }>();
  private readonly inserts = new Map<string, { run(...parameters: unknown[]): unknown }>();
  constructor(readonly connection: SqliteConnection) {}

  private statement(sql: string) {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.connection.prepare(sql)));
    return statement;
  }

  insert(table: string, row: Record<string, unknown>): void {
    const columns = Object.keys(row).filter((column) => row[column] !== undefined);
    // Keyed by the column list: the statement's text is built once per shape of row.
    const shape = `${table}(${columns.join(",")})`;
    let insert = this.inserts.get(shape);
    if (!insert) {
      insert = this.statement(`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
      this.inserts.set(shape, insert);
    }
    insert.run(...columns.map((column) => sqliteValue(row[column])));
  }

  write(write: TBattleWrite): void {
    if (write.kind === "battle-ready") {
      this.statement(`UPDATE "Battle" SET "status" = 'ready', "completedAt" = ? WHERE "id" = ? AND "status" = 'generating'`).run(sqliteValue(write.completedAt), write.id);
      return;
    }
    const data = write.data as Record<string, unknown>;
    const columns = Object.keys(data).filter((column) => data[column] !== undefined);
    if (columns.length === 0) return;
    const sql = `UPDATE "Response" SET ${columns.map((column) => `"${column}" = ?`).join(", ")} WHERE "id" = ?`;
    this.statement(sql).run(...columns.map((column) => sqliteValue(data[column])), write.id);
  }

  vote(vote: Vote, revealedAt: Date): void {
    this.insert("Vote", vote as unknown as Record<string, unknown>);
    this.statement(`UPDATE "Battle" SET "status" = 'voted', "revealedAt" = ? WHERE "id" = ?`).run(sqliteValue(revealedAt), vote.battleId);
  }
}

/**
 * The battle writer of `db`'s SQLite file, on the process's writable connection (null on
 * PostgreSQL or an in-memory database: then Prisma writes).
 */
async function sqliteWriterFor(db: Db): Promise<SqliteWriter | null> {
  const file = await sqliteDatabaseFile(db);
  if (!file) return null;
  const connection = await writableSqlite(file);
  let writer = writers.get(file);
  if (!writer) writers.set(file, (writer = new SqliteWriter(connection)));
  return writer;
}

function prismaQueriesOf(db: Db, groups: TGroup[]) {
  const inserts = groups.flatMap((group) => (group.kind === "insert" ? [group.rows] : []));
  const queries: Prisma.PrismaPromise<unknown>[] = [];
  if (inserts.length > 0) {
    queries.push(
      db.battle.createMany({ data: inserts.map((rows) => rows.battle) }),
      db.turn.createMany({ data: inserts.map((rows) => rows.turn) }),
      db.response.createMany({ data: inserts.flatMap((rows) => rows.responses) }),
    );
  }
  for (const group of groups) {
    if (group.kind !== "writes") continue;
    for (const write of group.writes) {
      queries.push(
        write.kind === "battle-ready"
          ? db.battle.updateMany({ where: { id: write.id, status: "generating" }, data: { status: "ready", completedAt: write.completedAt } })
          : db.response.update({ where: { id: write.id }, data: write.data, select: { id: true } }),
      );
    }
  }
  for (const group of groups) {
    if (group.kind !== "vote") continue;
    queries.push(
      db.vote.create({ data: { ...group.vote, listeningEvents: group.vote.listeningEvents ?? Prisma.DbNull }, select: { id: true } }),
      db.battle.update({ where: { id: group.vote.battleId }, data: { status: "voted", revealedAt: group.revealedAt }, select: { id: true } }),
    );
  }
  return queries;
}

/**
 * One transaction for the groups: new battles first (a later write of the same batch may update
 * their responses), then the other writes, then votes. On a SQLite file, through a connection of our own with
 * prepared statements, synchronous inside the transaction; else a Prisma batch transaction with
 * multi-row inserts.
 */
async function commit(db: Db, groups: TGroup[]): Promise<void> {
  const writer = await sqliteWriterFor(db);
  if (!writer) {
    await db.$transaction(prismaQueriesOf(db, groups));
    return;
  }
  await inSqliteTransaction(writer.connection, () => {
    for (const group of groups) {
      if (group.kind !== "insert") continue;
      writer.insert("Battle", group.rows.battle as Record<string, unknown>);
      writer.insert("Turn", group.rows.turn as Record<string, unknown>);
      for (const response of group.rows.responses) writer.insert("Response", response as Record<string, unknown>);
    }
    for (const group of groups) if (group.kind === "writes") for (const write of group.writes) writer.write(write);
    for (const group of groups) if (group.kind === "vote") writer.vote(group.vote, group.revealedAt);
  });
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
 * Group commit for battle writes (and votes, saveVote): every group queued in the same tick is saved in ONE transaction
 * (one commit) at the next turn of the event loop. With SQLite each query blocks the event loop
 * that streams every other battle, so 50 battles starting together cost one commit instead of
 * fifty, and the statements are prepared once (Prisma compiled every batch anew, synchronously).
 * Each group is atomic; if the batch fails, groups are retried one by one.
 */
export function saveBattleWrites(db: Db, writes: TBattleWrite[]): Promise<void> {
  return enqueue(db, { kind: "writes", writes });
}

/**
 * Stores a vote and marks its battle voted and revealed, atomically, with the next group commit (see
 * saveBattleWrites). A second vote on the battle fails with a unique violation (isUniqueViolation in lib/server/db/errors.ts).
 */
export function saveVote(db: Db, vote: Vote, revealedAt: Date): Promise<void> {
  return enqueue(db, { kind: "vote", vote, revealedAt });
}

/** Inserts a new battle's rows with the next group commit (see saveBattleWrites). */
export function insertBattleRows(db: Db, rows: TNewBattleRows): Promise<void> {
  return enqueue(db, { kind: "insert", rows });
}
