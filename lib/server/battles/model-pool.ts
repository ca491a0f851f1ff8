import "server-only";
import type { ArenaModel } from "@/lib/generated/sqlite/client";
import type { Db } from "@/lib/server/db";

export type TPoolModel = ArenaModel & { organization: { name: string } };

/** Registry changes reach matchmaking within this long on other instances; this one forgets at once. */
export const MODEL_POOL_TTL_MS = 2000;

const globalForPool = globalThis as unknown as { arenaModelPool?: Map<string, { at: number; models: Promise<TPoolModel[]> }> };
const pool = (globalForPool.arenaModelPool ??= new Map());

/**
 * Active models of a modality, cached for MODEL_POOL_TTL_MS so that starting a battle costs no
 * registry query on the hot path (SQLite queries block the event loop while other battles stream).
 */
export function activeModelsOf(db: Db, modality: "text" | "image" | "audio"): Promise<TPoolModel[]> {
  const cached = pool.get(modality);
  if (cached && Date.now() - cached.at < MODEL_POOL_TTL_MS) return cached.models;
  const models = db.arenaModel.findMany({ where: { modality, status: "active" }, include: { organization: { select: { name: true } } } });
  pool.set(modality, { at: Date.now(), models });
  models.catch(() => pool.delete(modality));
  return models;
}

const globalForRows = globalThis as unknown as { arenaModelRows?: Map<string, { at: number; model: Promise<TPoolModel | null> }> };
const rows = (globalForRows.arenaModelRows ??= new Map());

/**
 * Models by id, whatever their status (a battle keeps its models after they are paused), cached like
 * the pool: reading a battle (to vote on it, to show it) then costs no model or organization query.
 * Throws if a model does not exist, which the battles' foreign keys rule out.
 */
export async function modelsById(db: Db, ids: string[]): Promise<Map<string, TPoolModel>> {
  const now = Date.now();
  const missing = [...new Set(ids)].filter((id) => {
    const cached = rows.get(id);
    return !cached || now - cached.at >= MODEL_POOL_TTL_MS;
  });
  if (missing.length > 0) {
    const loaded = db.arenaModel.findMany({ where: { id: { in: missing } }, include: { organization: { select: { name: true } } } });
    for (const id of missing) {
      const model = loaded.then((found) => found.find((candidate) => candidate.id === id) ?? null);
      rows.set(id, { at: now, model });
      model.catch(() => rows.delete(id));
    }
  }
  const found = new Map<string, TPoolModel>();
  for (const id of ids) {
    const model = await rows.get(id)!.model;
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
