import "server-only";
import type { TModality } from "@/lib/domain/vocabulary";
import type { ArenaModel } from "@/lib/generated/sqlite/client";
import type { Db } from "@/lib/server/db";
import { promiseCache } from "@/lib/server/promise-cache";

export type TPoolModel = ArenaModel & { organization: { name: string } };

/** Registry changes reach matchmaking within this long on other instances; this one forgets at once. */
export const MODEL_POOL_TTL_MS = 2000;

/**
 * A use of a cached pool or model row at least this old still gets it and reads it again in the background
 * (promiseCache's refreshAfterMs): no battle start or vote waits for the registry every MODEL_POOL_TTL_MS.
 */
const MODEL_POOL_REFRESH_MS = 1500;

const pool = promiseCache<string, TPoolModel[]>("model-pool", { ttlMs: MODEL_POOL_TTL_MS, refreshAfterMs: MODEL_POOL_REFRESH_MS });

/**
 * Active models of a modality, cached for MODEL_POOL_TTL_MS so that starting a battle costs no
 * registry query on the hot path (SQLite queries block the event loop while other battles stream).
 */
export function activeModelsOf(db: Db, modality: TModality): Promise<TPoolModel[]> {
  return pool.get(modality, () => db.arenaModel.findMany({ where: { modality, status: "active" }, include: { organization: { select: { name: true } } } }));
}

const rows = promiseCache<string, TPoolModel | null>("model-rows", { ttlMs: MODEL_POOL_TTL_MS, refreshAfterMs: MODEL_POOL_REFRESH_MS });

/**
 * Models by id, whatever their status (a battle keeps its models after they are paused), cached like
 * the pool: reading a battle (to vote on it, to show it) then costs no model or organization query.
 * Throws if a model does not exist, which the battles' foreign keys rule out.
 */
export async function modelsById(db: Db, ids: string[]): Promise<Map<string, TPoolModel>> {
  // One query, started only if an id is not cached or is due for its background read, for all of `ids`: each
  // id that loads takes its share of it.
  let loaded: Promise<TPoolModel[]> | undefined;
  const load = () => (loaded ??= db.arenaModel.findMany({ where: { id: { in: [...new Set(ids)] } }, include: { organization: { select: { name: true } } } }));
  const shares = new Map(ids.map((id) => [id, rows.get(id, () => load().then((found) => found.find((candidate) => candidate.id === id) ?? null))]));
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
