import { describe, expect, it } from "vitest";
import { modalityVoteCount, postgresDialect, releasableAnnotatorsQuery, releasePageQuery, sqliteDialect, storedTrue, unstyledResponsesQuery } from "@/lib/server/store/common-queries";

const window = { start: new Date("2026-11-01T00:00:00Z"), end: new Date("2026-12-01T00:00:00Z") };

describe("queries written once for both dialects", () => {
  it("sends booleans and dates as SQLite stores them: 1 and ISO text with +00:00", () => {
    expect(releasableAnnotatorsQuery(sqliteDialect, window).parameters).toEqual([1, "2026-11-01T00:00:00.000+00:00", "2026-12-01T00:00:00.000+00:00"]);
    expect(releasePageQuery(sqliteDialect, "v1", window, 50).parameters).toEqual(["v1", 1, "2026-11-01T00:00:00.000+00:00", "2026-12-01T00:00:00.000+00:00", 50, "a", "b"]);
  });

  it("sends booleans and dates as PostgreSQL's columns take them: true and UTC clock time", () => {
    expect(releasableAnnotatorsQuery(postgresDialect, window).parameters).toEqual([true, "2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"]);
    const page = releasePageQuery(postgresDialect, "v1", window, 50);
    expect(page.sql).toContain("$1");
    expect(page.parameters).toEqual(["v1", true, "2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z", 50, "a", "b"]);
  });

  it("compiles the same query in each dialect's SQL", () => {
    const sqlite = unstyledResponsesQuery(sqliteDialect, window.start).sql;
    const postgres = unstyledResponsesQuery(postgresDialect, window.start).sql;
    expect(sqlite).toContain("?");
    expect(sqlite).not.toContain("$1");
    expect(postgres.replace(/\$\d+/g, "?")).toBe(sqlite);
  });

  it("reads rows of either dialect the same way", () => {
    expect([storedTrue(1), storedTrue(0), storedTrue(true), storedTrue(false)]).toEqual([true, false, true, false]);
    const row = { categories: "coding", userId: null, modelAId: "a", modelBId: "b", outcome: "tie" as const };
    expect(modalityVoteCount({ ...row, personalizedA: sqliteDialect.true, personalizedB: 0, count: 3 })).toEqual({ ...row, personalizedA: true, personalizedB: false, count: 3 });
    expect(modalityVoteCount({ ...row, personalizedA: postgresDialect.true, personalizedB: false, count: "12" })).toEqual({ ...row, personalizedA: true, personalizedB: false, count: 12 });
  });

  it("refuses, at typecheck, a value written for one dialect", () => {
    // @ts-expect-error a literal boolean is right for one dialect only; the dialect's `true` serves both
    sqliteDialect.queries.selectFrom("Vote").select("id").where("countsForRating", "=", true);
    // @ts-expect-error a Date is sent differently by the drivers; the dialect's `date` serves both
    sqliteDialect.queries.selectFrom("Vote").select("id").where("createdAt", ">=", new Date());
    const accepted = sqliteDialect.queries.selectFrom("Vote").select("id").where("countsForRating", "=", sqliteDialect.true).where("createdAt", ">=", sqliteDialect.date(window.start));
    expect(accepted.compile().parameters).toEqual([1, "2026-11-01T00:00:00.000+00:00"]);
  });
});
