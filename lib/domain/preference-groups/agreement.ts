import { quantileOfSorted } from "../rating/bootstrap";
import type { Random } from "../random";
import { randomInt } from "../random";

/**
 * Adjusted Rand index of two labelings of the same items (Hubert & Arabie 1985): 1 for identical
 * partitions (up to renaming), about 0 for independent ones. Two single-cluster labelings score 1.
 */
export function adjustedRandIndex(left: ArrayLike<number>, right: ArrayLike<number>): number {
  if (left.length !== right.length) throw new RangeError("labelings differ in length");
  const n = left.length;
  if (n < 2) return 1;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const columns = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${left[i]}|${right[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(left[i], (rows.get(left[i]) ?? 0) + 1);
    columns.set(right[i], (columns.get(right[i]) ?? 0) + 1);
  }
  const pairs = (count: number) => (count * (count - 1)) / 2;
  let index = 0;
  for (const count of table.values()) index += pairs(count);
  let rowPairs = 0;
  for (const count of rows.values()) rowPairs += pairs(count);
  let columnPairs = 0;
  for (const count of columns.values()) columnPairs += pairs(count);
  const expected = (rowPairs * columnPairs) / pairs(n);
  const maximum = (rowPairs + columnPairs) / 2;
  if (maximum === expected) return 1;
  return (index - expected) / (maximum - expected);
}

export interface TDifferenceInterval {
  /** Σ differences / Σ votes over all units. */
  estimate: number;
  lower: number;
  upper: number;
  rounds: number;
}

/**
 * Percentile bootstrap (2.5 %, 97.5 %) of a per-vote mean difference, resampling whole units
 * (annotators) with replacement so that votes of one annotator stay together.
 * `differences[u]` is unit u's summed difference and `votes[u]` its vote count.
 */
export function bootstrapMeanDifference(differences: ArrayLike<number>, votes: ArrayLike<number>, random: Random, rounds = 1000): TDifferenceInterval {
  const units = differences.length;
  let totalDifference = 0;
  let totalVotes = 0;
  for (let u = 0; u < units; u++) {
    totalDifference += differences[u];
    totalVotes += votes[u];
  }
  const estimates = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) {
    let difference = 0;
    let count = 0;
    for (let draw = 0; draw < units; draw++) {
      const u = randomInt(random, units);
      difference += differences[u];
      count += votes[u];
    }
    estimates[r] = count > 0 ? difference / count : 0;
  }
  estimates.sort();
  return {
    estimate: totalVotes > 0 ? totalDifference / totalVotes : 0,
    lower: quantileOfSorted(estimates, 0.025),
    upper: quantileOfSorted(estimates, 0.975),
    rounds,
  };
}
