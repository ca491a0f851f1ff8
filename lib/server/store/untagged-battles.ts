import type { TUntaggedBattle } from "@/lib/server/store/types";

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
