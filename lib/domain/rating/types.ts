/**
 * Shared types of the rating engine. Conventions follow LMArena (FastChat `rating_systems.py`,
 * `elo_analysis.py`) and lmarena/arena-rank: ratings on the Elo scale (base 10, scale 400,
 * centre 1000).
 */

import type { TVoteOutcome } from "../vocabulary";

/** Who won one battle: the vote outcome (lib/domain/vocabulary.ts); `both_bad` is scored like a tie everywhere. */
export type Outcome = TVoteOutcome;

/** One pairwise battle as the app and the dumps describe it. */
export interface Battle {
  modelA: string;
  modelB: string;
  outcome: Outcome;
  /** Seconds or milliseconds since the epoch; only its order matters. */
  timestamp?: number;
}

/**
 * Outcome codes used in typed arrays. Ties and both_bad share one code because every rating
 * method here scores them identically (half a win each way).
 */
export const OUTCOME_A_WINS = 0;
export const OUTCOME_B_WINS = 1;
export const OUTCOME_TIE = 2;
export const OUTCOME_CODES = 3;

/**
 * Battles in their processing order, stored column-wise as model indices so that millions of
 * them fit in a few bytes each. Invariant: every index is < models.length and modelA[k] !== modelB[k].
 */
export interface BattleLog {
  models: string[];
  length: number;
  modelA: Uint32Array;
  modelB: Uint32Array;
  outcome: Uint8Array;
}

/**
 * Battle counts per unique (modelA index, modelB index, outcome code) cell, dense:
 * `counts[(i * models.length + j) * OUTCOME_CODES + outcome]`. Sides are kept (i played as A),
 * so cells never lose information a BT fit or a bootstrap needs.
 */
export interface BattleCells {
  models: string[];
  counts: Float64Array;
  /** Total number of battles, the sum of `counts`. */
  total: number;
}

/** Fixes one model's rating; its connected group is shifted by the same amount. */
export interface RatingAnchor {
  model: string;
  rating: number;
}

/** Elo-scale constants shared by all methods. */
export const RATING_SCALE = 400;
export const RATING_BASE = 10;
export const RATING_CENTER = 1000;
/** Converts a strength θ (natural log-odds units) into rating points: rating = θ · 400 / ln 10. */
export const RATING_POINTS_PER_STRENGTH = RATING_SCALE / Math.log(RATING_BASE);
