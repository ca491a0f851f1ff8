import worldCountries from "world-countries";
import { EDUCATION_OPTIONS, EXPERTISE_OPTIONS } from "../persona/schema";
import { countryName } from "../persona/countries";
import { languageName } from "../persona/languages";

/**
 * The words a text uses for one persona value, for persona-safe release text (persona-text.ts).
 *
 * Countries: the survey's English name, the common and official names, alternative spellings of three
 * letters or more (plus "UK"/"US"), native names and names in French, Spanish, German, Portuguese, Italian
 * and Dutch (world-countries and Intl.DisplayNames), and the English and French demonyms, which are also the
 * adjectives ("Liechtensteiner", "French", "Brazilians"). Languages: the English name, the native name and
 * the names in the same six languages (Intl.DisplayNames). Ages: the band as printed ("25-34", "25–34",
 * "25 to 34", "between 25 and 34") and the decades it spans ("in your thirties", "30s"). Expertise and
 * education: the survey label and the usual words for the field or degree.
 */
const OTHER_LANGUAGES = ["fr", "es", "de", "pt", "it", "nl"] as const;
const COUNTRY_BY_CODE = new Map(worldCountries.map((country) => [country.cca2, country]));
const EXTRA_COUNTRY_FORMS: Record<string, string[]> = {
  GB: ["UK", "U.K.", "Britain", "British", "Brits", "England", "English"],
  US: ["US", "U.S.", "USA", "U.S.A.", "America", "American", "Americans", "the States"],
  NL: ["Holland", "Dutch"],
  AE: ["UAE", "Emirati"],
  CZ: ["Czech Republic"],
  KR: ["South Korea", "Korea", "Korean"],
  RU: ["Russia"],
};

const displayNames = new Map<string, Intl.DisplayNames | null>();

function displayName(type: "region" | "language", locale: string, code: string): string | undefined {
  const key = `${type}:${locale}`;
  if (!displayNames.has(key)) {
    try {
      displayNames.set(key, new Intl.DisplayNames([locale], { type }));
    } catch {
      displayNames.set(key, null);
    }
  }
  try {
    const name = displayNames.get(key)?.of(code);
    return name && name !== code ? name : undefined;
  } catch {
    return undefined;
  }
}

function unique(forms: Array<string | undefined>): string[] {
  return [...new Set(forms.filter((form): form is string => typeof form === "string" && form.trim().length >= 2).map((form) => form.trim()))];
}

/** Memoizes a forms function: a release builds one redactor per annotator, most sharing a few values. */
function memoized(build: (value: string) => string[]): (value: string) => string[] {
  const cache = new Map<string, string[]>();
  return (value) => {
    let forms = cache.get(value);
    if (!forms) cache.set(value, (forms = build(value)));
    return forms;
  };
}

export const countryForms = memoized(buildCountryForms);
export const languageForms = memoized(buildLanguageForms);
export const ageBandForms = memoized(buildAgeBandForms);

function buildCountryForms(code: string): string[] {
  const upper = code.toUpperCase();
  const country = COUNTRY_BY_CODE.get(upper);
  const demonyms = country ? Object.values(country.demonyms).flatMap(({ f, m }) => [f, m, `${m}s`, `${f}s`]) : [];
  return unique([
    countryName(upper),
    country?.name.common,
    country?.name.official,
    ...(country ? Object.values(country.name.native).flatMap(({ common, official }) => [common, official]) : []),
    ...(country?.altSpellings.filter((spelling) => spelling.length >= 3) ?? []),
    ...OTHER_LANGUAGES.map((locale) => displayName("region", locale, upper)),
    displayName("region", "en", upper),
    ...demonyms,
    ...(EXTRA_COUNTRY_FORMS[upper] ?? []),
  ]);
}

function buildLanguageForms(code: string): string[] {
  const lower = code.toLowerCase();
  return unique([
    languageName(lower),
    displayName("language", "en", lower),
    displayName("language", lower, lower),
    ...OTHER_LANGUAGES.map((locale) => displayName("language", locale, lower)),
  ]);
}

const DECADES: Record<number, string[]> = {
  1: ["teens", "teenage", "teenager", "teenagers"],
  2: ["twenties", "20s"],
  3: ["thirties", "30s"],
  4: ["forties", "40s"],
  5: ["fifties", "50s"],
  6: ["sixties", "60s"],
  7: ["seventies", "70s"],
  8: ["eighties", "80s"],
};

function buildAgeBandForms(band: string): string[] {
  const range = /^(\d{2})-(\d{2})$/.exec(band);
  if (range) {
    const [low, high] = [Number(range[1]), Number(range[2])];
    const decades = new Set([Math.floor(low / 10), Math.floor(high / 10)]);
    return unique([
      `${low}-${high}`, `${low}–${high}`, `${low} - ${high}`, `${low} to ${high}`, `between ${low} and ${high}`,
      `aged ${low}-${high}`, `aged ${low}–${high}`, `aged ${low} to ${high}`, `aged ${low}`,
      ...[...decades].flatMap((decade) => (DECADES[decade] ?? []).flatMap((word) => [`early ${word}`, `mid ${word}`, `mid-${word}`, `late ${word}`, word])),
      ...(low < 25 ? ["young adult", "young adults"] : []),
    ]);
  }
  const open = /^(\d{2})\+$/.exec(band);
  if (!open) return unique([band]);
  const low = Number(open[1]);
  return unique([
    `${low}+`, `${low} or older`, `${low} and older`, `${low} and over`, `over ${low}`, `${low} or over`,
    "senior", "seniors", "senior citizen", "senior citizens", "older adult", "older adults", "retirement age", "pensioner",
    ...[6, 7, 8, 9].flatMap((decade) => (DECADES[decade] ?? []).flatMap((word) => [`early ${word}`, `late ${word}`, word])),
  ]);
}

const EXPERTISE_WORDS: Record<string, string[]> = {
  software: ["software", "IT", "programming", "computing", "computer science", "tech"],
  science: ["science", "sciences", "research", "scientific research"],
  medicine: ["medicine", "health", "healthcare", "health care", "nursing", "the medical field"],
  law: ["law", "legal", "the legal field"],
  education: ["education", "teaching"],
  arts: ["art", "arts", "design"],
  business: ["business", "finance"],
  engineering: ["engineering"],
  humanities: ["humanities", "the humanities", "social sciences", "the social sciences"],
  trades: ["trades", "the trades", "skilled trades", "a skilled trade"],
  student: ["studies", "your studies"],
};

/**
 * Expertise: the survey label anywhere ("Medicine and health"); the field's words only after a cue
 * ("background in medicine", "work in law"), since "law" or "health" alone are ordinary words.
 */
export function expertiseForms(value: string): { anywhere: string[]; afterCue: string[] } {
  const label = EXPERTISE_OPTIONS.find((option) => option.value === value)?.label;
  return { anywhere: unique([label]), afterCue: unique([value, ...(EXPERTISE_WORDS[value] ?? [])]) };
}

const EDUCATION_WORDS: Record<string, string[]> = {
  less_than_secondary: ["did not finish school", "without a school diploma"],
  secondary: ["secondary school", "high school diploma", "high-school diploma", "A-levels"],
  vocational: ["vocational training", "vocational qualification", "technical training", "apprenticeship"],
  some_university: ["some university", "some college", "without finishing your degree"],
  bachelor: ["bachelor's degree", "bachelor’s degree", "bachelor's", "undergraduate degree", "BA", "BSc"],
  master: ["master's degree", "master’s degree", "master's", "MSc", "MBA", "professional degree"],
  doctorate: ["doctorate", "PhD", "Ph.D.", "doctoral degree", "DPhil"],
};

export function educationForms(value: string): string[] {
  const label = EDUCATION_OPTIONS.find((option) => option.value === value)?.label;
  return unique([label, ...(EDUCATION_WORDS[value] ?? [])]);
}
