import { PREFER_NOT_TO_SAY, SUPPRESSED, type GeneralizationHierarchy } from "./hierarchies";
import { DEFAULT_HIERARCHIES, MARGINAL_FIELDS, preferenceBucket, preferenceQuasiIdentifiers, rawValue, type AnnotatorPersona } from "./personas";

/**
 * Per-release counts of the persona answers that are not in the battle rows: for each of MARGINAL_FIELDS
 * and each stated preference (at the survey's 20-point buckets), how many annotators of the release gave
 * each value. Counts carry no pseudonym, battle or other key, so they cannot be joined to a battle row.
 * Keys are `country`, `languages`, …, `preferences.<key>`; values map a released value to its count.
 */
export type PersonaMarginals = Record<string, Record<string, number>>;

/** A 20-point bucket, then its band (the persona row's finest form), then "*". */
const bucketHierarchy: GeneralizationHierarchy = {
  height: 2,
  generalize(value, level) {
    if (level >= 2) return SUPPRESSED;
    if (level === 0) return value;
    return value === "80-100" ? value : value === "0-19" || value === "20-39" ? "0-39" : "40-79";
  },
};

/** One language code, or "*". */
const languageCodeHierarchy: GeneralizationHierarchy = {
  height: 1,
  generalize: (value, level) => (level >= 1 ? SUPPRESSED : value),
};

/**
 * Counts of `values` where no released value is held by fewer than k annotators: a rarer value is counted
 * as its generalization one level up (a country as its subregion, a bucket as its band), and so on up to
 * "*", which is kept whatever its count (it names no value). Unanswered values are not counted.
 */
export function foldedCounts(values: ReadonlyArray<string | null>, hierarchy: GeneralizationHierarchy, k: number): Record<string, number> {
  const answered = values.filter((value): value is string => value !== null);
  const levels = answered.map(() => 0);
  for (let level = 0; level < hierarchy.height; level++) {
    const counts = new Map<string, number>();
    const shown = answered.map((value, index) => hierarchy.generalize(value, levels[index]!));
    for (const value of shown) counts.set(value, (counts.get(value) ?? 0) + 1);
    answered.forEach((_, index) => {
      if (levels[index] === level && shown[index] !== SUPPRESSED && counts.get(shown[index]!)! < k) levels[index] = level + 1;
    });
  }
  const counts: Record<string, number> = {};
  for (const [index, value] of answered.entries()) {
    const shown = hierarchy.generalize(value, levels[index]!);
    counts[shown] = (counts[shown] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The persona marginals of one release (one persona per annotator). Invariants: every count but "*" is at
 * least k; each annotator counts once per field (once per language they listed); deterministic.
 */
export function personaMarginals(rows: readonly AnnotatorPersona[], k: number): PersonaMarginals {
  const marginals: PersonaMarginals = {};
  for (const field of MARGINAL_FIELDS) {
    if (field === "languages") {
      const codes = rows.flatMap(({ persona }) => (rawValue(persona, "languages") ?? "").split(",").filter((code) => code.length > 0 && code !== PREFER_NOT_TO_SAY));
      marginals[field] = foldedCounts(codes, languageCodeHierarchy, k);
      continue;
    }
    const hierarchy = DEFAULT_HIERARCHIES[field];
    marginals[field] = foldedCounts(rows.map(({ persona }) => { const value = rawValue(persona, field); return value === null ? null : hierarchy.generalize(value, 0); }), hierarchy, k);
  }
  for (const field of preferenceQuasiIdentifiers(rows)) {
    const key = field.slice("preferences.".length);
    const buckets = rows.map(({ persona }) => {
      const score = persona.preferences?.[key];
      return typeof score === "number" ? preferenceBucket(score) : null;
    });
    marginals[field] = foldedCounts(buckets, bucketHierarchy, k);
  }
  return marginals;
}
