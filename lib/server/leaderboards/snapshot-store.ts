import "server-only";
import { randomUUID } from "node:crypto";
import type { Worker } from "node:worker_threads";
import type { TLeaderboardData } from "@/lib/domain/leaderboard/snapshot";
import type { TModality } from "@/lib/domain/vocabulary";
import { isPostgres } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { inSqliteTransaction, sqliteDatabaseFile, sqliteDate, writableSqlite } from "@/lib/server/db/sqlite-direct";
import { walCheckpointerRunning } from "@/lib/server/db/wal-checkpointer";
import { libsqlModulePath } from "@/lib/server/workers/libsql";
import { startWorker } from "@/lib/server/workers/start-worker";
import type { TStateWriterData } from "./state-writer.worker";
import { STYLE_VARIANT } from "./variants";

/** Writing snapshots and LeaderboardState rows (the vote-log checkpoint, fingerprints, the style fit). */

export const VOTE_LOG_STATE_KEY = "vote-log";
const STYLE_STATE_KEY = "style";

/** Writes one LeaderboardState row on SQLite off this thread (./state-writer.worker.ts). */
export async function writeStateRowOffThread(db: Db, key: string, data: Uint8Array<ArrayBuffer>): Promise<void> {
  const file = await sqliteDatabaseFile(db);
  if (!file) return writeLeaderboardRows(db, [{ kind: "state", key, data }]);
  const owned = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
  let worker: Worker;
  try {
    const workerData: TStateWriterData = { libsql: libsqlModulePath(), file, sql: UPSERT_STATE_SQLITE, key, updatedAt: sqliteDate(new Date()), data: owned, autocheckpoint: !walCheckpointerRunning(file) };
    worker = startWorker("lib/server/leaderboards/state-writer.worker.ts", { workerData, transferList: [owned.buffer] });
  } catch {
    return writeLeaderboardRows(db, [{ kind: "state", key, data: owned }]);
  }
  await new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the writer thread exited with code ${code}`))));
  });
}

/** One row write of a recomputation; see writeLeaderboardRows. */
export type TLeaderboardWrite =
  | { kind: "snapshot"; data: TLeaderboardData; computedAt: Date }
  | { kind: "state"; key: string; data: Uint8Array }
  /** Deletes the modality's snapshots of every other variant. */
  | { kind: "keep-only"; modality: TModality; variants: string[] };

const UPSERT_SNAPSHOT_SQLITE = `
  INSERT INTO "LeaderboardSnapshot" ("id", "modality", "variant", "computedAt", "voteCount", "data") VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT ("modality", "variant") DO UPDATE SET "computedAt" = excluded."computedAt", "voteCount" = excluded."voteCount", "data" = excluded."data"`;
const UPSERT_STATE_SQLITE = `
  INSERT INTO "LeaderboardState" ("key", "updatedAt", "data") VALUES (?, ?, ?)
  ON CONFLICT ("key") DO UPDATE SET "updatedAt" = excluded."updatedAt", "data" = excluded."data"`;
const KEEP_ONLY_SQLITE = `DELETE FROM "LeaderboardSnapshot" WHERE "modality" = ? AND "variant" NOT IN (SELECT "value" FROM json_each(?))`;

/**
 * Writes leaderboard rows in one transaction, in raw SQL: Prisma's upsert compiles each query,
 * re-serializes the JSON and reads the row back (the whole 8 MB vote log, for the checkpoint). On a
 * SQLite file, through a writable libsql connection of its own with prepared statements, which also
 * skips the driver adapter's per-value conversions (the checkpoint went out as base64); else raw
 * statements in a Prisma transaction. Dates in SQLite as the driver adapter stores them.
 */
export async function writeLeaderboardRows(db: Db, writes: TLeaderboardWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const file = await sqliteDatabaseFile(db);
  if (file) {
    const connection = await writableSqlite(file);
    const upsertSnapshot = connection.prepare(UPSERT_SNAPSHOT_SQLITE);
    const upsertState = connection.prepare(UPSERT_STATE_SQLITE);
    const keepOnly = connection.prepare(KEEP_ONLY_SQLITE);
    await inSqliteTransaction(connection, () => {
      for (const write of writes) {
        if (write.kind === "snapshot") {
          const { data } = write;
          upsertSnapshot.run(`lbs_${randomUUID()}`, data.modality, data.variant, sqliteDate(write.computedAt), data.voteCount, JSON.stringify(data));
        } else if (write.kind === "state") upsertState.run(write.key, sqliteDate(new Date()), Buffer.from(write.data.buffer, write.data.byteOffset, write.data.byteLength));
        else keepOnly.run(write.modality, JSON.stringify(write.variants));
      }
    });
    return;
  }
  await db.$transaction(
    writes.map((write) => {
      if (write.kind === "keep-only") return db.leaderboardSnapshot.deleteMany({ where: { modality: write.modality, variant: { notIn: write.variants } } });
      if (write.kind === "state") return upsertStateRaw(db, write.key, write.data);
      return upsertSnapshotRaw(db, write.data, write.computedAt);
    }),
  );
}

function upsertSnapshotRaw(db: Db, data: TLeaderboardData, computedAt: Date) {
  const json = JSON.stringify(data);
  const id = `lbs_${randomUUID()}`;
  return isPostgres
    ? db.$executeRaw`
        INSERT INTO "LeaderboardSnapshot" ("id", "modality", "variant", "computedAt", "voteCount", "data")
        VALUES (${id}, CAST(${data.modality} AS "Modality"), ${data.variant}, ${computedAt}, ${data.voteCount}, CAST(${json} AS jsonb))
        ON CONFLICT ("modality", "variant") DO UPDATE SET "computedAt" = EXCLUDED."computedAt", "voteCount" = EXCLUDED."voteCount", "data" = EXCLUDED."data"`
    : db.$executeRawUnsafe(UPSERT_SNAPSHOT_SQLITE, id, data.modality, data.variant, sqliteDate(computedAt), data.voteCount, json);
}

function upsertStateRaw(db: Db, key: string, data: Uint8Array) {
  const updatedAt = new Date();
  return isPostgres
    ? db.$executeRaw`
        INSERT INTO "LeaderboardState" ("key", "updatedAt", "data") VALUES (${key}, ${updatedAt}, ${data})
        ON CONFLICT ("key") DO UPDATE SET "updatedAt" = EXCLUDED."updatedAt", "data" = EXCLUDED."data"`
    : db.$executeRawUnsafe(UPSERT_STATE_SQLITE, key, sqliteDate(updatedAt), data);
}

const snapshotFingerprintKey = (modality: TModality) => `snapshots:${modality}`;

/**
 * The variants stored for `modality` when they were computed from the state `fingerprint` names
 * (same vote log, exclusions, model names and settings), else none: they must be recomputed.
 */
export async function currentSnapshotVariants(db: Db, modality: TModality, fingerprint: string): Promise<string[]> {
  const row = await db.leaderboardState.findUnique({ where: { key: snapshotFingerprintKey(modality) }, select: { data: true } });
  if (!row || new TextDecoder().decode(row.data) !== fingerprint) return [];
  const snapshots = await db.leaderboardSnapshot.findMany({ where: { modality }, select: { variant: true } });
  return snapshots.map((snapshot) => snapshot.variant);
}

export const snapshotFingerprintWrite = (modality: TModality, fingerprint: string): TLeaderboardWrite => ({
  kind: "state",
  key: snapshotFingerprintKey(modality),
  data: new TextEncoder().encode(fingerprint),
});

interface TStyleFit {
  /** Text votes in the aggregate when style control was fitted. */
  fittedAt: number;
  excludedFingerprint: string;
}

/**
 * When the stored style snapshot was fitted, as recorded by recordStyleFit; null when there is no
 * style snapshot or it was fitted under another set of exclusions (so it is refitted).
 */
export async function storedStyleFit(db: Db, excludedFingerprint: string): Promise<number | null> {
  const row = await db.leaderboardState.findUnique({ where: { key: STYLE_STATE_KEY }, select: { data: true } });
  if (!row) return null;
  const snapshot = await db.leaderboardSnapshot.findUnique({ where: { modality_variant: { modality: "text", variant: STYLE_VARIANT } }, select: { id: true } });
  if (!snapshot) return null;
  try {
    const fit = JSON.parse(new TextDecoder().decode(row.data)) as Partial<TStyleFit>;
    return fit.excludedFingerprint === excludedFingerprint && typeof fit.fittedAt === "number" ? fit.fittedAt : null;
  } catch {
    return null;
  }
}

export async function recordStyleFit(db: Db, fit: TStyleFit): Promise<void> {
  const data = new TextEncoder().encode(JSON.stringify(fit));
  await writeLeaderboardRows(db, [{ kind: "state", key: STYLE_STATE_KEY, data }]);
}

