import "server-only";
import type { TModality } from "@/lib/domain/vocabulary";
import type { ArenaModel } from "@/lib/generated/sqlite/client";
import type { Db } from "@/lib/server/db";
import { promiseCache } from "@/lib/server/promise-cache";

export type TPoolModel = ArenaModel & { organization: { name: string } };

/** Registry changes reach matchmaking within this long on other instances; this one forgets at once. */
export const MODEL_POOL_TTL_MS = 2000;

const pool = promiseCache<string, TPoolModel[]>("model-pool", { ttlMs: MODEL_POOL_TTL_MS });

/**
 * Active models of a modality, cached for MODEL_POOL_TTL_MS so that starting a battle costs no
 * registry query on the hot path (SQLite queries block the event loop while other battles stream).
 */
export function activeModelsOf(db: Db, modality: TModality): Promise<TPoolModel[]> {
  return pool.get(modality, () => db.arenaModel.findMany({ where: { modality, status: "active" }, include: { organization: { select: { name: true } } } }));
}

const rows = promiseCache<string, TPoolModel | null>("model-rows", { ttlMs: MODEL_POOL_TTL_MS });

/**
 * Models by id, whatever their status (a battle keeps its models after they are paused), cached like
 * the pool: reading a battle (to vote on it, to show it) then costs no model or organization query.
 * Throws if a model does not exist, which the battles' foreign keys rule out.
 */
export async function modelsById(db: Db, ids: string[]): Promise<Map<string, TPoolModel>> {
  const shares = new Map<string, Promise<TPoolModel | null>>();
  for (const id of ids) {
    const cached = rows.peek(id);
    if (cached) shares.set(id, cached);
  }
  const missing = [...new Set(ids)].filter((id) => !shares.has(id));
  if (missing.length > 0) {
    // One query for every id not cached; each id's entry is its share of it.
    const loaded = db.arenaModel.findMany({ where: { id: { in: missing } }, include: { organization: { select: { name: true } } } });
    for (const id of missing) shares.set(id, rows.set(id, loaded.then((found) => found.find((candidate) => candidate.id === id) ?? null)));
  }
  const found = new Map<string, TPoolModel>();
  for (const id of ids) {
    const model = await shares.get(id)!;
    if (!model) throw new Error(`Model ${id} does not exist.`);
    found.set(id, model);
  }
  return found;
}

/** Call after changing the registry (pause, resume, edit) so this instance sees it immediately. */
export function forgetActiveModels(): void {
  pool.clear();
  rows.clear();
}
