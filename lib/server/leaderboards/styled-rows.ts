import type { Outcome, StyleCounts, StyledBattle } from "@/lib/domain/rating";
import { countMarkdownStyle } from "@/lib/domain/rating";

/** Turning the stores' styled-vote rows into battles with both sides' style counts (summed over turns). */

/** One response of a counted text vote, with its stored style features or, when it has none, its text. */
export interface StyleRow {
  voteId: string;
  modelAId: string;
  modelBId: string;
  outcome: Outcome;
  userId: string;
  side: "a" | "b";
  styleFeatures: unknown;
  text: string | null;
}

function toStyleCounts(features: unknown, text: string | null): StyleCounts {
  const parsed = typeof features === "string" ? (JSON.parse(features) as unknown) : features;
  if (parsed && typeof parsed === "object") {
    const record = parsed as Record<string, unknown>;
    const number = (key: string) => (typeof record[key] === "number" ? (record[key] as number) : 0);
    return { tokens: number("tokens"), headers: number("headers"), lists: number("lists"), bold: number("bold") };
  }
  return countMarkdownStyle(text ?? "");
}

/** Style counts of one battle, zeroed. */
const zeroStyle = (): StyleCounts => ({ tokens: 0, headers: 0, lists: 0, bold: 0 });

function addStyle(target: StyleCounts, counts: StyleCounts): void {
  target.tokens += counts.tokens;
  target.headers += counts.headers;
  target.lists += counts.lists;
  target.bold += counts.bold;
}

/**
 * Adds per-response rows (features, or the text when a response has none) to their battles, by
 * vote id; rows of votes not in `byVote` start a battle, unless `onlyKnown`.
 */
export function addStyleRows(byVote: Map<string, StyledBattle>, rows: StyleRow[], excludedUsers: Set<string>, onlyKnown = false): void {
  for (const row of rows) {
    if (excludedUsers.has(row.userId)) continue;
    let battle = byVote.get(row.voteId);
    if (!battle) {
      if (onlyKnown) continue;
      battle = { modelA: row.modelAId, modelB: row.modelBId, outcome: row.outcome, styleA: zeroStyle(), styleB: zeroStyle() };
      byVote.set(row.voteId, battle);
    }
    addStyle(row.side === "a" ? battle.styleA : battle.styleB, toStyleCounts(row.styleFeatures, row.text));
  }
}

/** Longest stretch (ms) of parsing without yielding to the event loop (20,000 votes take ~0.15 s). */
const PARSE_SLICE_MS = 5;

/**
 * Parses the packed styled votes (lib/server/store/leaderboard-sqlite-queries.ts, styledPackedQuery),
 * yielding to the event loop every PARSE_SLICE_MS; `incomplete` when some response had no stored features.
 */
export async function parseStyledPacked(packed: string, excludedUsers: Set<string>): Promise<{ byVote: Map<string, StyledBattle>; incomplete: boolean }> {
  const byVote = new Map<string, StyledBattle>();
  let incomplete = false;
  let lastPause = performance.now();
  const lines = packed ? packed.split("\n") : [];
  for (let k = 0; k < lines.length; k++) {
    if (k % 256 === 0 && performance.now() - lastPause > PARSE_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastPause = performance.now();
    }
    const fields = lines[k].split(" ");
    if (fields.length !== 14) throw new Error("malformed styled vote row");
    const [voteId, modelA, modelB, outcome, userId] = fields;
    if (Number(fields[13]) > 0) incomplete = true;
    if (excludedUsers.has(userId)) continue;
    const counts = (offset: number): StyleCounts => ({ tokens: Number(fields[offset]), headers: Number(fields[offset + 1]), lists: Number(fields[offset + 2]), bold: Number(fields[offset + 3]) });
    byVote.set(voteId, { modelA, modelB, outcome: outcome as Outcome, styleA: counts(5), styleB: counts(9) });
  }
  return { byVote, incomplete };
}
