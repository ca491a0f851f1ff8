import type { PreferenceBand, PreferenceBucket, ReleasedPreference, TReleasedPersona } from "../release/schema";
import {
  ageBandHierarchy,
  aiUsageFrequencyHierarchy,
  canonicalLanguages,
  countryHierarchy,
  educationHierarchy,
  expertiseHierarchy,
  type GeneralizationHierarchy,
  genderHierarchy,
  languageCountHierarchy,
  occupationHierarchy,
  preferenceHierarchy,
  responseStyleHierarchy,
  SUPPRESSED,
} from "./hierarchies";
import { anonymizationLevels, type PartitionAttribute } from "./mondrian";

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

/**
 * The persona fields released in every battle's persona row, k-anonymous jointly with every stated
 * preference (`preferences.<key>`, one quasi-identifier each). The design the lead's rule chose on
 * issue 16 (`npm run bench:kanon -- --designs`, BENCHMARKS.md): of the designs that keep 70 % of the
 * row's cells exact or one level up with k = 5 on three synthetic samples, the one releasing the most
 * of the survey's answers.
 */
export const QUASI_IDENTIFIERS = ["ageBand", "gender", "languages", "aiUsageFrequency", "responseStyle"] as const;

/**
 * Persona fields never released: with country or occupation in the row as well, no design evaluated keeps
 * 70 % of the row's cells; education clears it alone but shows less of the survey than the language count
 * (BENCHMARKS.md). Their mentions in the texts are always replaced (./persona-text.ts).
 */
type UnreleasedField = "country" | "education" | "occupation" | "expertise";

/** A persona field that has a generalization hierarchy: one of the row or one never released. */
export type PersonaField = (typeof QUASI_IDENTIFIERS)[number] | UnreleasedField;
/** A persona field, or one stated preference such as `preferences.factuality`. */
export type QuasiIdentifier = PersonaField | `preferences.${string}`;

export const DEFAULT_HIERARCHIES: Readonly<Record<PersonaField, GeneralizationHierarchy>> = {
  ageBand: ageBandHierarchy,
  gender: genderHierarchy,
  country: countryHierarchy,
  languages: languageCountHierarchy,
  education: educationHierarchy,
  occupation: occupationHierarchy,
  expertise: expertiseHierarchy,
  aiUsageFrequency: aiUsageFrequencyHierarchy,
  responseStyle: responseStyleHierarchy,
};

type ReleasedField = Exclude<keyof TReleasedPersona, "preferences">;

const RELEASED_FIELD: Record<(typeof QUASI_IDENTIFIERS)[number], ReleasedField> = {
  ageBand: "age_band",
  gender: "gender",
  languages: "language_count",
  aiUsageFrequency: "ai_usage_frequency",
  responseStyle: "response_style",
};

const PREFERENCE_PREFIX = "preferences.";

export interface AnnotatorPersona {
  annotator: string;
  persona: PersonaInput;
}

interface GeneralizedAnnotatorPersona {
  annotator: string;
  persona: TReleasedPersona;
}

export interface GeneralizePersonasOptions {
  /** Every released combination of quasi-identifier values (preferences included) is shared by at least k annotators. */
  k: number;
  /**
   * The persona fields released, default all of QUASI_IDENTIFIERS (a field left out is null); stated
   * preferences are always quasi-identifiers, one per key.
   */
  quasiIdentifiers?: ReadonlyArray<(typeof QUASI_IDENTIFIERS)[number]>;
  hierarchies?: Partial<Record<PersonaField, GeneralizationHierarchy>>;
}

/**
 * What k-anonymity cost, over the quasi-identifier cells that hold an answer (one per annotator and
 * quasi-identifier): released exactly, generalized to a coarser group, or withheld ("*"). Cells of
 * unanswered questions are counted apart; they are released as null (or "*" where the class withholds).
 */
interface InformationLoss {
  cells: number;
  exact: number;
  generalized: number;
  withheld: number;
  unanswered: number;
  /** Answered cells per released level (0 = exact; a withheld cell counts at its hierarchy's height). */
  byLevel: number[];
  /** Answered cells released exact or one level above exact, never counting a withheld ("*") cell. */
  exactOrOneLevelUp: number;
}

export interface GeneralizePersonasResult {
  rows: GeneralizedAnnotatorPersona[];
  k: number;
  informationLoss: InformationLoss;
  /** Per quasi-identifier: exact / generalized / withheld answered cells. */
  byQuasiIdentifier: Record<string, { exact: number; generalized: number; withheld: number }>;
}

export class DuplicateAnnotatorError extends Error {
  constructor(annotator: string) {
    super(`annotator ${annotator} appears twice: generalizePersonas takes one persona per annotator`);
    this.name = "DuplicateAnnotatorError";
  }
}

/** The most precise released form of a persona field or stated preference (a preference: its band), null when unanswered. */
export function rawValue(persona: PersonaInput, field: QuasiIdentifier): string | null {
  if (field.startsWith(PREFERENCE_PREFIX)) {
    const score = persona.preferences?.[field.slice(PREFERENCE_PREFIX.length)];
    return typeof score === "number" ? preferenceBand(score) : null;
  }
  if (field === "languages") {
    return persona.languages && persona.languages.length > 0 ? canonicalLanguages(persona.languages) : null;
  }
  const value = persona[field as Exclude<PersonaField, "languages">];
  return typeof value === "string" && value.trim().length > 0 ? value : null;
}

/** The survey's 20-point bucket of a 0–100 score; out-of-range or non-finite scores are dropped rather than clamped. */
export function preferenceBucket(score: number): PreferenceBucket | null {
  if (!Number.isFinite(score) || score < 0 || score > 100) return null;
  if (score < 20) return "0-19";
  if (score < 40) return "20-39";
  if (score < 60) return "40-59";
  if (score < 80) return "60-79";
  return "80-100";
}

/** The band released in the persona row: low (0–39), middle (40–79) or high (80–100); null as preferenceBucket. */
export function preferenceBand(score: number): PreferenceBand | null {
  const bucket = preferenceBucket(score);
  if (bucket === null) return null;
  return bucket === "80-100" ? "80-100" : bucket === "0-19" || bucket === "20-39" ? "0-39" : "40-79";
}

const PREFERENCE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** The stated-preference keys of the release, sorted: each is a quasi-identifier of its own. */
export function preferenceQuasiIdentifiers(rows: readonly AnnotatorPersona[]): QuasiIdentifier[] {
  const keys = new Set<string>();
  for (const { persona } of rows) {
    for (const [key, score] of Object.entries(persona.preferences ?? {})) {
      if (PREFERENCE_KEY.test(key) && typeof score === "number" && preferenceBucket(score)) keys.add(key);
    }
  }
  return [...keys].sort().map((key) => `${PREFERENCE_PREFIX}${key}` as const);
}

/** The released form of a value at a level: unanswered stays null below the top level. */
function generalized(hierarchy: GeneralizationHierarchy, value: string | null, level: number): string | null {
  if (value === null) return level >= hierarchy.height ? SUPPRESSED : null;
  return hierarchy.generalize(value, level);
}

/** Value ids per level of one quasi-identifier column, as ./mondrian.ts takes them (unanswered is a value of its own below the top). */
export function encodeAttribute(hierarchy: GeneralizationHierarchy, values: ReadonlyArray<string | null>): PartitionAttribute {
  const idsByLevel: Int32Array[] = [];
  for (let level = 0; level <= hierarchy.height; level++) {
    const ids = new Int32Array(values.length);
    const idOf = new Map<string, number>();
    values.forEach((value, row) => {
      const key = generalized(hierarchy, value, level) ?? "\u0000null";
      let id = idOf.get(key);
      if (id === undefined) {
        id = idOf.size;
        idOf.set(key, id);
      }
      ids[row] = id;
    });
    idsByLevel.push(ids);
  }
  return { height: hierarchy.height, idsByLevel };
}

function emptyPersona(): TReleasedPersona {
  return { age_band: null, gender: null, language_count: null, ai_usage_frequency: null, response_style: null, preferences: {} };
}

export interface QuasiIdentifierColumns {
  fields: QuasiIdentifier[];
  hierarchies: GeneralizationHierarchy[];
  /** rawValues[field][row]: the most precise value (a preference as its band), null when unanswered. */
  rawValues: Array<Array<string | null>>;
}

/** The quasi-identifiers of a release (persona fields, then each stated preference) and every annotator's value of each. */
export function quasiIdentifierColumns(
  rows: readonly AnnotatorPersona[],
  options: Pick<GeneralizePersonasOptions, "quasiIdentifiers" | "hierarchies">,
): QuasiIdentifierColumns {
  const fields: QuasiIdentifier[] = [...new Set(options.quasiIdentifiers ?? QUASI_IDENTIFIERS), ...preferenceQuasiIdentifiers(rows)];
  const hierarchies = fields.map((field) =>
    field.startsWith(PREFERENCE_PREFIX) ? preferenceHierarchy : (options.hierarchies?.[field as PersonaField] ?? DEFAULT_HIERARCHIES[field as PersonaField]),
  );
  const rawValues = fields.map((field) => rows.map(({ persona }) => rawValue(persona, field)));
  return { fields, hierarchies, rawValues };
}

/**
 * k-anonymity for the personas of one release, one persona per annotator, by Mondrian partitioning with
 * local recoding (./mondrian.ts): the quasi-identifiers are the persona row's fields (QUASI_IDENTIFIERS)
 * AND every stated preference band, generalized per group of annotators rather than per column, so a
 * rare value coarsens (or withholds) only the few annotators who share it. The unreleased fields (UnreleasedField) never reach
 * the row.
 *
 * Invariants:
 * - with at least k annotators, every released combination of all quasi-identifier values (persona
 *   fields, response style and preference bands together) is shared by at least k annotators; with
 *   fewer than k, every quasi-identifier is "*";
 * - no value is invented: each released value is the annotator's own value, a generalization of it from
 *   its hierarchy, "other" for free text, "*", or null (a missing preference key) when unanswered;
 * - `aboutMe`, `aiUseCases` and the unreleased fields (UnreleasedField) are never released;
 * - rows keep their input order; deterministic for the same input.
 */
export function generalizePersonas(rows: readonly AnnotatorPersona[], options: GeneralizePersonasOptions): GeneralizePersonasResult {
  const { k } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const seen = new Set<string>();
  for (const { annotator } of rows) {
    if (seen.has(annotator)) throw new DuplicateAnnotatorError(annotator);
    seen.add(annotator);
  }

  const { fields, hierarchies, rawValues } = quasiIdentifierColumns(rows, options);
  const attributes = hierarchies.map((hierarchy, index) => encodeAttribute(hierarchy, rawValues[index]!));
  const levels = anonymizationLevels(attributes, rows.length, k);

  const loss: InformationLoss = { cells: 0, exact: 0, generalized: 0, withheld: 0, unanswered: 0, byLevel: [], exactOrOneLevelUp: 0 };
  const byQuasiIdentifier: GeneralizePersonasResult["byQuasiIdentifier"] = {};
  for (const field of fields) byQuasiIdentifier[field] = { exact: 0, generalized: 0, withheld: 0 };
  const released = rows.map(({ annotator }, row): GeneralizedAnnotatorPersona => {
    const output = emptyPersona();
    fields.forEach((field, index) => {
      const hierarchy = hierarchies[index]!;
      const value = rawValues[index]![row]!;
      const level = levels[row * fields.length + index]!;
      const shown = generalized(hierarchy, value, level);
      if (field.startsWith(PREFERENCE_PREFIX)) {
        if (shown !== null) output.preferences[field.slice(PREFERENCE_PREFIX.length)] = shown as ReleasedPreference;
      } else {
        output[RELEASED_FIELD[field as (typeof QUASI_IDENTIFIERS)[number]]] = shown;
      }
      if (value === null) {
        loss.unanswered += 1;
        return;
      }
      const kind = shown === SUPPRESSED ? "withheld" : shown === hierarchy.generalize(value, 0) ? "exact" : "generalized";
      loss.cells += 1;
      loss[kind] += 1;
      byQuasiIdentifier[field]![kind] += 1;
      const releasedLevel = kind === "exact" ? 0 : level;
      loss.byLevel[releasedLevel] = (loss.byLevel[releasedLevel] ?? 0) + 1;
      if (kind !== "withheld" && releasedLevel <= 1) loss.exactOrOneLevelUp += 1;
    });
    return { annotator, persona: output };
  });
  for (let level = 0; level < loss.byLevel.length; level++) loss.byLevel[level] ??= 0;
  return { rows: released, k, informationLoss: loss, byQuasiIdentifier };
}
