import { invertSymmetric } from "./newton";
import { RATING_POINTS_PER_STRENGTH, type BattleCells } from "./types";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_CODES } from "./types";

/**
 * Small-sample Bradley–Terry: a weak Gaussian prior θ ~ N(0, σ²) on every log-strength (Bayesian
 * BT, reported as its posterior mode; the same as ridge BT). Under complete separation (a model
 * that never lost, or never won) the plain MLE runs off to ±∞, while the posterior mode stays
 * finite; as votes accumulate the likelihood's curvature (about n/4 per model) swamps the prior's
 * 1/σ² and the estimate fades into the plain MLE.
 *
 * σ = 800 rating points (≈ 4.6 in natural log-odds) is weak: twice the spread of LMArena's whole
 * board. With it, every model a board ranks (≥ 30 votes, a win and a loss) moves less than 0.3
 * points from the plain MLE on the public fixtures, and less than 0.01 points at a million
 * battles; one vote gives 1234 against 766 with intervals of about ±590 points
 * (tests/unit/rating/prior.test.ts). A stronger prior (400) moved a 158-vote model of the LLMFAO
 * fixture by 1.1 points.
 */
export const DEFAULT_PRIOR_SD_POINTS = 800;

/** Prior precision α = 1/σ² in natural log-odds units, for a prior SD given in rating points. */
export function priorPrecision(sdPoints: number): number {
  const sd = sdPoints / RATING_POINTS_PER_STRENGTH;
  return 1 / (sd * sd);
}

const Z_95 = 1.959963984540054;

/**
 * Half-widths (rating points) of 95% posterior intervals by the Laplace approximation: the
 * posterior covariance is the inverse of (Fisher information + α·I) at the mode, and a rating is
 * compared within its group, so the variance is that of θ_i minus its group's mean. Never zero
 * while α is finite: with one vote the interval is about ±300 points, as it should be.
 */
export function posteriorHalfWidths(pairWins: Float64Array, strengths: Float64Array, groups: Int32Array, precision: number): Float64Array {
  const n = strengths.length;
  const hessian = bradleyTerryInformation(pairWins, strengths);
  for (let i = 0; i < n; i++) hessian[i * n + i] += precision;
  const covariance = invertSymmetric(hessian, n);
  const halfWidths = new Float64Array(n);
  if (!covariance) return halfWidths.fill(Number.POSITIVE_INFINITY);
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) members.set(groups[i], [...(members.get(groups[i]) ?? []), i]);
  for (const group of members.values()) {
    const size = group.length;
    // Var(θ_i − mean) = Σ_ii − (2/m)·Σ_j Σ_ij + (1/m²)·Σ_jk Σ_jk, over the group's members.
    let total = 0;
    const rowSums = group.map((i) => group.reduce((sum, j) => sum + covariance[i * n + j], 0));
    for (const sum of rowSums) total += sum;
    group.forEach((i, position) => {
      const variance = size === 1 ? covariance[i * n + i] : covariance[i * n + i] - (2 / size) * rowSums[position] + total / (size * size);
      halfWidths[i] = Z_95 * Math.sqrt(Math.max(variance, 0)) * RATING_POINTS_PER_STRENGTH;
    });
  }
  return halfWidths;
}

/**
 * The Fisher information of BT strengths at `strengths` (n × n, row-major): a graph Laplacian with
 * weight n_ij·p_ij·(1 − p_ij) on each pair that met (ties count half a win each way in `pairWins`).
 */
export function bradleyTerryInformation(pairWins: Float64Array, strengths: Float64Array): Float64Array {
  const n = strengths.length;
  const information = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const battles = pairWins[i * n + j] + pairWins[j * n + i];
      if (battles === 0) continue;
      const p = 1 / (1 + Math.exp(strengths[j] - strengths[i]));
      const weight = battles * p * (1 - p);
      information[i * n + i] += weight;
      information[j * n + j] += weight;
      information[i * n + j] -= weight;
      information[j * n + i] -= weight;
    }
  }
  return information;
}

/**
 * Whether each model has at least one decisive win and one decisive loss. Without both, the data
 * cannot place it (its MLE is infinite; any finite estimate is the prior speaking), so it gets
 * "not enough votes yet" instead of a rank. Battles only ever join models of the same connected
 * group, so these are wins and losses inside the model's comparison group.
 */
export function hasWinAndLoss(cells: BattleCells): boolean[] {
  const n = cells.models.length;
  const wins = new Float64Array(n);
  const losses = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const base = (a * n + b) * OUTCOME_CODES;
      wins[a] += cells.counts[base + OUTCOME_A_WINS];
      losses[b] += cells.counts[base + OUTCOME_A_WINS];
      wins[b] += cells.counts[base + OUTCOME_B_WINS];
      losses[a] += cells.counts[base + OUTCOME_B_WINS];
    }
  }
  return cells.models.map((_, i) => wins[i] > 0 && losses[i] > 0);
}
