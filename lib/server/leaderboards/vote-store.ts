import "server-only";
import type { TModality } from "@/lib/domain/vocabulary";
import type { Db } from "@/lib/server/db";

/** Counting the counted votes and reading the model names (the vote windows: lib/server/store/leaderboard-store.ts). */

/** Votes are read a week at a time, which bounds the packed string of one read. */
export const READ_WINDOW_MS = 7 * 86_400_000;

export const countedVoteWhere = (modality: TModality) => ({ modality, countsForRating: true });

export interface ModelInfo {
  slug: string;
  displayName: string;
  organizationId: string | null;
  organizationName: string | null;
}

export async function loadModelInfo(db: Db): Promise<Map<string, ModelInfo>> {
  const models = await db.arenaModel.findMany({
    select: { id: true, slug: true, displayName: true, organizationId: true, organization: { select: { name: true } } },
  });
  return new Map(
    models.map((model) => [
      model.id,
      { slug: model.slug, displayName: model.displayName, organizationId: model.organizationId, organizationName: model.organization.name },
    ]),
  );
}

