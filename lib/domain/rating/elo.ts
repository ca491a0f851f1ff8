import { battleLogFromBattles } from "./battle-log";
import {
  OUTCOME_A_WINS,
  OUTCOME_B_WINS,
  RATING_BASE,
  RATING_CENTER,
  RATING_SCALE,
  type Battle,
  type BattleLog,
} from "./types";

/** base^(d/scale) = exp(d · ln(base)/scale); exp is cheaper than pow over millions of battles. */
const LOG_BASE_PER_POINT = Math.log(RATING_BASE) / RATING_SCALE;

export interface OnlineEloOptions {
  /** Step size; LMArena uses 4. */
  k?: number;
  initialRating?: number;
}

/**
 * Online Elo exactly as LMArena's `compute_elo`: battles are processed in the order given
 * (sort them first, e.g. with `sortBattlesByTimestamp`); a win scores 1, ties and both-bad 0.5.
 * Invariant: with equal K for both sides the sum of all ratings stays models·initialRating.
 * Returns ratings aligned with `log.models`.
 */
export function computeOnlineEloRatings(log: BattleLog, options: OnlineEloOptions = {}): Float64Array {
  const k = options.k ?? 4;
  const ratings = new Float64Array(log.models.length).fill(options.initialRating ?? RATING_CENTER);
  const { modelA, modelB, outcome } = log;
  for (let index = 0; index < log.length; index++) {
    const a = modelA[index];
    const b = modelB[index];
    const expectedA = 1 / (1 + Math.exp((ratings[b] - ratings[a]) * LOG_BASE_PER_POINT));
    const code = outcome[index];
    const scoreA = code === OUTCOME_A_WINS ? 1 : code === OUTCOME_B_WINS ? 0 : 0.5;
    const change = k * (scoreA - expectedA);
    ratings[a] += change;
    ratings[b] -= change;
  }
  return ratings;
}

/** Online Elo over battle objects in the given order, as a model → rating record. */
export function computeOnlineElo(battles: readonly Battle[], options: OnlineEloOptions = {}): Record<string, number> {
  const log = battleLogFromBattles(battles);
  const ratings = computeOnlineEloRatings(log, options);
  return Object.fromEntries(log.models.map((model, index) => [model, ratings[index]]));
}
