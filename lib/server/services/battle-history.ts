import "server-only";
import type { TRevealedModel } from "@/lib/server/services/battle-view";
import type { TModality, TVoteOutcome } from "@/lib/domain/vocabulary";
import type { Db } from "@/lib/server/db";
import type { TSide } from "@/lib/domain/battle/stream-events";

export const BATTLE_HISTORY_PAGE_SIZE = 20;

/** One row of "My battles": never the models before the battle is revealed (by the vote or by "skip and reveal"). */
interface TBattleHistoryItem {
  id: string;
  modality: TModality;
  createdAt: Date;
  /** The first turn's prompt. */
  prompt: string;
  turnCount: number;
  status: "generating" | "ready" | "voted" | "abandoned";
  vote: TVoteOutcome | null;
  models: Record<TSide, TRevealedModel> | null;
}

export interface TBattleHistoryPage {
  items: TBattleHistoryItem[];
  page: number;
  pageCount: number;
  total: number;
}

const revealed = (model: { slug: string; displayName: string; organization: { name: string } }): TRevealedModel => ({
  slug: model.slug,
  displayName: model.displayName,
  organizationName: model.organization.name,
});

/** The annotator's own battles, newest first, `BATTLE_HISTORY_PAGE_SIZE` per page (page numbers start at 1). */
export async function listOwnBattles(db: Db, userId: string, page = 1): Promise<TBattleHistoryPage> {
  const total = await db.battle.count({ where: { userId } });
  const pageCount = Math.max(1, Math.ceil(total / BATTLE_HISTORY_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.trunc(page)), pageCount);
  const modelSelect = { select: { slug: true, displayName: true, organization: { select: { name: true } } } };
  const rows = await db.battle.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (current - 1) * BATTLE_HISTORY_PAGE_SIZE,
    take: BATTLE_HISTORY_PAGE_SIZE,
    select: {
      id: true,
      modality: true,
      createdAt: true,
      status: true,
      revealedAt: true,
      turns: { orderBy: { index: "asc" }, take: 1, select: { prompt: true } },
      _count: { select: { turns: true } },
      vote: { select: { outcome: true } },
      modelA: modelSelect,
      modelB: modelSelect,
    },
  });
  const items = rows.map((row) => ({
    id: row.id,
    modality: row.modality,
    createdAt: row.createdAt,
    prompt: row.turns[0]?.prompt ?? "",
    turnCount: row._count.turns,
    status: row.status,
    vote: row.vote?.outcome ?? null,
    models: row.revealedAt ? { a: revealed(row.modelA), b: revealed(row.modelB) } : null,
  }));
  return { items, page: current, pageCount, total };
}
