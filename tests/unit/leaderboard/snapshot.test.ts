import { describe, expect, it } from "vitest";
import { leaderboardToCsv, type TLeaderboardRow } from "@/lib/domain/leaderboard/snapshot";

const row: TLeaderboardRow = {
  rank: 1,
  group: 1,
  ownWeight: null,
  modelId: "id1",
  slug: "aster-1",
  displayName: "Aster-1",
  organizationId: "org",
  organizationName: "Labs, Inc.",
  rating: 1012.3456,
  ciLower: 1001.111,
  ciUpper: 1020.999,
  votes: 42,
  wins: 20,
  losses: 15,
  ties: 7,
  provisional: false,
  elo: 1005,
};

describe("leaderboardToCsv", () => {
  it("starts with the header and ends every line with CRLF", () => {
    const csv = leaderboardToCsv([row]);
    expect(csv.split("\r\n")[0]).toBe("rank,model,organization,rating,ci_lower,ci_upper,votes,wins,losses,ties,provisional");
    expect(csv.endsWith("\r\n")).toBe(true);
  });

  it("rounds ratings to two decimals and quotes fields with commas", () => {
    expect(leaderboardToCsv([row]).split("\r\n")[1]).toBe('1,aster-1,"Labs, Inc.",1012.35,1001.11,1021,42,20,15,7,false');
  });

  it("writes an empty organization as an empty field", () => {
    expect(leaderboardToCsv([{ ...row, organizationName: null }]).split("\r\n")[1].split(",")[2]).toBe("");
  });

  it("is only the header without rows", () => {
    expect(leaderboardToCsv([])).toBe("rank,model,organization,rating,ci_lower,ci_upper,votes,wins,losses,ties,provisional\r\n");
  });
});
