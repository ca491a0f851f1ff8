import { describe, expect, it } from "vitest";
import {
  heatmapColor,
  intervalHalfWidths,
  modelHistorySeries,
  opponentWinRateSeries,
  ratingIntervalSeries,
  ratingOverTimeSeries,
  votesPerDaySeries,
  votesPerModelSeries,
  winRateHeatmap,
} from "@/lib/domain/leaderboard/series";
import type { TRatingCheckpoint } from "@/lib/domain/leaderboard/history";
import type { TLeaderboardRow } from "@/lib/domain/leaderboard/snapshot";

function row(modelId: string, rating: number, overrides: Partial<TLeaderboardRow> = {}): TLeaderboardRow {
  return {
    rank: 1,
    group: 1,
    ownWeight: null,
    modelId,
    slug: modelId,
    displayName: modelId.toUpperCase(),
    organizationId: "org",
    organizationName: "Org",
    rating,
    ciLower: rating - 10,
    ciUpper: rating + 20,
    votes: 100,
    wins: 50,
    losses: 40,
    ties: 10,
    provisional: false,
    elo: null,
    ...overrides,
  };
}

describe("intervalHalfWidths", () => {
  it("rounds the distances above and below the rating", () => {
    expect(intervalHalfWidths({ rating: 1000.4, ciLower: 990.1, ciUpper: 1012.6 })).toEqual({ plus: 12, minus: 10 });
  });

  it("never returns a negative width", () => {
    expect(intervalHalfWidths({ rating: 1000, ciLower: 1001, ciUpper: 999 })).toEqual({ plus: 0, minus: 0 });
  });
});

describe("ratingIntervalSeries", () => {
  it("orders by rating, best first", () => {
    expect(ratingIntervalSeries([row("b", 990), row("a", 1010)]).map((point) => point.modelId)).toEqual(["a", "b"]);
  });

  it("gives errors as [below, above] the rating", () => {
    expect(ratingIntervalSeries([row("a", 1000)])[0].error).toEqual([10, 20]);
  });

  it("breaks rating ties by name and keeps the provisional flag", () => {
    const points = ratingIntervalSeries([row("b", 1000, { provisional: true }), row("a", 1000)]);
    expect(points.map((point) => [point.label, point.provisional])).toEqual([["A", false], ["B", true]]);
  });
});

describe("winRateHeatmap", () => {
  const data = {
    rows: [row("a", 1010), row("b", 990)],
    matrix: { modelIds: ["a", "b"], winRate: [[null, 0.634], [0.366, null]], counts: [[0, 41], [41, 0]] },
  };

  it("labels rows and columns with display names in table order", () => {
    expect(winRateHeatmap(data).labels).toEqual(["A", "B"]);
  });

  it("formats rates as whole percentages with their battle counts", () => {
    expect(winRateHeatmap(data).rows[0][1]).toEqual({ rowModelId: "a", columnModelId: "b", winRate: 0.634, battles: 41, text: "63%" });
  });

  it("leaves the diagonal empty", () => {
    expect(winRateHeatmap(data).rows[1][1]).toMatchObject({ winRate: null, text: "–" });
  });
});

describe("heatmapColor", () => {
  it("is grey without data", () => {
    expect(heatmapColor(null)).toBe("rgb(229, 231, 235)");
  });

  it("is neutral at one half and saturated at the ends", () => {
    expect(heatmapColor(0.5)).toBe("rgb(248, 250, 252)");
    expect(heatmapColor(1)).toBe("rgb(22, 163, 74)");
    expect(heatmapColor(0)).toBe("rgb(220, 38, 38)");
  });
});

describe("ratingOverTimeSeries", () => {
  const history: TRatingCheckpoint[] = [
    { day: "2026-01-01", votes: 10, ratings: { a: { rating: 1005.26, lower: 990, upper: 1020 } } },
    { day: "2026-01-02", votes: 20, ratings: { a: { rating: 1010, lower: null, upper: null }, b: { rating: 990, lower: 980, upper: 1000 } } },
  ];

  it("has one point per checkpoint with ratings rounded to a tenth", () => {
    const series = ratingOverTimeSeries(history, [row("a", 1010), row("b", 990)]);
    expect(series.points.map((point) => [point.day, point.a])).toEqual([["2026-01-01", 1005.3], ["2026-01-02", 1010]]);
  });

  it("marks a model without a rating yet as a gap, not a zero", () => {
    expect(ratingOverTimeSeries(history, [row("a", 1010), row("b", 990)]).points[0].b).toBeNull();
  });

  it("gives interval errors relative to the rating and null when unknown", () => {
    const points = ratingOverTimeSeries(history, [row("a", 1010)]).points;
    expect(points[0]["a:errors"]).toEqual([15.3, 14.7]);
    expect(points[1]["a:errors"]).toBeNull();
  });

  it("names series after the table's display names, restricted to the requested models", () => {
    expect(ratingOverTimeSeries(history, [row("a", 1010), row("b", 990)], ["b"]).series).toEqual([{ key: "b", label: "B" }]);
  });

  it("flags a single checkpoint, which Recharts would not draw as a line", () => {
    expect(ratingOverTimeSeries(history.slice(0, 1), [row("a", 1000)]).singlePoint).toBe(true);
    expect(ratingOverTimeSeries(history, [row("a", 1000)]).singlePoint).toBe(false);
  });
});

describe("modelHistorySeries", () => {
  it("turns one model's history into a labelled series with errors", () => {
    const series = modelHistorySeries([{ day: "2026-01-01", rating: 1000, lower: 990, upper: 1012 }], { modelId: "m", displayName: "Model" });
    expect(series.series).toEqual([{ key: "m", label: "Model" }]);
    expect(series.points).toEqual([{ day: "2026-01-01", m: 1000, "m:errors": [10, 12] }]);
  });

  it("ends on the interval the table lists (a ±0 row draws no wide bar on its day)", () => {
    const history = [
      { day: "2026-01-01", rating: 1000, lower: 900, upper: 1100 },
      { day: "2026-01-02", rating: 1010, lower: 880, upper: 1140 },
    ];
    const series = modelHistorySeries(history, { modelId: "m", displayName: "Model" }, { day: "2026-01-02", rating: 1012, ciLower: 1012, ciUpper: 1012 });
    expect(series.points).toEqual([
      { day: "2026-01-01", m: 1000, "m:errors": [100, 100] },
      { day: "2026-01-02", m: 1012, "m:errors": [0, 0] },
    ]);
    const appended = modelHistorySeries(history.slice(0, 1), { modelId: "m", displayName: "Model" }, { day: "2026-01-03", rating: 1005, ciLower: 995, ciUpper: 1020 });
    expect(appended.points.at(-1)).toEqual({ day: "2026-01-03", m: 1005, "m:errors": [10, 15] });
  });
});

describe("votesPerModelSeries", () => {
  it("orders by votes, most first, ties by name", () => {
    const rows = [row("a", 1000, { votes: 5 }), row("c", 1000, { votes: 9 }), row("b", 1000, { votes: 9 })];
    expect(votesPerModelSeries(rows).map((point) => [point.label, point.votes])).toEqual([["B", 9], ["C", 9], ["A", 5]]);
  });
});

describe("votesPerDaySeries", () => {
  it("is empty without votes", () => {
    expect(votesPerDaySeries([])).toEqual([]);
  });

  it("fills missing days with zero", () => {
    expect(votesPerDaySeries([{ day: "2026-02-27", votes: 3 }, { day: "2026-03-02", votes: 1 }])).toEqual([
      { day: "2026-02-27", votes: 3 },
      { day: "2026-02-28", votes: 0 },
      { day: "2026-03-01", votes: 0 },
      { day: "2026-03-02", votes: 1 },
    ]);
  });

  it("adds up repeated days and sorts them", () => {
    expect(votesPerDaySeries([{ day: "2026-01-02", votes: 1 }, { day: "2026-01-01", votes: 2 }, { day: "2026-01-02", votes: 4 }])).toEqual([
      { day: "2026-01-01", votes: 2 },
      { day: "2026-01-02", votes: 5 },
    ]);
  });
});

describe("opponentWinRateSeries", () => {
  it("puts the best matchup first, unplayed decisive pairs last, as percentages", () => {
    const series = opponentWinRateSeries([
      { displayName: "X", winRate: 0.25, battles: 4 },
      { displayName: "Y", winRate: null, battles: 2 },
      { displayName: "Z", winRate: 0.755, battles: 8 },
    ]);
    expect(series).toEqual([
      { label: "Z", winRate: 76, battles: 8 },
      { label: "X", winRate: 25, battles: 4 },
      { label: "Y", winRate: null, battles: 2 },
    ]);
  });
});
