import { regionOfCountry } from "./countries";

/** The value every hierarchy reaches at its top level: the attribute is withheld. */
export const SUPPRESSED = "*";
export const PREFER_NOT_TO_SAY = "prefer_not_to_say";
/** Released in place of a value that is not a known category or a plain slug (free text is never released). */
export const OTHER = "other";

/**
 * A generalization hierarchy for one quasi-identifier.
 *
 * Invariants: `generalize(v, 0)` is the most precise released form of v (a known category, a slug, or
 * "other" for free text); each level is a function of the previous one (values that are equal at level l
 * stay equal at l + 1); `generalize(v, height)` is always "*". `prefer_not_to_say` is kept as is below the top.
 */
export interface GeneralizationHierarchy {
  height: number;
  generalize(value: string, level: number): string;
}

const SLUG = /^[a-z0-9][a-z0-9_+-]{0,39}$/;

function releasedSlug(value: string): string {
  const normalized = value.trim().toLowerCase();
  return SLUG.test(normalized) ? normalized : OTHER;
}

/** Builds a hierarchy from per-level lookup tables; a value missing from a table becomes "other". */
function tableHierarchy(levels: ReadonlyArray<Readonly<Record<string, string>>>): GeneralizationHierarchy {
  const height = levels.length + 1;
  return {
    height,
    generalize(value, level) {
      if (level >= height) return SUPPRESSED;
      let current = releasedSlug(value);
      if (current === PREFER_NOT_TO_SAY) return current;
      for (let step = 0; step < level; step++) current = levels[step]![current] ?? OTHER;
      return current;
    },
  };
}

function groups(table: Record<string, string[]>): Record<string, string> {
  const lookup: Record<string, string> = {};
  for (const [group, members] of Object.entries(table)) {
    lookup[group] = group;
    for (const member of members) lookup[member] = group;
  }
  return lookup;
}

export const ageBandHierarchy: GeneralizationHierarchy = tableHierarchy([
  groups({ "18-34": ["18-24", "25-34"], "35-54": ["35-44", "45-54"], "55+": ["55-64", "65+"], other: [] }),
  groups({ "18-54": ["18-34", "35-54"], "55+": [], other: [] }),
]);

/** Level 1 keeps the two largest categories and folds every rarer one into "other". */
export const genderHierarchy: GeneralizationHierarchy = tableHierarchy([
  groups({ woman: ["female"], man: ["male"], other: ["non_binary", "nonbinary", "non-binary", "genderqueer"] }),
]);

export const countryHierarchy: GeneralizationHierarchy = {
  height: 3,
  generalize(value, level) {
    if (level >= 3) return SUPPRESSED;
    const normalized = value.trim().toUpperCase();
    if (normalized === PREFER_NOT_TO_SAY.toUpperCase()) return PREFER_NOT_TO_SAY;
    const regions = regionOfCountry(normalized);
    if (!regions) return OTHER;
    return level === 0 ? normalized : level === 1 ? regions.subregion : regions.region;
  },
};

export const educationHierarchy: GeneralizationHierarchy = tableHierarchy([
  groups({
    no_degree: ["none", "no_formal", "less_than_secondary", "primary", "secondary", "high_school", "vocational", "some_college", "some_university"],
    undergraduate_degree: ["associate", "associates", "bachelor", "bachelors", "undergraduate"],
    postgraduate_degree: ["master", "masters", "graduate", "doctorate", "phd", "professional", "postgraduate"],
    other: [],
  }),
]);

/** Occupations and areas of expertise share one table of fields. */
const FIELDS = groups({
  technology: [
    "software_engineer", "software_developer", "developer", "programmer", "engineer", "data_scientist", "it",
    "technology", "software", "programming", "computer_science", "machine_learning", "ai", "data", "devops",
    "web_development", "cybersecurity", "engineering",
  ],
  science_research: ["researcher", "scientist", "academic", "research", "science", "mathematics", "physics", "biology", "chemistry"],
  education: ["teacher", "professor", "lecturer", "educator", "teaching", "tutor"],
  health: ["doctor", "nurse", "physician", "pharmacist", "healthcare", "medicine", "medical", "therapist", "psychology", "health"],
  business_finance: [
    "manager", "management", "business", "finance", "accountant", "accounting", "sales", "marketing", "consultant",
    "consulting", "entrepreneur", "economics", "banking", "operations", "administration", "hr",
  ],
  law_public: ["lawyer", "law", "legal", "government", "public_sector", "civil_servant", "policy", "politics", "military"],
  arts_media: ["humanities", "artist", "designer", "design", "writer", "writing", "journalist", "journalism", "musician", "music", "media", "arts", "art", "film", "photography", "translation", "translator"],
  trades_services: ["retail", "hospitality", "construction", "manufacturing", "transport", "logistics", "agriculture", "service", "trades", "customer_service"],
  student: ["student", "pupil"],
  not_working: ["unemployed", "retired", "homemaker", "not_working"],
  other: [],
});

export const occupationHierarchy: GeneralizationHierarchy = tableHierarchy([FIELDS]);
export const expertiseHierarchy: GeneralizationHierarchy = tableHierarchy([FIELDS]);

export const aiUsageFrequencyHierarchy: GeneralizationHierarchy = tableHierarchy([
  groups({
    frequent: ["several_times_a_day", "daily", "every_day", "several_times_a_week", "weekly"],
    infrequent: ["monthly", "less_than_monthly", "rarely", "never", "tried_once"],
    other: [],
  }),
]);

/** Languages are released as a sorted comma-separated list of codes, then as a count ("1", "2", "3+"). */
export const languagesHierarchy: GeneralizationHierarchy = {
  height: 2,
  generalize(value, level) {
    if (level >= 2) return SUPPRESSED;
    if (value === PREFER_NOT_TO_SAY) return value;
    const codes = value.split(",").filter((code) => code.length > 0);
    if (level === 0) return codes.map((code) => releasedSlug(code)).join(",");
    return codes.length >= 3 ? "3+" : String(codes.length);
  },
};

/**
 * Languages in the persona row: how many the annotator speaks ("1", "2", "3+", the level above the list),
 * then "*". The list itself is never released: the languages a person speaks narrow them down much more.
 */
export const languageCountHierarchy: GeneralizationHierarchy = {
  height: 1,
  generalize: (value, level) => (level >= 1 ? SUPPRESSED : languagesHierarchy.generalize(value, 1)),
};

/** The canonical string form of a language list: lower-case, de-duplicated, sorted, comma-separated. */
export function canonicalLanguages(languages: readonly string[]): string {
  const codes = new Set(languages.map((code) => code.trim().toLowerCase().replace(/,/g, "")).filter((code) => code.length > 0));
  return [...codes].sort().join(",");
}

/** Response styles: the style, then its length family (short answers, thorough answers, chat), then "*". */
export const responseStyleHierarchy: GeneralizationHierarchy = tableHierarchy([
  groups({ short: ["concise", "balanced"], thorough: ["detailed", "step_by_step"], chatty: ["conversational"], other: [] }),
]);

/**
 * A stated preference in the persona row: its band, low / middle / high ("0-39", "40-79", "80-100"), then
 * whether it is high ("0-79" / "80-100"), then "*". The survey's 20-point buckets are not released, so
 * that six preferences and five persona fields can be k-anonymous jointly while keeping most cells
 * (BENCHMARKS.md, "k-anonymity").
 */
export const preferenceHierarchy: GeneralizationHierarchy = tableHierarchy([groups({ "0-79": ["0-39", "40-79"], "80-100": [] })]);
