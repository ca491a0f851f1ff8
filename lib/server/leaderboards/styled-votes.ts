import "server-only";
import type { Outcome, StyleCounts, StyledBattle } from "@/lib/domain/rating";
import { countMarkdownStyle } from "@/lib/domain/rating";
import { isPostgres } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { sqliteDatabaseFile, sqliteDate } from "@/lib/server/db/sqlite-direct";
import { startReadAhead, type TReadAheadJob } from "./read-ahead";
import { countedVoteWhere, openSqliteVoteReader } from "./vote-store";

/** Reading the text votes with both answers' style counts, for style control. */

/** Style control refits a per-battle model; it uses the most recent text votes, up to this many. */
export const STYLE_CONTROL_MAX_VOTES = 20_000;

interface StyleRow {
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

const STYLED_BATTLES_QUERY = `
  SELECT v."id" AS "voteId", v."modelAId", v."modelBId", v."outcome", v."userId", r."side", r."styleFeatures",
         CASE WHEN r."styleFeatures" IS NULL THEN r."text" END AS "text"
  FROM "Vote" v
  JOIN "Turn" t ON t."battleId" = v."battleId"
  JOIN "Response" r ON r."turnId" = t."id"
  WHERE v."modality" = 'text' AND v."countsForRating" = true AND v."createdAt" >= $1`;

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
function addStyleRows(byVote: Map<string, StyledBattle>, rows: StyleRow[], excludedUsers: Set<string>, onlyKnown = false): void {
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

const STYLE_FEATURE_SUMS = ["a", "b"]
  .flatMap((side) => ["tokens", "headers", "lists", "bold"].map((feature) => `total(CASE WHEN r."side" = '${side}' THEN json_extract(r."styleFeatures", '$.${feature}') END)`))
  .join(" || ' ' || ");

/**
 * SQLite: the styled text votes since ? summed per vote inside SQLite, as ONE string with a line
 * per vote: "voteId modelAId modelBId outcome userId" + the 4 style features of side a and of side b
 * (from the stored styleFeatures) + the number of responses without stored features (their text is
 * counted afterwards, see STYLED_BATTLES_QUERY). As for the vote windows, one packed string instead
 * of a row object per response keeps the driver out of the way.
 */
const SQLITE_STYLED_PACKED_QUERY = `
  SELECT group_concat(line, char(10)) FROM (
    SELECT v."id" || ' ' || v."modelAId" || ' ' || v."modelBId" || ' ' || v."outcome" || ' ' || v."userId" || ' ' ||
      ${STYLE_FEATURE_SUMS} || ' ' || (count(*) - count(r."styleFeatures")) AS line
    FROM "Vote" v
    JOIN "Turn" t ON t."battleId" = v."battleId"
    JOIN "Response" r ON r."turnId" = t."id"
    WHERE v."modality" = 'text' AND v."countsForRating" = true AND v."createdAt" >= ?
    GROUP BY v."id"
  )`;

/** SQLite: createdAt of the STYLE_CONTROL_MAX_VOTES-th newest counted text vote (parameter: that number − 1). */
const SQLITE_STYLE_CUTOFF_QUERY = `SELECT "createdAt" FROM "Vote" WHERE "modality" = 'text' AND "countsForRating" = true ORDER BY "createdAt" DESC LIMIT 1 OFFSET ?`;

/** Parses SQLITE_STYLED_PACKED_QUERY's string; `incomplete` when some response had no stored features. */
function parseStyledPacked(packed: string, excludedUsers: Set<string>): { byVote: Map<string, StyledBattle>; incomplete: boolean } {
  const byVote = new Map<string, StyledBattle>();
  let incomplete = false;
  for (const line of packed ? packed.split("\n") : []) {
    const fields = line.split(" ");
    if (fields.length !== 14) throw new Error("malformed styled vote row");
    const [voteId, modelA, modelB, outcome, userId] = fields;
    if (Number(fields[13]) > 0) incomplete = true;
    if (excludedUsers.has(userId)) continue;
    const counts = (offset: number): StyleCounts => ({ tokens: Number(fields[offset]), headers: Number(fields[offset + 1]), lists: Number(fields[offset + 2]), bold: Number(fields[offset + 3]) });
    byVote.set(voteId, { modelA, modelB, outcome: outcome as Outcome, styleA: counts(5), styleB: counts(9) });
  }
  return { byVote, incomplete };
}

/**
 * The most recent counted text votes with both sides' style (summed over turns). On SQLite,
 * `prefetched` is SQLITE_STYLED_PACKED_QUERY's string when the read-ahead worker already ran it.
 */
export async function loadStyledBattles(db: Db, excludedUsers: Set<string>, prefetched: string | null = null): Promise<StyledBattle[]> {
  const file = prefetched === null ? await sqliteDatabaseFile(db) : null;
  const since = async () => {
    const cutoff = await db.vote.findMany({
      where: countedVoteWhere("text"),
      orderBy: { createdAt: "desc" },
      skip: STYLE_CONTROL_MAX_VOTES - 1,
      take: 1,
      select: { createdAt: true },
    });
    return cutoff[0]?.createdAt ?? new Date(0);
  };
  if (isPostgres || (prefetched === null && !file)) {
    const byVote = new Map<string, StyledBattle>();
    addStyleRows(byVote, await db.$queryRawUnsafe<StyleRow[]>(STYLED_BATTLES_QUERY, await since()), excludedUsers);
    return [...byVote.values()];
  }
  const from = sqliteDate(await since());
  const packed = prefetched ?? (await readStyledPackedOffThread(file!)) ?? (await readStyledPackedHere(db, from));
  const { byVote, incomplete } = parseStyledPacked(packed, excludedUsers);
  if (incomplete) {
    // Responses without stored features (older rows): their text is counted here.
    const rows = await db.$queryRawUnsafe<StyleRow[]>(`${STYLED_BATTLES_QUERY} AND r."styleFeatures" IS NULL`, new Date(Date.parse(from)));
    addStyleRows(byVote, rows, excludedUsers, true);
  }
  return [...byVote.values()];
}

/** SQLITE_STYLED_PACKED_QUERY in this thread (when no worker can start). */
async function readStyledPackedHere(db: Db, from: string): Promise<string> {
  const direct = await openSqliteVoteReader(db);
  try {
    return (direct?.all(SQLITE_STYLED_PACKED_QUERY, from)[0]?.[0] as string | null) ?? "";
  } finally {
    direct?.close();
  }
}

/** The job that packs the styled text votes (see SQLITE_STYLED_PACKED_QUERY). */
export const styleJob = (): TReadAheadJob => ({ style: { cutoffQuery: SQLITE_STYLE_CUTOFF_QUERY, packedQuery: SQLITE_STYLED_PACKED_QUERY, maxVotes: STYLE_CONTROL_MAX_VOTES } });

/**
 * The packed styled votes read by a worker thread: the query takes 0.1–0.3 s at 20,000 votes and
 * would stall the event loop that long. Null when the worker cannot start or fails.
 */
async function readStyledPackedOffThread(file: string): Promise<string | null> {
  const readAhead = startReadAhead(file, [styleJob()], 1);
  if (!readAhead) return null;
  try {
    const message = await readAhead.next(0);
    return "style" in message ? message.style : null;
  } finally {
    readAhead.close();
  }
}

