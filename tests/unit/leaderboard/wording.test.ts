import { describe, expect, it } from "vitest";
import { countOf, methodSentence, rowsByGroup, shrinkageSentence } from "@/lib/domain/leaderboard/wording";
import type { TLeaderboardRow } from "@/lib/domain/leaderboard/snapshot";

describe("leaderboard wording", () => {
  it("says 1 vote, not 1 votes", () => {
    expect(countOf(1, "vote")).toBe("1 vote");
    expect(countOf(0, "vote")).toBe("0 votes");
    expect(countOf(1234, "vote")).toBe("1,234 votes");
  });

  it("names the prior and the interval method", () => {
    expect(methodSentence({ priorSdPoints: 800, intervals: "bootstrap-or-posterior", bootstrapRounds: 1000, minVotes: 30 })).toMatch(/weak prior.*SD 800.*1,000 bootstrap rounds.*30 votes/);
    expect(methodSentence(null)).toBeNull();
  });

  it("says plainly when a segment shows no detectable difference or leans on the overall board", () => {
    expect(shrinkageSentence({ ownWeight: 0.001, effectiveVotes: 0.2, noDetectableDifference: true })).toMatch(/almost exactly the Overall scores.*No detectable difference/);
    expect(shrinkageSentence({ ownWeight: 0.4, effectiveVotes: 80, noDetectableDifference: false })).toMatch(/40% of the weight \(about 80 votes' worth\)/);
    expect(shrinkageSentence(null)).toBeNull();
  });

  it("splits rows into comparison groups, each sorted by score", () => {
    const row = (modelId: string, group: number, rating: number) => ({ modelId, group, rating }) as TLeaderboardRow;
    const groups = rowsByGroup([row("a", 1, 990), row("b", 1, 1010), row("x", 2, 1000)]);
    expect(groups.map((entry) => [entry.group, entry.rows.map((r) => r.modelId)])).toEqual([[1, ["b", "a"]], [2, ["x"]]]);
  });
});
