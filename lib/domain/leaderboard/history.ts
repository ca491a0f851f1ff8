import { fitBradleyTerry } from "../rating/bradley-terry";
import { invertSymmetric } from "../rating/newton";
import { bradleyTerryInformation, priorPrecision } from "../rating/prior";
import { RATING_POINTS_PER_STRENGTH, type BattleCells } from "../rating/types";

/** One point of "rating over time": BT on all votes up to the end of `day`. */
export interface TRatingCheckpoint {
  day: string;
  votes: number;
  /** model → [rating, lower, upper]; the interval is null when it cannot be estimated (see below). */
  ratings: Record<string, { rating: number; lower: number | null; upper: number | null }>;
}

const DEFAULT_MAX_CHECKPOINTS = 30;
const Z_95 = 1.959963984540054;

/**
 * Picks at most `max` of the sorted days, evenly spaced, always keeping the last one (the current
 * leaderboard). Returns the days themselves, ascending.
 */
export function pickCheckpointDays(days: readonly string[], max: number = DEFAULT_MAX_CHECKPOINTS): string[] {
  if (days.length <= max) return days.slice();
  const picked = new Set<string>();
  for (let k = 0; k < max; k++) picked.add(days[Math.round(((k + 1) * (days.length - 1)) / max)]);
  picked.add(days[days.length - 1]);
  return days.filter((day) => picked.has(day));
}

/**
 * Rating over time from per-day cells (not cumulative, same model list, days ascending): at each
 * picked checkpoint, BT on the cumulative cells with approximate 95% intervals ±1.96·SE from the
 * Fisher information (the bootstrap is too costly to repeat per checkpoint). Intervals are null
 * for models outside the largest connected group or when the information matrix is singular.
 * Models without votes by a checkpoint are absent from it.
 */
export function ratingHistory(
  dailyCells: readonly { day: string; cells: BattleCells }[],
  maxCheckpoints: number = DEFAULT_MAX_CHECKPOINTS,
  priorSdPoints: number | null = null,
): TRatingCheckpoint[] {
  if (dailyCells.length === 0) return [];
  const models = dailyCells[dailyCells.length - 1].cells.models;
  const checkpoints = new Set(pickCheckpointDays(dailyCells.map(({ day }) => day), maxCheckpoints));
  const cumulative = new Float64Array(dailyCells[dailyCells.length - 1].cells.counts.length);
  let total = 0;
  const result: TRatingCheckpoint[] = [];
  for (const { day, cells } of dailyCells) {
    for (let c = 0; c < cells.counts.length; c++) cumulative[c] += cells.counts[c];
    total += cells.total;
    if (!checkpoints.has(day)) continue;
    const snapshot: BattleCells = { models, counts: cumulative.slice(), total };
    result.push({ day, votes: total, ratings: ratingsWithFisherIntervals(snapshot, priorSdPoints) });
  }
  return result;
}

/**
 * BT ratings of the models with votes, with ±1.96·SE intervals from the Fisher information; an
 * interval is null outside the largest connected group or when the information is singular. With
 * `priorSdPoints`, the small-sample estimate the boards use (a Gaussian prior on the strengths): the
 * posterior mode, with the prior's precision added to the information, so a day with a handful of
 * votes plots finite, honest points, as the table does.
 */
function ratingsWithFisherIntervals(cells: BattleCells, priorSdPoints: number | null = null): TRatingCheckpoint["ratings"] {
  const precision = priorSdPoints === null ? 0 : priorPrecision(priorSdPoints);
  const fit = fitBradleyTerry(cells, precision > 0 ? { priorPrecision: precision } : {});
  const modelCount = cells.models.length;
  const played = (i: number) => {
    for (let j = 0; j < modelCount; j++) if (fit.pairWins[i * modelCount + j] + fit.pairWins[j * modelCount + i] > 0) return true;
    return false;
  };
  const present = cells.models.map((_, i) => played(i));
  const groupSize = new Map<number, number>();
  for (let i = 0; i < modelCount; i++) if (present[i]) groupSize.set(fit.groups[i], (groupSize.get(fit.groups[i]) ?? 0) + 1);
  const mainGroup = [...groupSize.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0]?.[0];
  const members = cells.models.map((_, i) => i).filter((i) => present[i] && fit.groups[i] === mainGroup);
  const variances = members.length >= 2 ? strengthVariances(fit.pairWins, fit.strengths, modelCount, members, precision) : null;
  const ratings: TRatingCheckpoint["ratings"] = {};
  for (let i = 0; i < modelCount; i++) {
    if (!present[i]) continue;
    const position = members.indexOf(i);
    const variance = variances && position >= 0 ? variances[position] : null;
    const halfWidth = variance !== null && Number.isFinite(variance) && variance >= 0 ? Z_95 * Math.sqrt(variance) * RATING_POINTS_PER_STRENGTH : null;
    ratings[cells.models[i]] = {
      rating: fit.ratings[i],
      lower: halfWidth === null ? null : fit.ratings[i] - halfWidth,
      upper: halfWidth === null ? null : fit.ratings[i] + halfWidth,
    };
  }
  return ratings;
}

/**
 * Diagonal of the covariance of sum-zero strengths within one connected group: the Fisher
 * information is a weighted graph Laplacian L (weight n_ij·p_ij·(1−p_ij)), whose pseudo-inverse
 * is (L + 11ᵀ/m)⁻¹ − 11ᵀ/m. Returns null when the matrix is singular.
 */
function strengthVariances(pairWins: Float64Array, strengths: Float64Array, modelCount: number, members: number[], precision = 0): Float64Array | null {
  const m = members.length;
  const information = bradleyTerryInformation(pairWins, strengths);
  const matrix = Float64Array.from({ length: m * m }, (_, k) => {
    const x = Math.floor(k / m);
    return information[members[x] * modelCount + members[k % m]] + 1 / m + (x === k % m ? precision : 0);
  });
  const inverse = invertSymmetric(matrix, m);
  if (!inverse) return null;
  return Float64Array.from({ length: m }, (_, x) => inverse[x * m + x] - 1 / m);
}
