import "server-only";
import { PROMPT_CATEGORIES, PROMPT_CATEGORY_LABELS, type TPromptCategory } from "@/lib/domain/categories";
import type { TLeaderboardData } from "@/lib/domain/leaderboard/snapshot";
import { seedFromString } from "@/lib/domain/random";
import { aggregateBattleCells, BattleLogBuilder, computeLeaderboard, type Outcome } from "@/lib/domain/rating";
import type { Db } from "@/lib/server/db";
import { boardSettings, leaderboardDataOf, yieldToEventLoop } from "./fit";
import { CATEGORY_VARIANT_PREFIX } from "./variants";
import type { ModelInfo } from "./vote-store";

/**
 * Category leaderboards of text battles (LMArena's category views): a plain Bradley–Terry fit on the
 * counted votes of the battles tagged with the category, with bootstrap intervals. The votes are read
 * as (model A, model B, outcome) counts with one grouped query per category, so the cost grows with
 * the number of model pairs, not with the number of votes.
 */
const CATEGORY_BOOTSTRAP_ROUNDS = 200;
/** A category with fewer counted votes gets no board (its ranks would be noise). */
export const CATEGORY_MIN_VOTES = 10;

export const categoryVariant = (category: TPromptCategory) => `${CATEGORY_VARIANT_PREFIX}${category}`;

async function categoryVotes(db: Db, category: TPromptCategory): Promise<{ modelA: string; modelB: string; outcome: Outcome; count: number }[]> {
  const groups = await db.vote.groupBy({
    by: ["modelAId", "modelBId", "outcome"],
    where: { modality: "text", countsForRating: true, categories: { contains: category }, user: { votesExcludedAt: null } },
    _count: { _all: true },
  });
  return groups.map((group) => ({ modelA: group.modelAId, modelB: group.modelBId, outcome: group.outcome, count: group._count._all }));
}

/** The category boards with enough votes, fitted now. */
export async function fitCategoryBoards(db: Db, info: Map<string, ModelInfo>, computedAt: Date): Promise<TLeaderboardData[]> {
  const boards: TLeaderboardData[] = [];
  for (const category of PROMPT_CATEGORIES) {
    const votes = await categoryVotes(db, category);
    const total = votes.reduce((sum, vote) => sum + vote.count, 0);
    if (total < CATEGORY_MIN_VOTES) continue;
    const builder = new BattleLogBuilder();
    for (const vote of votes) for (let k = 0; k < vote.count; k++) builder.pushBattle(vote);
    const cells = aggregateBattleCells(builder.build());
    const variant = categoryVariant(category);
    const leaderboard = computeLeaderboard(cells, { ...boardSettings(), bootstrapRounds: CATEGORY_BOOTSTRAP_ROUNDS, seed: seedFromString(`text:${variant}`) });
    boards.push(leaderboardDataOf(leaderboard, { modality: "text", variant, label: PROMPT_CATEGORY_LABELS[category], computedAt, voteCount: cells.total, info, bootstrapRounds: CATEGORY_BOOTSTRAP_ROUNDS }));
    await yieldToEventLoop();
  }
  return boards;
}
