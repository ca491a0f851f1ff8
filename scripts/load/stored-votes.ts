/**
 * Reads the votes table directly (no app code, no Prisma) to check what the load generator was told:
 * every acknowledged vote stored, with the acknowledged outcome, and one vote per battle.
 */
import { createClient } from "@libsql/client";
import { createPostgresDb } from "@/lib/server/store/kysely";
import { sqliteQueries } from "@/lib/server/store/sqlite-compiled";
import type { TAcknowledgedVote } from "./vote-load";

export interface TStoredVoteCheck {
  acknowledged: number;
  /** Acknowledged votes found with the acknowledged outcome. */
  stored: number;
  missing: string[];
  wrongOutcome: string[];
  /** Battles with more than one vote row (the schema forbids it; counted to prove it). */
  battlesWithSeveralVotes: number;
  totalVotes: number;
}

type TVoteRow = { battleId: string; outcome: string };

async function readVotes(databaseUrl: string): Promise<TVoteRow[]> {
  if (databaseUrl.startsWith("file:")) {
    const client = createClient({ url: databaseUrl });
    try {
      const query = sqliteQueries.selectFrom("Vote").select(["battleId", "outcome"]).compile();
      const result = await client.execute({ sql: query.sql, args: [...query.parameters] as never });
      return result.rows.map((row) => ({ battleId: String(row.battleId), outcome: String(row.outcome) }));
    } finally {
      client.close();
    }
  }
  const kysely = createPostgresDb(databaseUrl, { maxConnections: 1 });
  try {
    return await kysely.selectFrom("Vote").select(["battleId", "outcome"]).execute();
  } finally {
    await kysely.destroy();
  }
}

export async function checkStoredVotes(databaseUrl: string, acknowledged: readonly TAcknowledgedVote[]): Promise<TStoredVoteCheck> {
  const rows = await readVotes(databaseUrl);
  const byBattle = new Map<string, string[]>();
  for (const row of rows) byBattle.set(row.battleId, [...(byBattle.get(row.battleId) ?? []), row.outcome]);
  const missing: string[] = [];
  const wrongOutcome: string[] = [];
  for (const vote of acknowledged) {
    const stored = byBattle.get(vote.battleId);
    if (!stored) missing.push(vote.battleId);
    else if (!stored.includes(vote.outcome)) wrongOutcome.push(vote.battleId);
  }
  return {
    acknowledged: acknowledged.length,
    stored: acknowledged.length - missing.length - wrongOutcome.length,
    missing,
    wrongOutcome,
    battlesWithSeveralVotes: [...byBattle.values()].filter((outcomes) => outcomes.length > 1).length,
    totalVotes: rows.length,
  };
}
