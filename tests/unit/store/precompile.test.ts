import { describe, expect, it } from "vitest";
import { postgresQueries as pq } from "@/lib/server/store/kysely";
import { sqliteDialect, styleCutoffQuery, styledVotesQuery } from "@/lib/server/store/common-queries";
import { ledgerFirstQuery, ledgerWindowQuery, ratingNumberIdQuery, readAheadTemplates } from "@/lib/server/store/leaderboard-sqlite-queries";
import { precompile } from "@/lib/server/store/precompile";
import { fillTemplate } from "@/lib/server/store/query-template";
import { sqliteQueries as q } from "@/lib/server/store/sqlite-compiled";
import { sqliteTime } from "@/lib/server/store/sqlite-run";

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

describe("query templates (a worker thread fills them in without Kysely)", () => {
  const text = (query: { sql: string; parameters: readonly unknown[] }) => ({ sql: query.sql, parameters: [...query.parameters] });

  it("gives, once cloned as workerData is, the same text and parameters as the precompiled query", () => {
    const votesSince = precompile(2, (userId: string, since: string) => q.selectFrom("Vote").select("id").where("countsForRating", "=", 1).where("userId", "=", userId).where("createdAt", ">=", since));
    const template = structuredClone(votesSince.template);
    expect(text(fillTemplate(template, ["u1", "2026-01-01"]))).toEqual(text(votesSince("u1", "2026-01-01")));
    expect(fillTemplate(template, ["u2", "2027-02-02"]).parameters).toEqual([1, "u2", "2027-02-02"]);
  });

  it("runs the read-ahead thread's queries exactly as the request thread builds them", () => {
    const templates = structuredClone(readAheadTemplates());
    const [from, to] = [Date.UTC(2026, 8, 1), Date.UTC(2026, 8, 8)];
    expect(text(fillTemplate(templates.ledgerWindow, ["text", sqliteTime(from), sqliteTime(to)]))).toEqual(text(ledgerWindowQuery("text", from, to)));
    expect(text(fillTemplate(templates.ledgerFirst, ["audio", sqliteTime(from), sqliteTime(to)]))).toEqual(text(ledgerFirstQuery("audio", from, to)));
    expect(text(fillTemplate(templates.ratingNumberId, [7]))).toEqual(text(ratingNumberIdQuery(7)));
    expect(text(fillTemplate(templates.styleCutoff, [19_999]))).toEqual(text(styleCutoffQuery(sqliteDialect, 19_999)));
    expect(text(fillTemplate(templates.styledVotes, [sqliteTime(from)]))).toEqual(text(styledVotesQuery(sqliteDialect, new Date(from))));
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
