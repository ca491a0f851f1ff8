import { describe, expect, it } from "vitest";
import { countMarkdownStyle } from "@/lib/domain/rating";
import { addUnstyledResponses, parseStyledPacked, styledBattlesOf } from "@/lib/server/leaderboards/styled-rows";

/** Packed styled lines as the stores build them: id, models, outcome, annotator, 4 + 4 features, responses without features. */
const PACKED = ["v1 m1 m2 model_a u1 100 1 2 3 50 0 0 0 0", "v2 m2 m3 both_bad u2 10.0 0 0 0 20 1 1 1 0", "v3 m1 m3 tie u3 0 0 0 0 5 0 0 0 1"].join("\n");

describe("parseStyledPacked", () => {
  it("parses the lines into columns that give back the battles, leaving out excluded annotators", async () => {
    const parsed = await parseStyledPacked(PACKED, new Set(["u2"]));
    expect(parsed.incomplete).toBe(true);
    expect(parsed.voteIds).toEqual(["v1", "v3"]);
    expect(styledBattlesOf(parsed.columns)).toEqual([
      { modelA: "m1", modelB: "m2", outcome: "model_a", styleA: { tokens: 100, headers: 1, lists: 2, bold: 3 }, styleB: { tokens: 50, headers: 0, lists: 0, bold: 0 } },
      { modelA: "m1", modelB: "m3", outcome: "tie", styleA: { tokens: 0, headers: 0, lists: 0, bold: 0 }, styleB: { tokens: 5, headers: 0, lists: 0, bold: 0 } },
    ]);
  });

  it("keeps both-bad apart from a tie and reads an empty string as no votes", async () => {
    expect(styledBattlesOf((await parseStyledPacked(PACKED, new Set())).columns)[1].outcome).toBe("both_bad");
    expect((await parseStyledPacked("", new Set())).columns.count).toBe(0);
  });

  it("rejects a malformed line or an unknown outcome", async () => {
    await expect(parseStyledPacked("v1 m1 m2 model_a u1 1 2", new Set())).rejects.toThrow(/malformed/);
    await expect(parseStyledPacked("v1 m1 m2 won u1 1 0 0 0 1 0 0 0 0", new Set())).rejects.toThrow(/unknown vote outcome/);
  });
});

describe("addUnstyledResponses", () => {
  it("adds the style counted from a response's text to its side of its battle, skipping votes not parsed", async () => {
    const parsed = await parseStyledPacked(PACKED, new Set(["u2"]));
    const text = "# Title\n\n- one\n- two\n\n**bold** words here";
    addUnstyledResponses(parsed, [
      { voteId: "v3", side: "a", text },
      { voteId: "v2", side: "b", text },
    ]);
    const counts = countMarkdownStyle(text);
    const [first, second] = styledBattlesOf(parsed.columns);
    expect(second.styleA).toEqual(counts);
    expect(second.styleB).toEqual({ tokens: 5, headers: 0, lists: 0, bold: 0 });
    expect(first.styleA).toEqual({ tokens: 100, headers: 1, lists: 2, bold: 3 });
  });
});
