import "server-only";
import type { TLeaderboardData } from "@/lib/domain/leaderboard/snapshot";
import type { TModality } from "@/lib/domain/vocabulary";
import type { Db } from "@/lib/server/db";
import { leaderboardStore } from "@/lib/server/store/leaderboard-store";
import { STYLE_VARIANT } from "./variants";

/** Writing snapshots and LeaderboardState rows (the vote-log checkpoint, fingerprints, the style fit). */

export const VOTE_LOG_STATE_KEY = "vote-log";
const STYLE_STATE_KEY = "style";

/** Writes one LeaderboardState row, off this thread where the store can (the vote-log checkpoint). */
export const writeStateRowOffThread = (db: Db, key: string, data: Uint8Array<ArrayBuffer>): Promise<void> => leaderboardStore(db).writeStateRow(key, data);

/** One row write of a recomputation; see writeLeaderboardRows. */
export type TLeaderboardWrite =
  | { kind: "snapshot"; data: TLeaderboardData; computedAt: Date }
  | { kind: "state"; key: string; data: Uint8Array }
  /** Deletes the modality's snapshots of every other variant. */
  | { kind: "keep-only"; modality: TModality; variants: string[] }
  /** The modality's LiftSnapshot (./lift.ts), stored or replaced. */
  | { kind: "lift"; modality: TModality; computedAt: Date; voteCount: number; data: unknown }
  /** Deletes the modality's LiftSnapshot. */
  | { kind: "no-lift"; modality: TModality };

/** Writes leaderboard rows in one transaction (Prisma's upsert would re-serialize the JSON and read the 8 MB checkpoint back). */
export const writeLeaderboardRows = (db: Db, writes: TLeaderboardWrite[]): Promise<void> => leaderboardStore(db).writeRows(writes);

const snapshotFingerprintKey = (modality: TModality) => `snapshots:${modality}`;

/**
 * The variants stored for `modality` when they were computed from the state `fingerprint` names
 * (same vote log, exclusions, model names and settings), else none: they must be recomputed.
 */
export async function currentSnapshotVariants(db: Db, modality: TModality, fingerprint: string): Promise<string[]> {
  const store = leaderboardStore(db);
  if ((await store.readStateText(snapshotFingerprintKey(modality))) !== fingerprint) return [];
  return store.snapshotVariants(modality);
}

/** Whether any snapshots of `modality` were stored with their fingerprint; when not, the modality is refitted whatever its votes. */
export async function hasSnapshotFingerprint(db: Db, modality: TModality): Promise<boolean> {
  return (await leaderboardStore(db).readStateText(snapshotFingerprintKey(modality))) !== null;
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
  const store = leaderboardStore(db);
  const text = await store.readStateText(STYLE_STATE_KEY);
  if (text === null) return null;
  if (!(await store.snapshotVariants("text")).includes(STYLE_VARIANT)) return null;
  try {
    const fit = JSON.parse(text) as Partial<TStyleFit>;
    return fit.excludedFingerprint === excludedFingerprint && typeof fit.fittedAt === "number" ? fit.fittedAt : null;
  } catch {
    return null;
  }
}

export async function recordStyleFit(db: Db, fit: TStyleFit): Promise<void> {
  const data = new TextEncoder().encode(JSON.stringify(fit));
  await writeLeaderboardRows(db, [{ kind: "state", key: STYLE_STATE_KEY, data }]);
}

