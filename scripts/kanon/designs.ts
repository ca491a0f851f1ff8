/**
 * Release designs compared by bench:kanon (`--designs`): which persona answers go in the battle row (and
 * so must be k-anonymous jointly) and at what finest form. For each, the ceiling of "exact or one level
 * up" (./utility-ceiling.ts) and what the release algorithm (lib/domain/anonymization/mondrian.ts)
 * achieves, on the same personas. Also the survey-granularity measure of the release as built.
 */
import { DEFAULT_HIERARCHIES, encodeAttribute, preferenceBucket, preferenceQuasiIdentifiers, rawValue, type AnnotatorPersona, type GeneralizePersonasResult, type PersonaField, type QuasiIdentifierColumns } from "@/lib/domain/anonymization/personas";
import { preferenceHierarchy, SUPPRESSED, type GeneralizationHierarchy } from "@/lib/domain/anonymization/hierarchies";
import { anonymizationLevels } from "@/lib/domain/anonymization/mondrian";
import { utilityCeiling } from "./utility-ceiling";

/** The survey's answer for a preference: its 20-point bucket → band → high or not → "*". */
export const surveyPreferenceHierarchy: GeneralizationHierarchy = {
  height: 3,
  generalize(value, level) {
    if (level >= 3) return SUPPRESSED;
    if (level === 0) return value;
    const band = value === "80-100" ? value : value === "0-19" || value === "20-39" ? "0-39" : "40-79";
    return level === 1 ? band : preferenceHierarchy.generalize(band, 1);
  },
};

/** Schema 3's preference column: 20-point bucket → band → "*". */
const schema3PreferenceHierarchy: GeneralizationHierarchy = {
  height: 2,
  generalize: (value, level) => (level >= 2 ? SUPPRESSED : surveyPreferenceHierarchy.generalize(value, level)),
};

const ALL_FIELDS: PersonaField[] = ["ageBand", "gender", "country", "languages", "education", "occupation", "expertise", "aiUsageFrequency", "responseStyle"];

interface Design {
  name: string;
  fields: PersonaField[];
  /** Preferences in the row: "buckets" (schema 3), "bands" (band → high → "*"), or none. */
  preferences: "buckets" | "bands" | null;
}

export const DESIGNS: Design[] = [
  { name: "schema 3: nine fields + 20-point buckets", fields: ALL_FIELDS, preferences: "buckets" },
  { name: "nine fields + bands", fields: ALL_FIELDS, preferences: "bands" },
  { name: "nine fields, no preferences", fields: ALL_FIELDS, preferences: null },
  { name: "seven fields (no languages, expertise) + bands", fields: ["ageBand", "gender", "country", "education", "occupation", "aiUsageFrequency", "responseStyle"], preferences: "bands" },
  { name: "seven fields (no languages, expertise), no preferences", fields: ["ageBand", "gender", "country", "education", "occupation", "aiUsageFrequency", "responseStyle"], preferences: null },
  { name: "age, gender, country, usage, style + bands", fields: ["ageBand", "gender", "country", "aiUsageFrequency", "responseStyle"], preferences: "bands" },
  { name: "age, gender, education, usage, style + bands", fields: ["ageBand", "gender", "education", "aiUsageFrequency", "responseStyle"], preferences: "bands" },
  { name: "schema 4: age, gender, usage, style + bands", fields: ["ageBand", "gender", "aiUsageFrequency", "responseStyle"], preferences: "bands" },
];

function designColumns(rows: readonly AnnotatorPersona[], design: Design): QuasiIdentifierColumns {
  const preferences = design.preferences === null ? [] : preferenceQuasiIdentifiers(rows);
  const fields = [...design.fields, ...preferences];
  const hierarchies = fields.map((field) =>
    field.startsWith("preferences.") ? (design.preferences === "buckets" ? schema3PreferenceHierarchy : preferenceHierarchy) : DEFAULT_HIERARCHIES[field as PersonaField],
  );
  const rawValues = fields.map((field) =>
    rows.map(({ persona }) => {
      if (design.preferences !== "buckets" || !field.startsWith("preferences.")) return rawValue(persona, field);
      const score = persona.preferences?.[field.slice("preferences.".length)];
      return typeof score === "number" ? preferenceBucket(score) : null;
    }),
  );
  return { fields, hierarchies, rawValues };
}

/** Share of answered cells the algorithm releases exact or one level up (never "*"), k-anonymous over `columns`. */
function achieved({ hierarchies, rawValues }: QuasiIdentifierColumns, k: number): number {
  const rowCount = rawValues[0]!.length;
  const width = hierarchies.length;
  const levels = anonymizationLevels(hierarchies.map((hierarchy, field) => encodeAttribute(hierarchy, rawValues[field]!)), rowCount, k);
  let cells = 0;
  let kept = 0;
  for (let row = 0; row < rowCount; row++) {
    for (let field = 0; field < width; field++) {
      const value = rawValues[field]![row]!;
      if (value === null) continue;
      cells += 1;
      const level = levels[row * width + field]!;
      const shown = hierarchies[field]!.generalize(value, level);
      if (shown !== SUPPRESSED && (level <= 1 || shown === hierarchies[field]!.generalize(value, 0))) kept += 1;
    }
  }
  return kept / cells;
}

export function compareDesigns(rows: readonly AnnotatorPersona[], k: number) {
  return DESIGNS.map((design) => {
    const columns = designColumns(rows, design);
    return { design: design.name, quasi_identifiers: columns.fields.length, ceiling: utilityCeiling(columns, k), achieved: achieved(columns, k) };
  });
}

const RELEASED_KEY: Partial<Record<PersonaField, "age_band" | "gender" | "ai_usage_frequency" | "response_style">> = {
  ageBand: "age_band",
  gender: "gender",
  aiUsageFrequency: "ai_usage_frequency",
  responseStyle: "response_style",
};

/**
 * The release measured against the survey's own answers rather than the release schema's finest forms:
 * over every answered survey cell (nine persona fields, six preferences as 20-point buckets), the share
 * the battle rows show exactly or one level up of the survey's hierarchy. A field kept out of the rows
 * counts as not shown; a preference band is one level up from its bucket ("80-100" is exact), "0-79" two.
 */
export function surveyGranularity(rows: readonly AnnotatorPersona[], result: GeneralizePersonasResult) {
  let cells = 0;
  let exact = 0;
  let kept = 0;
  const preferences = preferenceQuasiIdentifiers(rows);
  rows.forEach(({ persona }, index) => {
    const released = result.rows[index]!.persona;
    for (const field of [...ALL_FIELDS, ...preferences]) {
      const isPreference = field.startsWith("preferences.");
      const key = field.slice("preferences.".length);
      const score = isPreference ? persona.preferences?.[key] : undefined;
      const answer = isPreference ? (typeof score === "number" ? preferenceBucket(score) : null) : rawValue(persona, field);
      if (answer === null) continue;
      cells += 1;
      const hierarchy = isPreference ? surveyPreferenceHierarchy : DEFAULT_HIERARCHIES[field as PersonaField];
      const column = RELEASED_KEY[field as PersonaField];
      const shown = isPreference ? released.preferences[key] : column ? released[column] : undefined;
      if (shown === undefined || shown === null || shown === SUPPRESSED) continue;
      if (shown === hierarchy.generalize(answer, 0)) exact += 1;
      if (shown === hierarchy.generalize(answer, 0) || shown === hierarchy.generalize(answer, 1)) kept += 1;
    }
  });
  return { cells, exact: exact / cells, exact_or_one_level_up: kept / cells };
}
