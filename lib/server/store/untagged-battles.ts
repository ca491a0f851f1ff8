import { sql, type QueryCreator } from "kysely";
import type { PostgresTables, SqliteTables } from "@/lib/server/store/kysely";
import type { TUntaggedBattle } from "@/lib/server/store/types";

type TColumns<T extends keyof SqliteTables & keyof PostgresTables, C extends keyof SqliteTables[T] & keyof PostgresTables[T]> = Pick<SqliteTables[T], C> & Pick<PostgresTables[T], C>;

/**
 * The columns the read of untagged battles uses, as both dialects' generated tables type them (a renamed column
 * fails typecheck). `countsForRating` is stored differently (0/1, boolean), so only its name is typed here.
 */
export interface TUntaggedTables {
  Turn: TColumns<"Turn", "battleId" | "prompt" | "index">;
  Vote: TColumns<"Vote", "battleId" | "modality" | "categories"> & { countsForRating: unknown };
}

/**
 * Up to `limit` voted text battles without categories, one row per turn (battle id, prompt), ordered by
 * battle then turn: one query for both stores (its SQL is the same in both dialects).
 *
 * The pending battles are found through their votes: the tagging writes a battle's categories and its vote's
 * together, so a text vote without categories is a battle to tag. `Vote_grouped_counts_idx` (modality,
 * countsForRating, categories, …) holds them in two ranges, one per value of countsForRating, each read as
 * its own branch (with the flag's value in an `or`, PostgreSQL reads every text vote's entry). No index on
 * Battle names its categories: the tagging's update of a battle is then HOT on PostgreSQL (no new entry in
 * any of Battle's indexes), and every new battle has one index less to fill. The vote's own update is not
 * HOT either way (the grouped index holds its categories).
 */
export function untaggedBattlesQuery(q: QueryCreator<TUntaggedTables>, limit: number) {
  const pendingVotes = (countsForRating: boolean) =>
    q
      .selectFrom("Vote")
      .select("Vote.battleId")
      .where("Vote.modality", "=", "text")
      .where(sql<boolean>`${sql.ref("Vote.countsForRating")} = ${sql.lit(countsForRating)}`)
      .where("Vote.categories", "is", null);
  return q
    .selectFrom("Turn")
    .select(["Turn.battleId as id", "Turn.prompt as prompt"])
    .where("Turn.battleId", "in", (eb) =>
      eb
        .selectFrom(pendingVotes(true).unionAll(pendingVotes(false)).as("pending"))
        .select("pending.battleId")
        .orderBy("pending.battleId")
        .limit(limit),
    )
    .orderBy("Turn.battleId")
    .orderBy("Turn.index");
}

/** Battles from (battle id, prompt) rows ordered by battle, then turn: each battle's prompts in turn order. */
export function untaggedBattlesOf(rows: ReadonlyArray<{ id: string; prompt: string }>): TUntaggedBattle[] {
  const battles: TUntaggedBattle[] = [];
  for (const row of rows) {
    const last = battles.at(-1);
    if (last?.id === row.id) last.prompts.push(row.prompt);
    else battles.push({ id: row.id, prompts: [row.prompt] });
  }
  return battles;
}
