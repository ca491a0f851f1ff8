import type { TRatingCheckpoint } from "./history";
import type { TLeaderboardData, TLeaderboardRow } from "./snapshot";

/**
 * Chart-ready series for the leaderboard and owner dashboard. Recharts components only draw what
 * these return: ordering, labels, rounding and interval arithmetic live here.
 */

/** The 95% interval as distances from the rating, rounded to whole points: "+12 / −9". */
export function intervalHalfWidths(row: Pick<TLeaderboardRow, "rating" | "ciLower" | "ciUpper">): { plus: number; minus: number } {
  return { plus: Math.max(0, Math.round(row.ciUpper - row.rating)), minus: Math.max(0, Math.round(row.rating - row.ciLower)) };
}

export interface TRatingIntervalPoint {
  modelId: string;
  label: string;
  rating: number;
  /** [below, above] the rating, the shape Recharts' ErrorBar takes. */
  error: [number, number];
  provisional: boolean;
}

/** Ratings with interval bars, best first (the table's order is by group, this one by rating). */
export function ratingIntervalSeries(rows: readonly TLeaderboardRow[]): TRatingIntervalPoint[] {
  return [...rows]
    .sort((x, y) => y.rating - x.rating || (x.displayName < y.displayName ? -1 : 1))
    .map((row) => ({
      modelId: row.modelId,
      label: row.displayName,
      rating: Math.round(row.rating),
      error: [Math.max(0, row.rating - row.ciLower), Math.max(0, row.ciUpper - row.rating)],
      provisional: row.provisional,
    }));
}

interface THeatmapCell {
  rowModelId: string;
  columnModelId: string;
  /** Share of decisive battles the row model won against the column model; null without any. */
  winRate: number | null;
  battles: number;
  /** "63%" or "–". */
  text: string;
}

export interface THeatmap {
  labels: string[];
  modelIds: string[];
  rows: THeatmapCell[][];
}

/** Pairwise win-rate grid in table order; the diagonal and unplayed pairs have winRate null. */
export function winRateHeatmap(data: Pick<TLeaderboardData, "rows" | "matrix">): THeatmap {
  const labelById = new Map(data.rows.map((row) => [row.modelId, row.displayName]));
  const { modelIds, winRate, counts } = data.matrix;
  return {
    modelIds: modelIds.slice(),
    labels: modelIds.map((id) => labelById.get(id) ?? id),
    rows: modelIds.map((rowId, i) =>
      modelIds.map((columnId, j) => {
        const value = i === j ? null : winRate[i][j];
        return {
          rowModelId: rowId,
          columnModelId: columnId,
          winRate: value,
          battles: counts[i][j],
          text: value === null ? "–" : `${Math.round(value * 100)}%`,
        };
      }),
    ),
  };
}

/** Cell colour from red (0) through neutral (0.5) to green (1); grey for no data. */
export function heatmapColor(winRate: number | null): string {
  if (winRate === null) return "rgb(229, 231, 235)";
  const t = Math.min(1, Math.max(0, winRate));
  const towards = t >= 0.5 ? [22, 163, 74] : [220, 38, 38];
  const strength = Math.abs(t - 0.5) * 2;
  const mix = (from: number, to: number) => Math.round(from + (to - from) * strength);
  return `rgb(${mix(248, towards[0])}, ${mix(250, towards[1])}, ${mix(252, towards[2])})`;
}

export interface TRatingOverTime {
  /** One object per checkpoint: `day`, then `<modelId>` = rating and `<modelId>:errors` = [below, above] the rating (ErrorBar's shape). */
  points: Record<string, string | number | [number, number] | null>[];
  series: { key: string; label: string }[];
  /** Recharts draws no line through a single point, so components show dots in that case. */
  singlePoint: boolean;
}

/**
 * Rating over time for the given models (default: every model in the table, in table order).
 * Ratings and interval ends are rounded to one decimal; a model without a rating at a checkpoint
 * has null there (a gap, not a zero).
 */
export function ratingOverTimeSeries(
  history: readonly TRatingCheckpoint[],
  rows: readonly TLeaderboardRow[],
  modelIds: readonly string[] = rows.map((row) => row.modelId),
): TRatingOverTime {
  const labelById = new Map(rows.map((row) => [row.modelId, row.displayName]));
  const round = (value: number) => Math.round(value * 10) / 10;
  const points = history.map((checkpoint) => {
    const point: TRatingOverTime["points"][number] = { day: checkpoint.day };
    for (const id of modelIds) {
      const entry = checkpoint.ratings[id];
      point[id] = entry ? round(entry.rating) : null;
      point[`${id}:errors`] = entry && entry.lower !== null && entry.upper !== null ? [round(entry.rating - entry.lower), round(entry.upper - entry.rating)] : null;
    }
    return point;
  });
  return {
    points,
    series: modelIds.map((id) => ({ key: id, label: labelById.get(id) ?? id })),
    singlePoint: history.length === 1,
  };
}

/** Votes per model, most first (ties by name). */
export function votesPerModelSeries(rows: readonly TLeaderboardRow[]): { label: string; votes: number; provisional: boolean }[] {
  return [...rows]
    .sort((x, y) => y.votes - x.votes || (x.displayName < y.displayName ? -1 : 1))
    .map((row) => ({ label: row.displayName, votes: row.votes, provisional: row.provisional }));
}

const DAY_MS = 86_400_000;

/** Votes per UTC day from the first to the last day given, with missing days as 0. */
export function votesPerDaySeries(votesByDay: readonly { day: string; votes: number }[]): { day: string; votes: number }[] {
  if (votesByDay.length === 0) return [];
  const byDay = new Map<string, number>();
  for (const { day, votes } of votesByDay) byDay.set(day, (byDay.get(day) ?? 0) + votes);
  const days = [...byDay.keys()].sort();
  const result: { day: string; votes: number }[] = [];
  for (let time = Date.parse(`${days[0]}T00:00:00Z`); time <= Date.parse(`${days[days.length - 1]}T00:00:00Z`); time += DAY_MS) {
    const day = new Date(time).toISOString().slice(0, 10);
    result.push({ day, votes: byDay.get(day) ?? 0 });
  }
  return result;
}

/** One model's own history (as the owner dashboard stores it) as a rating-over-time series with intervals. */
export function modelHistorySeries(
  history: readonly { day: string; rating: number; lower: number | null; upper: number | null }[],
  model: { modelId: string; displayName: string },
  /** The leaderboard row the page lists next to the chart, and the day it was computed: the newest point shows exactly it. */
  current?: { day: string; rating: number; ciLower: number; ciUpper: number } | null,
): TRatingOverTime {
  const points = current
    ? [...history.filter((point) => point.day < current.day), { day: current.day, rating: current.rating, lower: current.ciLower, upper: current.ciUpper }]
    : history;
  const checkpoints = points.map((point) => ({
    day: point.day,
    votes: 0,
    ratings: { [model.modelId]: { rating: point.rating, lower: point.lower, upper: point.upper } },
  }));
  const series = ratingOverTimeSeries(checkpoints, [], [model.modelId]);
  return { ...series, series: [{ key: model.modelId, label: model.displayName }] };
}

/** Opponents by win rate (best matchup first), rates as whole percentages; unplayed decisive pairs last. */
export function opponentWinRateSeries(opponents: readonly { displayName: string; winRate: number | null; battles: number }[]): { label: string; winRate: number | null; battles: number }[] {
  return [...opponents]
    .sort((x, y) => (y.winRate ?? -1) - (x.winRate ?? -1) || (x.displayName < y.displayName ? -1 : 1))
    .map((opponent) => ({ label: opponent.displayName, winRate: opponent.winRate === null ? null : Math.round(opponent.winRate * 100), battles: opponent.battles }));
}
