import { describe, expect, it } from "vitest";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_TIE } from "@/lib/domain/rating";
import { createPackedWindowNumbering, parseNumberedVoteWindow, parsePackedVoteWindow } from "@/lib/server/leaderboards/packed-vote-window";

const WINDOW = ["m1 m2 model_a u1 2026-01-01", "m2 m3 model_b u2 2026-01-01 2026-01-01T10:00:00.000+00:00", "m3 m1 tie u1 2026-01-02", "m1 m3 both_bad u3 2026-01-02"].join("\n");

describe("parsePackedVoteWindow", () => {
  it("numbers models, users and days in order of appearance and codes outcomes as OUTCOME_*", () => {
    const columns = parsePackedVoteWindow(WINDOW, createPackedWindowNumbering());
    expect(columns.count).toBe(4);
    expect(columns.newModels).toEqual(["m1", "m2", "m3"]);
    expect(columns.newUsers).toEqual(["u1", "u2", "u3"]);
    expect(columns.newDays).toEqual(["2026-01-01", "2026-01-02"]);
    expect([...columns.modelA]).toEqual([0, 1, 2, 0]);
    expect([...columns.modelB]).toEqual([1, 2, 0, 2]);
    expect([...columns.outcome]).toEqual([OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_TIE, OUTCOME_TIE]);
    expect([...columns.user]).toEqual([0, 1, 0, 2]);
    expect([...columns.day]).toEqual([0, 0, 1, 1]);
    expect([...columns.time]).toEqual([-Infinity, Date.parse("2026-01-01T10:00:00.000Z"), -Infinity, -Infinity]);
  });

  it("continues the numbering across windows and reports only new strings", () => {
    const numbering = createPackedWindowNumbering();
    parsePackedVoteWindow(WINDOW, numbering);
    const next = parsePackedVoteWindow("m3 m4 model_a u1 2026-01-02", numbering);
    expect(next.newModels).toEqual(["m4"]);
    expect(next.newUsers).toEqual([]);
    expect(next.newDays).toEqual([]);
    expect([...next.modelA, ...next.modelB, ...next.user, ...next.day]).toEqual([2, 3, 0, 1]);
  });

  it("gives no rows for an empty window and throws on a malformed line or outcome", () => {
    expect(parsePackedVoteWindow("", createPackedWindowNumbering()).count).toBe(0);
    expect(() => parsePackedVoteWindow("m1 m2 model_a", createPackedWindowNumbering())).toThrow(/malformed vote row 1/);
    expect(() => parsePackedVoteWindow("m1 m2 model_a u1 2026-01-01\nm1 m2 won u1 2026-01-01", createPackedWindowNumbering())).toThrow(/unknown vote outcome in row 2/);
  });

});

/** The same window as WINDOW in the vote ledger's numbered format: m1..m3 are 11..13, u1..u3 are 21..23. */
const NUMBERED_WINDOW = ["11 12 0 21 2026-01-01", "12 13 1 22 2026-01-01 2026-01-01T10:00:00.000+00:00", "13 11 2 21 2026-01-02", "11 13 2 23 2026-01-02"].join("\n");
const IDS = new Map([11, 12, 13, 21, 22, 23].map((number) => [number, `${number < 20 ? "m" : "u"}${number % 10}`]));

describe("parseNumberedVoteWindow", () => {
  it("gives the same columns as the id format for the same votes, resolving each number once", () => {
    const asked: number[] = [];
    const idOf = (number: number) => {
      asked.push(number);
      return IDS.get(number)!;
    };
    const numbered = parseNumberedVoteWindow(NUMBERED_WINDOW, createPackedWindowNumbering(), idOf);
    expect(numbered).toEqual(parsePackedVoteWindow(WINDOW, createPackedWindowNumbering()));
    expect(asked.sort()).toEqual([11, 12, 13, 21, 22, 23]);
  });

  it("continues the numbering across windows", () => {
    const numbering = createPackedWindowNumbering();
    const idOf = (number: number) => IDS.get(number) ?? `m${number}`;
    parseNumberedVoteWindow(NUMBERED_WINDOW, numbering, idOf);
    const next = parseNumberedVoteWindow("13 14 0 21 2026-01-02", numbering, idOf);
    expect(next.newModels).toEqual(["m14"]);
    expect([...next.modelA, ...next.modelB, ...next.user, ...next.day]).toEqual([2, 3, 0, 1]);
  });

  it("throws on a malformed line, an unknown outcome code or a missing day", () => {
    const idOf = (number: number) => `x${number}`;
    for (const bad of ["11 12 0", "11 12 3 21 2026-01-01", "11 x 0 21 2026-01-01", "11 12 0 21 2026-01", "11  12 0 21 2026-01-01"]) {
      expect(() => parseNumberedVoteWindow(bad, createPackedWindowNumbering(), idOf), bad).toThrow(/malformed vote row 1/);
    }
  });

});
