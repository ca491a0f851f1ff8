import { describe, expect, it } from "vitest";

import { applyBattleEvent, coalesceDeltas, EMPTY_SIDE, type TBattleStreamEvent, type TSide, type TSideSnapshot } from "@/lib/domain/battle/stream-events";

const streaming = (text = ""): TSideSnapshot => ({ ...EMPTY_SIDE, status: "streaming", text });
const sides = (a: TSideSnapshot, b: TSideSnapshot): Record<TSide, TSideSnapshot> => ({ a, b });

describe("applyBattleEvent", () => {
  it("appends a delta to its side only", () => {
    const next = applyBattleEvent(sides(streaming("Hel"), streaming("Bon")), { type: "delta", turnIndex: 0, side: "a", text: "lo" });
    expect(next.a.text).toBe("Hello");
    expect(next.b.text).toBe("Bon");
  });

  it("marks a pending side as streaming on its first delta", () => {
    const next = applyBattleEvent(sides(EMPTY_SIDE, EMPTY_SIDE), { type: "delta", turnIndex: 0, side: "b", text: "Hi" });
    expect(next.b).toMatchObject({ status: "streaming", text: "Hi" });
    expect(next.a.status).toBe("pending");
  });

  it("replaces everything with a snapshot", () => {
    const snapshot = sides(streaming("x"), { ...EMPTY_SIDE, status: "complete", text: "done" });
    expect(applyBattleEvent(sides(EMPTY_SIDE, EMPTY_SIDE), { type: "snapshot", turnIndex: 1, sides: snapshot, generating: true })).toBe(snapshot);
  });

  it("replaces one side with its final state", () => {
    const failed: TSideSnapshot = { ...EMPTY_SIDE, status: "error", text: "par", errorKind: "stream_cut", errorMessage: "cut" };
    const next = applyBattleEvent(sides(streaming("par"), streaming("ok")), { type: "side", turnIndex: 0, side: "a", snapshot: failed });
    expect(next.a).toBe(failed);
    expect(next.b.text).toBe("ok");
  });

  it("leaves the sides unchanged on ready and end", () => {
    const current = sides(streaming("a"), streaming("b"));
    expect(applyBattleEvent(current, { type: "ready", turnIndex: 0 })).toBe(current);
    expect(applyBattleEvent(current, { type: "end" })).toBe(current);
  });

  it("does not mutate its input", () => {
    const current = sides(streaming("a"), streaming("b"));
    applyBattleEvent(current, { type: "delta", turnIndex: 0, side: "a", text: "!" });
    expect(current.a.text).toBe("a");
  });
});

describe("coalesceDeltas", () => {
  const delta = (side: TSide, text: string, turnIndex = 0): TBattleStreamEvent => ({ type: "delta", turnIndex, side, text });
  const applyAll = (events: readonly TBattleStreamEvent[]) => events.reduce(applyBattleEvent, sides(EMPTY_SIDE, EMPTY_SIDE));

  it("merges each side's interleaved deltas into one per side", () => {
    const burst = [delta("a", "He"), delta("b", "Bon"), delta("a", "llo"), delta("b", "jour"), delta("a", "!")];
    expect(coalesceDeltas(burst)).toEqual([delta("a", "Hello!"), delta("b", "Bonjour")]);
  });

  it("never moves a delta past an event that is not a delta", () => {
    const final: TSideSnapshot = { ...EMPTY_SIDE, status: "complete", text: "Hello" };
    const burst: TBattleStreamEvent[] = [
      delta("a", "Hel"),
      delta("a", "lo"),
      { type: "side", turnIndex: 0, side: "a", snapshot: final },
      delta("b", "x"),
      { type: "ready", turnIndex: 0 },
      delta("b", "y"),
      delta("b", "z"),
      { type: "end" },
    ];
    expect(coalesceDeltas(burst)).toEqual([
      delta("a", "Hello"),
      burst[2],
      delta("b", "x"),
      burst[4],
      delta("b", "yz"),
      burst[7],
    ]);
  });

  it("keeps deltas of different turns apart", () => {
    expect(coalesceDeltas([delta("a", "old", 0), delta("a", "new", 1)])).toEqual([delta("a", "old", 0), delta("a", "new", 1)]);
  });

  it("gives the same sides as applying every event", () => {
    const snapshot: TBattleStreamEvent = { type: "snapshot", turnIndex: 0, sides: sides(streaming("S"), EMPTY_SIDE), generating: true };
    const burst = [snapshot, delta("b", "1"), delta("a", "2"), delta("b", "3"), { type: "side", turnIndex: 0, side: "b", snapshot: { ...EMPTY_SIDE, status: "complete", text: "13" } } as TBattleStreamEvent, delta("a", "4")];
    expect(applyAll(coalesceDeltas(burst))).toEqual(applyAll(burst));
    expect(coalesceDeltas(burst)).toHaveLength(5);
  });

  it("leaves a burst without deltas as it is and does not mutate its input", () => {
    const burst: TBattleStreamEvent[] = [{ type: "ready", turnIndex: 0 }, { type: "end" }];
    expect(coalesceDeltas(burst)).toEqual(burst);
    const deltas = [delta("a", "x"), delta("a", "y")];
    const before = structuredClone(deltas);
    expect(coalesceDeltas(deltas)).toEqual([delta("a", "xy")]);
    expect(deltas).toEqual(before);
  });
});
