import type { Battle, Response } from "@/lib/generated/sqlite/client";
import type { TBattleRows, TBattleWrite, TResponseFields } from "@/lib/server/store/types";

/**
 * What a battle write does to rows held in memory, exactly as the stores' commit does it to the stored
 * rows: the group commit applies it to the new rows of its own batch (postgres-commit.ts), and a
 * generation round to the battle it started from, so its event stream's `end` needs no read.
 */

/** The fields a response write sets: a field given as undefined is not written (JSON drops it; it must not clear the value). */
export function writtenFields(data: TResponseFields): TResponseFields {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined)) as TResponseFields;
}

/** A battle as a battle-ready write leaves it: only a generating battle becomes ready (a voted battle's follow-up stays voted). */
export function markedReady<T extends Battle>(battle: T, completedAt: Date): T {
  return battle.status === "generating" ? { ...battle, status: "ready", completedAt } : battle;
}

/** The battle's rows after `writes`, in order (writes of other battles and of answers it does not hold change nothing). */
export function battleRowsAfterWrites(rows: TBattleRows, writes: readonly TBattleWrite[]): TBattleRows {
  let battle = rows;
  const fieldsById = new Map<string, TResponseFields>();
  for (const write of writes) {
    if (write.kind === "battle-ready") {
      if (write.id === battle.id) battle = markedReady(battle, write.completedAt);
    } else fieldsById.set(write.id, { ...fieldsById.get(write.id), ...writtenFields(write.data) });
  }
  if (fieldsById.size === 0) return battle;
  const written = (response: Response): Response => {
    const fields = fieldsById.get(response.id);
    return fields ? { ...response, ...fields } : response;
  };
  return { ...battle, turns: battle.turns.map((turn) => ({ ...turn, responses: turn.responses.map(written) })) };
}
