import { describe, expect, it } from "vitest";

import { applyBattleEvent, EMPTY_SIDE, type TSide, type TSideSnapshot } from "@/lib/domain/battle/stream-events";

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
