import type { QueryCreator } from "kysely";
import type { PostgresTables, SqliteTables } from "@/lib/server/store/kysely";
import type { TUntaggedBattle } from "@/lib/server/store/types";

type TColumns<T extends keyof SqliteTables & keyof PostgresTables, C extends keyof SqliteTables[T] & keyof PostgresTables[T]> = Pick<SqliteTables[T], C> & Pick<PostgresTables[T], C>;

/** The columns the read of untagged battles uses, as both dialects' generated tables type them (a renamed column fails typecheck). */
export interface TUntaggedTables {
  Battle: TColumns<"Battle", "id" | "modality" | "categories">;
  Turn: TColumns<"Turn", "battleId" | "prompt" | "index">;
  Vote: TColumns<"Vote", "id" | "battleId">;
}

/**
 * Up to `limit` voted text battles without categories, one row per turn (battle id, prompt), ordered by
 * battle then turn: one query for both stores (its SQL is the same in both dialects).
 */
export function untaggedBattlesQuery(q: QueryCreator<TUntaggedTables>, limit: number) {
  return q
    .selectFrom("Battle")
    .innerJoin("Turn", "Turn.battleId", "Battle.id")
    .select(["Battle.id as id", "Turn.prompt as prompt"])
    .where("Battle.id", "in", (eb) =>
      eb
        .selectFrom("Battle as untagged")
        .select("untagged.id")
        .where("untagged.modality", "=", "text")
        .where("untagged.categories", "is", null)
        .where((inner) => inner.exists(inner.selectFrom("Vote").select("Vote.id").whereRef("Vote.battleId", "=", "untagged.id")))
        .orderBy("untagged.id")
        .limit(limit),
    )
    .orderBy("Battle.id")
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
