import "server-only";
import type { Db } from "@/lib/server/db";
import { leaderboardStore } from "@/lib/server/store/leaderboard-store";

/** Reading the model names (the vote windows: lib/server/store/leaderboard-store.ts). */

/** Votes are read a week at a time, which bounds the packed string of one read. */
export const READ_WINDOW_MS = 7 * 86_400_000;

export interface ModelInfo {
  slug: string;
  displayName: string;
  organizationId: string | null;
  organizationName: string | null;
}

export async function loadModelInfo(db: Db): Promise<Map<string, ModelInfo>> {
  const models = await leaderboardStore(db).modelInfo();
  return new Map(
    models.map((model) => [model.id, { slug: model.slug, displayName: model.displayName, organizationId: model.organizationId, organizationName: model.organizationName }]),
  );
}

