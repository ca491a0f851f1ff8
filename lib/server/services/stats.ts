import "server-only";
import type { TModality } from "@/lib/domain/vocabulary";
import type { Db } from "@/lib/server/db";

export async function getArenaStats(db: Db) {
  const [models, votes, battles] = await Promise.all([
    db.arenaModel.groupBy({ by: ["modality"], where: { status: "active" }, _count: { _all: true } }),
    db.vote.count(),
    db.battle.count(),
  ]);
  const modelsByModality = Object.fromEntries(models.map((row) => [row.modality, row._count._all])) as Partial<Record<TModality, number>>;
  return { modelsByModality, votes, battles };
}
