import "server-only";
import type { Db } from "@/lib/server/db";
import { leaderboardStore } from "@/lib/server/store/leaderboard-store";
import { STYLE_CONTROL_MAX_VOTES } from "./read-ahead";
import { addUnstyledResponses, parseStyledPacked, type TPackedStyledVotes, type TStyledBattleColumns } from "./styled-rows";

/** Reading the text votes with both answers' style counts, for style control. */

/**
 * The most recent counted text votes (up to STYLE_CONTROL_MAX_VOTES) of annotators not excluded, with
 * both sides' style (summed over turns), as columns for the fitting thread. `prefetched`: the packed
 * styled votes when a read-ahead worker already read them. The store reads them off this thread
 * where it can; they are parsed here in slices.
 */
export async function loadStyledBattles(db: Db, excludedUsers: Set<string>, prefetched: TPackedStyledVotes | null = null): Promise<TStyledBattleColumns> {
  const store = leaderboardStore(db);
  const packed = prefetched ?? (await store.readStyledVotes(STYLE_CONTROL_MAX_VOTES));
  const parsed = await parseStyledPacked(packed.rows, excludedUsers);
  // Responses without stored features (older rows): their text is counted here.
  if (parsed.incomplete) addUnstyledResponses(parsed, await store.readUnstyledResponses(packed.since));
  return parsed.columns;
}
