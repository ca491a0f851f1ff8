import { describe, expect, it } from "vitest";
import { postgresQueries as pq } from "@/lib/server/store/kysely";
import { precompile } from "@/lib/server/store/precompile";
import { sqliteQueries as q } from "@/lib/server/store/sqlite-compiled";

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

describe("precompile on PostgreSQL", () => {
  const usersOf = precompile(2, (name: string, userIds: string[]) =>
    pq.selectFrom("User").select("id").where((eb) => eb("id", "=", eb.fn.any(eb.val(userIds)))).where("name", "=", name).where("isGuest", "=", false),
  );

  it("takes an array as one parameter (= any($n)) and keeps the same text whatever its length", () => {
    const one = usersOf("Ada", ["u1"]);
    const three = usersOf("Grace", ["u1", "u2", "u3"]);
    expect(three.sql).toBe(one.sql);
    expect(one.sql).toContain("= any($1)");
    expect(three.parameters).toEqual([["u1", "u2", "u3"], "Grace", false]);
  });
});
