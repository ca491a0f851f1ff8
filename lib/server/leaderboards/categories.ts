import "server-only";
import { PROMPT_CATEGORIES, PROMPT_CATEGORY_LABELS, type TPromptCategory } from "@/lib/domain/categories";
import type { TLeaderboardData } from "@/lib/domain/leaderboard/snapshot";
import { Dictionary } from "@/lib/domain/dictionary";
import { OUTCOME_CODES, type BattleCells } from "@/lib/domain/rating";
import { outcomeCode } from "@/lib/domain/rating/battle-log";
import type { TModalityVoteCount } from "@/lib/server/store/leaderboard-store";
import type { BoardFitter } from "./board-fitter";
import { CATEGORY_BOOTSTRAP_ROUNDS, type TBoardSettings, type TNamedCells } from "./boards";
import { CATEGORY_VARIANT_PREFIX } from "./variants";
import { sumVoteCounts } from "./vote-counts";
import type { ModelInfo } from "./vote-store";
import { yieldToEventLoop } from "@/lib/server/yielding";

/**
 * Category leaderboards of text battles (LMArena's category views): a plain Bradley–Terry fit on the
 * counted votes of the battles tagged with the category, with bootstrap intervals. The votes come as
 * (tags, model A, model B, outcome, …) counts of one grouped query shared with the lift, so the cost
 * here grows with the number of model pairs and tag sets, not with the number of votes.
 */
/** A category with fewer counted votes gets no board (its ranks would be noise). */
const CATEGORY_MIN_VOTES = 10;

const categoryVariant = (category: TPromptCategory) => `${CATEGORY_VARIANT_PREFIX}${category}`;

/** Cells of the counted votes `groups`, models numbered in order of first appearance. */
function cellsOf(groups: { modelAId: string; modelBId: string; outcome: TModalityVoteCount["outcome"]; count: number }[]): BattleCells {
  const models = new Dictionary();
  for (const group of groups) {
    models.index(group.modelAId);
    models.index(group.modelBId);
  }
  const size = models.size;
  const counts = new Float64Array(size * size * OUTCOME_CODES);
  let total = 0;
  for (const group of groups) {
    counts[(models.index(group.modelAId) * size + models.index(group.modelBId)) * OUTCOME_CODES + outcomeCode(group.outcome)] += group.count;
    total += group.count;
  }
  return { models: models.values.slice(), counts, total };
}

/**
 * The category boards with enough votes among the text votes' `counts` (leaderboard store,
 * modalityVoteCounts), fitted now by `fitter`, one job a board so that both threads take some.
 */
export async function fitCategoryBoards(counts: readonly TModalityVoteCount[], info: Map<string, ModelInfo>, computedAt: Date, settings: TBoardSettings, fitter: BoardFitter): Promise<TLeaderboardData[]> {
  // The text votes' counts (ordered by tags, models and outcome) by tags, models and outcome, tagged ones only.
  const groups = (await sumVoteCounts(counts, ["categories", "modelAId", "modelBId", "outcome"])).filter((group) => group.categories !== null);
  const boards: TNamedCells[] = [];
  for (const category of PROMPT_CATEGORIES) {
    await yieldToEventLoop();
    const cells = cellsOf(groups.filter((group) => group.categories?.includes(category)));
    if (cells.total < CATEGORY_MIN_VOTES) continue;
    boards.push({ variant: categoryVariant(category), label: PROMPT_CATEGORY_LABELS[category], cells });
  }
  const fitted = await Promise.all(boards.map((board) => fitter.fit({ kind: "plain", modality: "text", computedAt, settings, info, boards: [board], bootstrapRounds: CATEGORY_BOOTSTRAP_ROUNDS })));
  return fitted.flat();
}
