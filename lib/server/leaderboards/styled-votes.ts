import "server-only";
import type { StyledBattle } from "@/lib/domain/rating";
import type { Db } from "@/lib/server/db";
import { leaderboardStore } from "@/lib/server/store/leaderboard-store";
import { STYLE_CONTROL_MAX_VOTES } from "./read-ahead";
import { countedVoteWhere } from "./vote-store";

/** Reading the text votes with both answers' style counts, for style control. */

/**
 * The most recent counted text votes (up to STYLE_CONTROL_MAX_VOTES) with both sides' style (summed
 * over turns). `prefetched`: the packed styled votes when a read-ahead worker already read them.
 */
export async function loadStyledBattles(db: Db, excludedUsers: Set<string>, prefetched: string | null = null): Promise<StyledBattle[]> {
  const cutoff = await db.vote.findMany({
    where: countedVoteWhere("text"),
    orderBy: { createdAt: "desc" },
    skip: STYLE_CONTROL_MAX_VOTES - 1,
    take: 1,
    select: { createdAt: true },
  });
  return leaderboardStore(db).readStyledBattles(cutoff[0]?.createdAt ?? new Date(0), excludedUsers, prefetched);
}
