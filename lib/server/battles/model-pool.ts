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

/** Call after changing the registry (pause, resume, edit) so this instance sees it immediately. */
export function forgetActiveModels(): void {
  pool.clear();
}
