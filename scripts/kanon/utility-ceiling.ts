/**
 * The most any k-anonymous release could keep, by the benchmark's measure (answered quasi-identifier
 * cells released exact or one level up), for given quasi-identifier columns and hierarchies.
 *
 * Argument: if an annotator's released persona shows a set S of its quasi-identifiers at exact or one
 * level up, the at least k − 1 other annotators of its class show the same values, so they agree with it
 * one level up on every attribute of S (each hierarchy level is a function of the level below). So per
 * annotator, the largest S that k − 1 others agree on one level up bounds its cells kept, whatever the
 * algorithm. The bound ignores that classes must be disjoint and consistent, so it is not always reached.
 *
 * Per annotator: the agreement mask with every other annotator, a superset-sum over the 2^w subsets, then
 * the largest subset k − 1 others share. O(n² · w + n · 2^w · w); returns null past MAX_ATTRIBUTES.
 */
import type { QuasiIdentifierColumns } from "@/lib/domain/anonymization/personas";

const MAX_ATTRIBUTES = 18;

export function utilityCeiling({ hierarchies, rawValues }: Pick<QuasiIdentifierColumns, "hierarchies" | "rawValues">, k: number): number | null {
  const width = hierarchies.length;
  const rowCount = rawValues[0]?.length ?? 0;
  if (width > MAX_ATTRIBUTES || rowCount < k) return null;
  // One level up (or exact, for a hierarchy whose only level above exact is "*"); unanswered is a value of its own.
  const upper = hierarchies.map((hierarchy, field) =>
    rawValues[field]!.map((value) => (value === null ? "\u0000null" : hierarchy.generalize(value, Math.min(1, hierarchy.height - 1)))),
  );
  const subsets = 1 << width;
  const sharing = new Int32Array(subsets);
  const answeredBits = new Int32Array(subsets);
  let kept = 0;
  let cells = 0;
  for (let row = 0; row < rowCount; row++) {
    let answered = 0;
    for (let field = 0; field < width; field++) if (rawValues[field]![row] !== null) answered |= 1 << field;
    for (let subset = 0; subset < subsets; subset++) answeredBits[subset] = popcount(subset & answered);
    sharing.fill(0);
    for (let other = 0; other < rowCount; other++) {
      if (other === row) continue;
      let mask = 0;
      for (let field = 0; field < width; field++) if (upper[field]![other] === upper[field]![row]) mask |= 1 << field;
      sharing[mask]! += 1;
    }
    for (let field = 0; field < width; field++) {
      const bit = 1 << field;
      for (let subset = 0; subset < subsets; subset++) if ((subset & bit) === 0) sharing[subset]! += sharing[subset | bit]!;
    }
    let best = 0;
    for (let subset = 0; subset < subsets; subset++) if (sharing[subset]! >= k - 1 && answeredBits[subset]! > best) best = answeredBits[subset]!;
    kept += best;
    cells += popcount(answered);
  }
  return cells === 0 ? null : kept / cells;
}

function popcount(value: number): number {
  let count = 0;
  for (let rest = value; rest !== 0; rest &= rest - 1) count++;
  return count;
}
