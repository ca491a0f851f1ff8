import type { PreferenceBucket, TReleasedPersona } from "../release/schema";
import {
  ageBandHierarchy,
  aiUsageFrequencyHierarchy,
  canonicalLanguages,
  countryHierarchy,
  educationHierarchy,
  expertiseHierarchy,
  type GeneralizationHierarchy,
  genderHierarchy,
  languagesHierarchy,
  occupationHierarchy,
  SUPPRESSED,
} from "./hierarchies";

/** The persona as stored (the lead's persona schema): every field optional, "prefer_not_to_say" allowed. */
export interface PersonaInput {
  ageBand?: string;
  gender?: string;
  country?: string;
  languages?: string[];
  education?: string;
  occupation?: string;
  expertise?: string;
  aiUsageFrequency?: string;
  aiUseCases?: string[];
  preferences?: Record<string, number>;
  responseStyle?: string;
  aboutMe?: string;
}

export const QUASI_IDENTIFIERS = [
  "ageBand",
  "gender",
  "country",
  "languages",
  "education",
  "occupation",
  "expertise",
  "aiUsageFrequency",
] as const;

export type QuasiIdentifier = (typeof QUASI_IDENTIFIERS)[number];

export const DEFAULT_HIERARCHIES: Readonly<Record<QuasiIdentifier, GeneralizationHierarchy>> = {
  ageBand: ageBandHierarchy,
  gender: genderHierarchy,
  country: countryHierarchy,
  languages: languagesHierarchy,
  education: educationHierarchy,
  occupation: occupationHierarchy,
  expertise: expertiseHierarchy,
  aiUsageFrequency: aiUsageFrequencyHierarchy,
};

const RELEASED_FIELD: Record<QuasiIdentifier, keyof TReleasedPersona> = {
  ageBand: "age_band",
  gender: "gender",
  country: "country",
  languages: "languages",
  education: "education",
  occupation: "occupation",
  expertise: "expertise",
  aiUsageFrequency: "ai_usage_frequency",
};

export interface AnnotatorPersona {
  annotator: string;
  persona: PersonaInput;
}

export interface GeneralizedAnnotatorPersona {
  annotator: string;
  persona: TReleasedPersona;
}

export interface GeneralizePersonasOptions {
  /** Every released combination of quasi-identifier values is shared by at least k annotators. */
  k: number;
  /** Defaults to all of QUASI_IDENTIFIERS; a quasi-identifier left out is not released at all (null). */
  quasiIdentifiers?: readonly QuasiIdentifier[];
  hierarchies?: Partial<Record<QuasiIdentifier, GeneralizationHierarchy>>;
  /** Share of annotators whose quasi-identifiers may be withheld instead of generalizing everyone further (default 0.05). */
  maxSuppressedFraction?: number;
}

export interface GeneralizePersonasResult {
  rows: GeneralizedAnnotatorPersona[];
  k: number;
  /** Chosen generalization level per released quasi-identifier (0 = most precise, height = "*"). */
  levels: Partial<Record<QuasiIdentifier, number>>;
  /** Per quasi-identifier, how many cells the final suppression step set to "*". */
  suppressedFields: Partial<Record<QuasiIdentifier, number>>;
  /** Annotators whose every quasi-identifier was withheld by the suppression step. */
  suppressedRows: number;
}

export class DuplicateAnnotatorError extends Error {
  constructor(annotator: string) {
    super(`annotator ${annotator} appears twice: generalizePersonas takes one persona per annotator`);
    this.name = "DuplicateAnnotatorError";
  }
}

function rawValue(persona: PersonaInput, field: QuasiIdentifier): string | null {
  if (field === "languages") {
    return persona.languages && persona.languages.length > 0 ? canonicalLanguages(persona.languages) : null;
  }
  const value = persona[field];
  return typeof value === "string" && value.trim().length > 0 ? value : null;
}

/** Scores are 0–100; out-of-range or non-finite scores are dropped rather than clamped into a bucket. */
export function preferenceBucket(score: number): PreferenceBucket | null {
  if (!Number.isFinite(score) || score < 0 || score > 100) return null;
  if (score < 20) return "0-19";
  if (score < 40) return "20-39";
  if (score < 60) return "40-59";
  if (score < 80) return "60-79";
  return "80-100";
}

const PREFERENCE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const RESPONSE_STYLE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

function bucketedPreferences(preferences: Record<string, number> | undefined): Record<string, PreferenceBucket> {
  const buckets: Record<string, PreferenceBucket> = {};
  for (const [key, score] of Object.entries(preferences ?? {})) {
    const bucket = preferenceBucket(score);
    if (PREFERENCE_KEY.test(key) && bucket) buckets[key] = bucket;
  }
  return buckets;
}

function releasedResponseStyle(style: string | undefined): string | null {
  const normalized = style?.trim().toLowerCase();
  return normalized && RESPONSE_STYLE.test(normalized) ? normalized : null;
}

/** Value ids per quasi-identifier and level, so equivalence classes are counted without rebuilding strings. */
interface EncodedAttribute {
  field: QuasiIdentifier;
  hierarchy: GeneralizationHierarchy;
  idsByLevel: Int32Array[];
}

function encodeAttribute(
  field: QuasiIdentifier,
  hierarchy: GeneralizationHierarchy,
  values: ReadonlyArray<string | null>,
): EncodedAttribute {
  const idsByLevel: Int32Array[] = [];
  for (let level = 0; level <= hierarchy.height; level++) {
    const ids = new Int32Array(values.length);
    const idOf = new Map<string, number>();
    values.forEach((value, row) => {
      const generalized = value === null ? (level >= hierarchy.height ? SUPPRESSED : null) : hierarchy.generalize(value, level);
      const key = generalized === null ? "\u0000null" : generalized;
      let id = idOf.get(key);
      if (id === undefined) {
        id = idOf.size;
        idOf.set(key, id);
      }
      ids[row] = id;
    });
    idsByLevel.push(ids);
  }
  return { field, hierarchy, idsByLevel };
}

function classKeys(attributes: readonly EncodedAttribute[], levels: readonly number[], rowCount: number): string[] {
  const keys: string[] = new Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    let key = "";
    for (let index = 0; index < attributes.length; index++) key += attributes[index]!.idsByLevel[levels[index]!]![row] + ",";
    keys[row] = key;
  }
  return keys;
}

function classSizes(keys: readonly string[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  return sizes;
}

function countViolatingRows(attributes: readonly EncodedAttribute[], levels: readonly number[], rowCount: number, k: number): number {
  const sizes = classSizes(classKeys(attributes, levels, rowCount));
  let violating = 0;
  for (const size of sizes.values()) if (size < k) violating += size;
  return violating;
}

/**
 * Chooses which rows to withhold: every row of a class smaller than k. If that group is itself smaller
 * than k (the all-"*" combination must be shared by k annotators too), it is topped up with surplus rows
 * of the largest classes (their last rows, so each keeps at least k), and only if no class has a surplus,
 * with whole classes, smallest first.
 */
function rowsToSuppress(keys: readonly string[], k: number): Set<number> {
  const rowsByKey = new Map<string, number[]>();
  keys.forEach((key, row) => {
    const rows = rowsByKey.get(key);
    if (rows) rows.push(row);
    else rowsByKey.set(key, [row]);
  });
  const suppressed = new Set<number>();
  const kept: number[][] = [];
  for (const rows of rowsByKey.values()) {
    if (rows.length < k) rows.forEach((row) => suppressed.add(row));
    else kept.push(rows);
  }
  if (suppressed.size === 0 || suppressed.size >= k) return suppressed;
  kept.sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  for (const rows of kept) {
    const take = Math.min(k - suppressed.size, rows.length - k);
    rows.slice(rows.length - take).forEach((row) => suppressed.add(row));
    if (suppressed.size >= k) return suppressed;
  }
  for (const rows of kept.reverse()) {
    rows.forEach((row) => suppressed.add(row));
    if (suppressed.size >= k) break;
  }
  return suppressed;
}

/**
 * k-anonymity for the personas of one release, one persona per annotator.
 *
 * Greedy full-domain generalization: while more annotators sit in combinations shared by fewer than k
 * annotators than `maxSuppressedFraction` allows, raise by one level the quasi-identifier whose raise
 * leaves the fewest such annotators (ties: earlier in `quasiIdentifiers`). Then withhold ("*") every
 * quasi-identifier of the annotators still in small combinations.
 *
 * Invariants:
 * - with at least k annotators, every released combination of quasi-identifier values (all-"*" included)
 *   is shared by at least k annotators; with fewer than k, every quasi-identifier is "*";
 * - no value is invented: each released value is the annotator's own value, a generalization of it from
 *   its hierarchy, "other" for free text, "*", or null when the annotator gave no value;
 * - `aboutMe` and `aiUseCases` are never released; preferences are released as 20-point buckets;
 * - rows keep their input order; deterministic for the same input.
 */
export function generalizePersonas(
  rows: readonly AnnotatorPersona[],
  options: GeneralizePersonasOptions,
): GeneralizePersonasResult {
  const { k, maxSuppressedFraction = 0.05 } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (!(maxSuppressedFraction >= 0 && maxSuppressedFraction <= 1)) {
    throw new RangeError(`maxSuppressedFraction must be within [0, 1], got ${maxSuppressedFraction}`);
  }
  const seen = new Set<string>();
  for (const { annotator } of rows) {
    if (seen.has(annotator)) throw new DuplicateAnnotatorError(annotator);
    seen.add(annotator);
  }

  const fields = [...new Set(options.quasiIdentifiers ?? QUASI_IDENTIFIERS)];
  const rawValues = fields.map((field) => rows.map(({ persona }) => rawValue(persona, field)));
  const attributes = fields.map((field, index) =>
    encodeAttribute(field, options.hierarchies?.[field] ?? DEFAULT_HIERARCHIES[field], rawValues[index]!),
  );
  const levels = attributes.map(() => 0);
  const budget = Math.floor(maxSuppressedFraction * rows.length);

  let violating = countViolatingRows(attributes, levels, rows.length, k);
  while (violating > budget) {
    let best: { index: number; violating: number } | null = null;
    attributes.forEach((attribute, index) => {
      if (levels[index]! >= attribute.hierarchy.height) return;
      const raised = levels.map((level, i) => (i === index ? level + 1 : level));
      const candidate = countViolatingRows(attributes, raised, rows.length, k);
      if (!best || candidate < best.violating) best = { index, violating: candidate };
    });
    if (!best) break;
    const { index, violating: next } = best;
    levels[index]! += 1;
    violating = next;
  }

  const suppressed = rowsToSuppress(classKeys(attributes, levels, rows.length), k);
  const suppressedFields: Partial<Record<QuasiIdentifier, number>> = {};
  const released = rows.map(({ annotator, persona }, row): GeneralizedAnnotatorPersona => {
    const output: TReleasedPersona = {
      age_band: null,
      gender: null,
      country: null,
      languages: null,
      education: null,
      occupation: null,
      expertise: null,
      ai_usage_frequency: null,
      response_style: releasedResponseStyle(persona.responseStyle),
      preferences: bucketedPreferences(persona.preferences),
    };
    attributes.forEach(({ field, hierarchy }, index) => {
      const value = rawValues[index]![row]!;
      const level = levels[index]!;
      const generalized =
        value === null ? (level >= hierarchy.height ? SUPPRESSED : null) : hierarchy.generalize(value, level);
      if (suppressed.has(row) && generalized !== SUPPRESSED) {
        suppressedFields[field] = (suppressedFields[field] ?? 0) + 1;
      }
      (output[RELEASED_FIELD[field]] as string | null) = suppressed.has(row) ? SUPPRESSED : generalized;
    });
    return { annotator, persona: output };
  });

  return {
    rows: released,
    k,
    levels: Object.fromEntries(fields.map((field, index) => [field, levels[index]!])),
    suppressedFields,
    suppressedRows: suppressed.size,
  };
}
