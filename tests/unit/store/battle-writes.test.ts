import { describe, expect, it } from "vitest";

import type { Battle, Response } from "@/lib/generated/sqlite/client";
import { battleRowsAfterWrites } from "@/lib/server/store/battle-writes";
import type { TBattleRows } from "@/lib/server/store/types";

const at = new Date("2026-12-07T04:00:00.000Z");
const later = new Date("2026-12-07T04:00:05.000Z");

/** An answer with the fields these tests write (the write rules do not depend on the others). */
function answer(id: string, side: "a" | "b"): Response {
  return { id, turnId: "turn-1", side, status: "streaming", text: null, errorKind: null, firstTokenMs: null, attempt: 1, startedAt: at } as Response;
}

function rows(status: Battle["status"]): TBattleRows {
  const battle = { id: "battle-1", status, completedAt: null } as Battle;
  return { ...battle, turns: [{ id: "turn-1", battleId: "battle-1", index: 0, prompt: "Hi", systemPrompt: null, createdAt: at, responses: [answer("ra", "a"), answer("rb", "b")] }], vote: null };
}

describe("battleRowsAfterWrites", () => {
  it("marks a generating battle ready with the write's time", () => {
    expect(battleRowsAfterWrites(rows("generating"), [{ kind: "battle-ready", id: "battle-1", completedAt: later }])).toMatchObject({ status: "ready", completedAt: later });
  });

  it("leaves a voted battle voted (a follow-up after the vote)", () => {
    expect(battleRowsAfterWrites(rows("voted"), [{ kind: "battle-ready", id: "battle-1", completedAt: later }])).toMatchObject({ status: "voted", completedAt: null });
  });

  it("merges an answer's writes in order, later fields winning, and never clears a field given as undefined", () => {
    const after = battleRowsAfterWrites(rows("generating"), [
      { kind: "response", id: "ra", data: { text: "partial" } },
      { kind: "response", id: "ra", data: { text: "final", status: "complete", errorKind: null, firstTokenMs: undefined } },
      { kind: "response", id: "ra", data: { firstTokenMs: undefined } },
    ]);
    expect(after.turns[0]!.responses[0]).toMatchObject({ text: "final", status: "complete", errorKind: null, firstTokenMs: null });
    expect(after.turns[0]!.responses[1]).toEqual(answer("rb", "b"));
  });

  it("ignores writes of other battles and answers, and does not change the rows it was given", () => {
    const before = rows("generating");
    const after = battleRowsAfterWrites(before, [
      { kind: "battle-ready", id: "battle-2", completedAt: later },
      { kind: "response", id: "elsewhere", data: { text: "not here" } },
    ]);
    expect(after).toEqual(before);
    const written = battleRowsAfterWrites(before, [{ kind: "response", id: "rb", data: { text: "b" } }]);
    expect(written.turns[0]!.responses[1]!.text).toBe("b");
    expect(before.turns[0]!.responses[1]!.text).toBeNull();
  });
});
