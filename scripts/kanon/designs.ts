/**
 * Release designs compared by bench:kanon (`--designs`): which persona answers go in the battle row (and
 * so must be k-anonymous jointly) and at what finest form. For each, what the release algorithm
 * (lib/domain/anonymization/mondrian.ts) keeps of the row (row share) and of the survey's answers (survey
 * share), and the ceiling of the row share (./utility-ceiling.ts), on the same personas; chooseDesign
 * applies the lead's rule. Release schema 5's row is "schema 4 + language count". Also the
 * survey-granularity measure of the release as built.
 */
import { DEFAULT_HIERARCHIES, encodeAttribute, preferenceBucket, preferenceQuasiIdentifiers, rawValue, type AnnotatorPersona, type GeneralizePersonasResult, type PersonaField } from "@/lib/domain/anonymization/personas";
import { languagesHierarchy, preferenceHierarchy, SUPPRESSED, type GeneralizationHierarchy } from "@/lib/domain/anonymization/hierarchies";
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

/** The survey's hierarchies: the release's, but languages start from the list the annotator gave. */
const SURVEY_HIERARCHIES: Readonly<Record<PersonaField, GeneralizationHierarchy>> = { ...DEFAULT_HIERARCHIES, languages: languagesHierarchy };

const PERSONA_FIELDS: PersonaField[] = ["ageBand", "gender", "country", "languages", "education", "occupation", "expertise", "aiUsageFrequency", "responseStyle"];

/** A survey question: one persona field, or "preferences" for the six sliders together. */
type SurveyQuestion = PersonaField | "preferences";

/**
 * A release design: which survey questions go in the battle row (and so must be k-anonymous jointly) and,
 * for each, its finest released form as a level of the survey's hierarchy (0: the survey's answer; country
 * 1: subregion, 2: region; occupation / expertise 1: the field; languages 1: how many; preferences 1: band,
 * 2: high or not). A question left out is not released.
 */
interface Design {
  name: string;
  finest: Partial<Record<SurveyQuestion, number>>;
}

const SCHEMA_4: Design["finest"] = { ageBand: 0, gender: 0, aiUsageFrequency: 0, responseStyle: 0, preferences: 1 };

/** Schema 4's row with age at 18-34 / 35-54 / 55+, AI usage at frequent / infrequent and response style at its family. */
const COARSE_4: Design["finest"] = { ...SCHEMA_4, ageBand: 1, aiUsageFrequency: 1, responseStyle: 1 };

export const DESIGNS: Design[] = [
  { name: "schema 3: nine fields + 20-point buckets", finest: { ...Object.fromEntries(PERSONA_FIELDS.map((field) => [field, 0])), preferences: 0 } },
  { name: "nine fields + bands", finest: { ...Object.fromEntries(PERSONA_FIELDS.map((field) => [field, 0])), preferences: 1 } },
  { name: "nine fields, no preferences", finest: Object.fromEntries(PERSONA_FIELDS.map((field) => [field, 0])) },
  { name: "seven fields (no languages, expertise) + bands", finest: { ...SCHEMA_4, country: 0, education: 0, occupation: 0 } },
  { name: "schema 4: age, gender, usage, style + bands", finest: SCHEMA_4 },
  { name: "schema 4 + country", finest: { ...SCHEMA_4, country: 0 } },
  { name: "schema 4 + country subregion", finest: { ...SCHEMA_4, country: 1 } },
  { name: "schema 4 + country region", finest: { ...SCHEMA_4, country: 2 } },
  { name: "schema 4 + education", finest: { ...SCHEMA_4, education: 0 } },
  { name: "schema 4 + country subregion, education", finest: { ...SCHEMA_4, country: 1, education: 0 } },
  { name: "schema 4 + country region, education", finest: { ...SCHEMA_4, country: 2, education: 0 } },
  { name: "schema 4 + country subregion, education, occupation field", finest: { ...SCHEMA_4, country: 1, education: 0, occupation: 1 } },
  { name: "schema 4 + country region, education, occupation field", finest: { ...SCHEMA_4, country: 2, education: 0, occupation: 1 } },
  { name: "schema 4 + country subregion, education, occupation and expertise fields, language count", finest: { ...SCHEMA_4, country: 1, education: 0, occupation: 1, expertise: 1, languages: 1 } },
  { name: "schema 4 + country region, education, occupation field, preferences high", finest: { ...SCHEMA_4, country: 2, education: 0, occupation: 1, preferences: 2 } },
  { name: "schema 4 + country subregion, education, occupation field, preferences high", finest: { ...SCHEMA_4, country: 1, education: 0, occupation: 1, preferences: 2 } },
  { name: "schema 4 + education, language count", finest: { ...SCHEMA_4, education: 0, languages: 1 } },
  { name: "schema 4 + language count", finest: { ...SCHEMA_4, languages: 1 } },
  { name: "schema 4 + education, language count; usage one level up", finest: { ...SCHEMA_4, education: 0, languages: 1, aiUsageFrequency: 1 } },
  { name: "schema 4 + education, language count; usage, style one level up", finest: { ...SCHEMA_4, education: 0, languages: 1, aiUsageFrequency: 1, responseStyle: 1 } },
  { name: "schema 4 + education; age, usage, style one level up", finest: { ...COARSE_4, education: 0 } },
  { name: "schema 4 + country subregion, education; age one level up", finest: { ...SCHEMA_4, ageBand: 1, country: 1, education: 0 } },
  { name: "schema 4 + country subregion, education; age, usage, style one level up", finest: { ...COARSE_4, country: 1, education: 0 } },
  { name: "schema 4 + country, education; age, usage, style one level up", finest: { ...COARSE_4, country: 0, education: 0 } },
  { name: "schema 4 + country subregion, education, occupation field; age, usage, style one level up", finest: { ...COARSE_4, country: 1, education: 0, occupation: 1 } },
  { name: "schema 4 + country subregion, education, occupation field, language count; age, usage, style one level up", finest: { ...COARSE_4, country: 1, education: 0, occupation: 1, languages: 1 } },
  { name: "all fields one level up, preferences as bands", finest: { ...Object.fromEntries(PERSONA_FIELDS.map((field) => [field, 1])), preferences: 1 } },
  { name: "all fields one level up, preferences high", finest: { ...Object.fromEntries(PERSONA_FIELDS.map((field) => [field, 1])), preferences: 2 } },
];

function surveyHierarchy(question: SurveyQuestion): GeneralizationHierarchy {
  return question === "preferences" ? surveyPreferenceHierarchy : SURVEY_HIERARCHIES[question];
}

/** The survey's hierarchy with its `finest` lowest levels cut off: level 0 is the released finest form. */
function shifted(hierarchy: GeneralizationHierarchy, finest: number): GeneralizationHierarchy {
  const height = hierarchy.height - finest;
  return { height, generalize: (value, level) => (level >= height ? SUPPRESSED : hierarchy.generalize(value, finest + level)) };
}

/** Every survey cell: the question, its hierarchy and every annotator's answer at the survey's granularity. */
function surveyColumns(rows: readonly AnnotatorPersona[]) {
  const columns = PERSONA_FIELDS.map((field) => ({ question: field as SurveyQuestion, values: rows.map(({ persona }) => rawValue(persona, field)) }));
  for (const field of preferenceQuasiIdentifiers(rows)) {
    const key = field.slice("preferences.".length);
    columns.push({
      question: "preferences",
      values: rows.map(({ persona }) => {
        const score = persona.preferences?.[key];
        return typeof score === "number" ? preferenceBucket(score) : null;
      }),
    });
  }
  return columns;
}

export interface DesignResult {
  design: string;
  quasi_identifiers: number;
  /** Share of the row's answered cells shown at the design's finest form or one level up (the measure). */
  row_share: number;
  /** Share of ALL answered survey cells shown at the survey's granularity or one level up (a left-out question counts as not shown). */
  survey_share: number;
  ceiling: number | null;
  smallest_class: number;
}

/** Runs the release algorithm (lib/domain/anonymization/mondrian.ts) on one design and measures both shares. */
function evaluateDesign(rows: readonly AnnotatorPersona[], design: Design, k: number): DesignResult {
  const survey = surveyColumns(rows);
  const inRow = survey.filter(({ question }) => design.finest[question] !== undefined);
  const hierarchies = inRow.map(({ question }) => shifted(surveyHierarchy(question), design.finest[question]!));
  // The survey's answers themselves: a hierarchy only applies to its own level-0 values.
  const rawValues = inRow.map(({ values }) => values);
  const levels = anonymizationLevels(hierarchies.map((hierarchy, field) => encodeAttribute(hierarchy, rawValues[field]!)), rows.length, k);
  const width = inRow.length;
  let rowKept = 0;
  let surveyKept = 0;
  const classes = new Map<string, number>();
  for (let row = 0; row < rows.length; row++) {
    const shownRow: string[] = [];
    inRow.forEach(({ question, values }, field) => {
      const answer = values[row]!;
      const level = levels[row * width + field]!;
      const hierarchy = hierarchies[field]!;
      if (answer === null) {
        shownRow.push(level >= hierarchy.height ? SUPPRESSED : "\u0000null");
        return;
      }
      const shown = hierarchy.generalize(answer, level);
      shownRow.push(shown);
      if (shown === SUPPRESSED) return;
      if (level <= 1 || shown === hierarchy.generalize(answer, 0)) rowKept += 1;
      const full = surveyHierarchy(question);
      if (shown === full.generalize(answer, 0) || shown === full.generalize(answer, 1)) surveyKept += 1;
    });
    const key = JSON.stringify(shownRow);
    classes.set(key, (classes.get(key) ?? 0) + 1);
  }
  const answeredRow = rawValues.reduce((sum, values) => sum + values.filter((value) => value !== null).length, 0);
  const answeredSurvey = survey.reduce((sum, { values }) => sum + values.filter((value) => value !== null).length, 0);
  return {
    design: design.name,
    quasi_identifiers: width,
    row_share: rowKept / answeredRow,
    survey_share: surveyKept / answeredSurvey,
    ceiling: utilityCeiling({ hierarchies, rawValues }, k),
    smallest_class: classes.size === 0 ? 0 : Math.min(...classes.values()),
  };
}

export function compareDesigns(rows: readonly AnnotatorPersona[], k: number): DesignResult[] {
  return DESIGNS.map((design) => evaluateDesign(rows, design, k));
}

/**
 * The lead's rule (issue 16): among the designs that keep at least `target` of the row's cells exact or one
 * level up with k holding jointly on EVERY seed, the one with the largest survey share (mean over the
 * seeds). `bySeed[s][d]` is design d's result on seed s, in DESIGNS order. Null when no design qualifies.
 */
export function chooseDesign(bySeed: ReadonlyArray<readonly DesignResult[]>, k: number, target: number): { design: string; survey_share: number } | null {
  let best: { design: string; survey_share: number } | null = null;
  bySeed[0]?.forEach(({ design }, index) => {
    const runs = bySeed.map((results) => results[index]!);
    if (!runs.every((run) => run.smallest_class >= k && run.row_share >= target)) return;
    const surveyShare = runs.reduce((sum, run) => sum + run.survey_share, 0) / runs.length;
    if (best === null || surveyShare > best.survey_share) best = { design, survey_share: surveyShare };
  });
  return best;
}

const RELEASED_KEY: Partial<Record<PersonaField, "age_band" | "gender" | "language_count" | "ai_usage_frequency" | "response_style">> = {
  ageBand: "age_band",
  gender: "gender",
  languages: "language_count",
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
    for (const field of [...PERSONA_FIELDS, ...preferences]) {
      const isPreference = field.startsWith("preferences.");
      const key = field.slice("preferences.".length);
      const score = isPreference ? persona.preferences?.[key] : undefined;
      const answer = isPreference ? (typeof score === "number" ? preferenceBucket(score) : null) : rawValue(persona, field);
      if (answer === null) continue;
      cells += 1;
      const hierarchy = isPreference ? surveyPreferenceHierarchy : SURVEY_HIERARCHIES[field as PersonaField];
      const column = RELEASED_KEY[field as PersonaField];
      const shown = isPreference ? released.preferences[key] : column ? released[column] : undefined;
      if (shown === undefined || shown === null || shown === SUPPRESSED) continue;
      if (shown === hierarchy.generalize(answer, 0)) exact += 1;
      if (shown === hierarchy.generalize(answer, 0) || shown === hierarchy.generalize(answer, 1)) kept += 1;
    }
  });
  return { cells, exact: exact / cells, exact_or_one_level_up: kept / cells };
}
