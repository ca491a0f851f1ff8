import { describe, expect, it } from "vitest";
import { precompile } from "@/lib/server/store/precompile";
import { insertRow, sqliteQueries as q } from "@/lib/server/store/sqlite-compiled";

describe("precompile", () => {
  const votesSince = precompile(2, (userId: string, since: string) =>
    q.selectFrom("Vote").select("id").where("countsForRating", "=", 1).where("userId", "=", userId).where("createdAt", ">=", since),
  );

  it("gives the text Kysely compiles for the same query, with each call's arguments in their places", () => {
    const direct = q.selectFrom("Vote").select("id").where("countsForRating", "=", 1).where("userId", "=", "u1").where("createdAt", ">=", "2026-01-01").compile();
    const compiled = votesSince("u1", "2026-01-01");
    expect(compiled.sql).toBe(direct.sql);
    expect(compiled.parameters).toEqual([1, "u1", "2026-01-01"]);
    expect(votesSince("u2", "2027-02-02").parameters).toEqual([1, "u2", "2027-02-02"]);
  });

  it("puts an argument used twice in both places", () => {
    const byBattle = precompile(1, (battleId: string) => q.selectFrom("Response").select("id").where("turnId", "in", q.selectFrom("Turn").select("id").where("battleId", "=", battleId)).where("id", "!=", battleId));
    expect(byBattle("b1").parameters).toEqual(["b1", "b1"]);
  });

  it("refuses a query whose argument never reaches a parameter (it was transformed while building)", () => {
    expect(() => precompile(1, (userId: string) => q.selectFrom("User").select("id").where("id", "=", userId.toUpperCase()))).toThrow(/argument 0/);
  });
});

describe("insertRow", () => {
  it("inserts every column of the row, whatever the order of its keys", () => {
    const first = insertRow("Turn", { id: "t1", battleId: "b1", index: 0, prompt: "hi", systemPrompt: null, createdAt: "2026-01-01T00:00:00.000+00:00" });
    const second = insertRow("Turn", { createdAt: "2026-01-02T00:00:00.000+00:00", systemPrompt: "s", prompt: "yo", index: 1, battleId: "b2", id: "t2" });
    expect(second.sql).toBe(first.sql);
    const columns = /\(([^)]*)\) values/.exec(first.sql)![1]!.split(", ").map((column) => column.replaceAll('"', ""));
    expect(Object.fromEntries(columns.map((column, index) => [column, first.parameters[index]]))).toEqual({ id: "t1", battleId: "b1", index: 0, prompt: "hi", systemPrompt: null, createdAt: "2026-01-01T00:00:00.000+00:00" });
    expect(Object.fromEntries(columns.map((column, index) => [column, second.parameters[index]]))).toEqual({ id: "t2", battleId: "b2", index: 1, prompt: "yo", systemPrompt: "s", createdAt: "2026-01-02T00:00:00.000+00:00" });
  });
});
