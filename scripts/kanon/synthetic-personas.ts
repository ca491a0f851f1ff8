/**
 * Synthetic annotator personas with realistic marginals for the k-anonymity benchmark and tests.
 * Shapes follow the PRISM alignment survey's participants (HannahKirk/prism-alignment): mostly young
 * and middle-aged, gender near parity, a few English-speaking countries dominating a long tail of
 * others (a rare country each), mostly university-educated frequent AI users; languages follow the
 * country, expertise follows the occupation, students are young and retirees old, stated preferences are
 * high for factuality and safety and spread for the others, with the usual acquiescence of sliders (a
 * respondent who rates one preference high tends to rate the others high). Every field is left unanswered
 * now and then, and a few occupations are free text.
 */
import type { AnnotatorPersona, PersonaInput } from "@/lib/domain/anonymization/personas";
import { AGE_BAND_OPTIONS, PREFER_NOT_TO_SAY } from "@/lib/domain/persona/schema";
import { createRandom, type Random } from "@/lib/domain/random";

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

function pick<T>(random: Random, table: Weighted<T>): T {
  const total = table.reduce((sum, [, weight]) => sum + weight, 0);
  let target = random() * total;
  for (const [value, weight] of table) {
    target -= weight;
    if (target < 0) return value;
  }
  return table[table.length - 1]![0];
}

/** Share (percent) of each of the domain's age bands: a band added there fails typecheck here until it has one. */
const AGE_SHARE: Record<(typeof AGE_BAND_OPTIONS)[number]["value"], number> = { "18-24": 20, "25-34": 32, "35-44": 20, "45-54": 13, "55-64": 9, "65+": 4 };
const AGE: Weighted<string> = [...AGE_BAND_OPTIONS.map(({ value }) => [value, AGE_SHARE[value]] as const), [PREFER_NOT_TO_SAY, 2]];
const GENDER: Weighted<string> = [["woman", 48], ["man", 49], ["non_binary", 2], ["prefer_not_to_say", 1]];
/** Country → share (percent) and its usual language besides English. */
const COUNTRY: Weighted<[string, string | null]> = [
  [["US", null], 30], [["GB", null], 20], [["CA", "fr"], 4], [["AU", null], 3], [["DE", "de"], 4], [["FR", "fr"], 3],
  [["IN", "hi"], 5], [["BR", "pt"], 3], [["MX", "es"], 2], [["ZA", "af"], 2], [["NG", "yo"], 2], [["IT", "it"], 2],
  [["ES", "es"], 2], [["PL", "pl"], 2], [["NL", "nl"], 2], [["IE", null], 1], [["NZ", null], 1], [["JP", "ja"], 1],
  [["KE", "sw"], 1], [["CL", "es"], 1], [["PT", "pt"], 1], [["SE", "sv"], 1], [["IS", "is"], 0.3], [["TV", null], 0.2],
  [["LI", "de"], 0.2], [["MN", "mn"], 0.3], [["FJ", null], 0.3], [["UY", "es"], 0.4], [["EE", "et"], 0.3], [["GH", null], 0.5],
];
const EDUCATION: Weighted<string> = [
  ["bachelor", 38], ["master", 22], ["secondary", 15], ["some_university", 12], ["vocational", 6], ["doctorate", 5], ["less_than_secondary", 1], ["other", 1],
];
/** Occupation → share and the expertise it usually goes with. */
const OCCUPATION: Weighted<[string, string]> = [
  [["software_engineer", "software"], 14], [["student", "student"], 16], [["teacher", "education"], 7], [["manager", "business"], 9],
  [["researcher", "science"], 6], [["nurse", "medicine"], 4], [["doctor", "medicine"], 2], [["designer", "arts"], 4],
  [["writer", "humanities"], 3], [["accountant", "business"], 4], [["sales", "business"], 4], [["lawyer", "law"], 2],
  [["engineer", "engineering"], 5], [["retired", "other"], 4], [["unemployed", "other"], 4], [["retail", "trades"], 4],
  [["data_scientist", "software"], 3], [["consultant", "business"], 3],
  [["glaciologist", "science"], 0.5], [["Lighthouse keeper on a small island", "other"], 0.5], [["beekeeper", "trades"], 0.5], [["organist", "arts"], 0.5],
];
const EXPERTISE = ["software", "science", "medicine", "law", "education", "arts", "business", "engineering", "humanities", "trades", "student", "other"];
const USAGE: Weighted<string> = [["several_times_a_day", 25], ["daily", 30], ["weekly", 25], ["monthly", 12], ["never", 8]];
const STYLE: Weighted<string> = [["balanced", 35], ["concise", 30], ["detailed", 20], ["step_by_step", 10], ["conversational", 5]];
/** Stated preference → mean and spread of its 0–100 score. */
const PREFERENCES: Record<string, [number, number]> = {
  factuality: [88, 12],
  safety: [75, 20],
  detail: [62, 22],
  creativity: [55, 25],
  formality: [50, 25],
  personalisation: [56, 25],
};

function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function syntheticPersona(random: Random): PersonaInput {
  const answered = <T>(value: T, skip = 0.05): T | undefined => (random() < skip ? undefined : value);
  const [country, localLanguage] = pick(random, COUNTRY);
  const languages = localLanguage ? (random() < 0.75 ? [localLanguage, "en"] : [localLanguage]) : ["en"];
  if (random() < 0.12) languages.push(pick(random, [["es", 3], ["fr", 3], ["de", 2], ["zh", 1], ["ar", 1]] as const));
  const [occupation, usualExpertise] = pick(random, OCCUPATION);
  const age = occupation === "student" && random() < 0.8 ? "18-24" : occupation === "retired" && random() < 0.8 ? pick(random, [["55-64", 1], ["65+", 2]] as const) : pick(random, AGE);
  const education = occupation === "student" ? pick(random, [["secondary", 3], ["some_university", 5], ["bachelor", 2]] as const) : pick(random, EDUCATION);
  const acquiescence = 10 * normal(random);
  const expertise = random() < 0.8 ? usualExpertise : EXPERTISE[Math.floor(random() * EXPERTISE.length)]!;
  const preferences: Record<string, number> = {};
  for (const [key, [mean, spread]] of Object.entries(PREFERENCES)) {
    if (random() < 0.1) continue;
    preferences[key] = Math.max(0, Math.min(100, Math.round(mean + acquiescence + Math.sqrt(Math.max(spread * spread - 100, 0)) * normal(random))));
  }
  return {
    ageBand: answered(age),
    gender: answered(pick(random, GENDER)),
    country: answered(country),
    languages: answered([...new Set(languages)]),
    education: answered(education),
    occupation: answered(occupation, 0.1),
    expertise: answered(expertise, 0.1),
    aiUsageFrequency: answered(pick(random, USAGE)),
    aiUseCases: ["coding", "writing"],
    responseStyle: answered(pick(random, STYLE)),
    preferences,
    aboutMe: "I would rather not say much about myself.",
  };
}

/** `count` annotators `annotator_0…`, reproducible from `seed`. */
export function syntheticAnnotators(count: number, seed: number): AnnotatorPersona[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, index) => ({ annotator: `annotator_${index}`, persona: syntheticPersona(random) }));
}
