/**
 * Common languages (ISO 639-1 codes) with English names for the persona survey.
 * Invariants: codes are unique two-letter lower-case ISO 639-1 codes; order is the UI order (by name).
 */
export interface TLanguage {
  code: string;
  name: string;
}

const LANGUAGE_ENTRIES: ReadonlyArray<readonly [string, string]> = [
  ["af", "Afrikaans"], ["ar", "Arabic"], ["bn", "Bengali"], ["bg", "Bulgarian"],
  ["ca", "Catalan"], ["zh", "Chinese"], ["hr", "Croatian"], ["cs", "Czech"],
  ["da", "Danish"], ["nl", "Dutch"], ["en", "English"], ["et", "Estonian"],
  ["fa", "Persian"], ["fi", "Finnish"], ["fr", "French"], ["de", "German"],
  ["el", "Greek"], ["gu", "Gujarati"], ["ha", "Hausa"], ["he", "Hebrew"],
  ["hi", "Hindi"], ["hu", "Hungarian"], ["id", "Indonesian"], ["it", "Italian"],
  ["ja", "Japanese"], ["ko", "Korean"], ["ms", "Malay"], ["mr", "Marathi"],
  ["no", "Norwegian"], ["pl", "Polish"], ["pt", "Portuguese"], ["pa", "Punjabi"],
  ["ro", "Romanian"], ["ru", "Russian"], ["sr", "Serbian"], ["sk", "Slovak"],
  ["es", "Spanish"], ["sw", "Swahili"], ["sv", "Swedish"], ["tl", "Tagalog"],
  ["ta", "Tamil"], ["te", "Telugu"], ["th", "Thai"], ["tr", "Turkish"],
  ["uk", "Ukrainian"], ["ur", "Urdu"], ["vi", "Vietnamese"], ["yo", "Yoruba"],
];

export const LANGUAGES: readonly TLanguage[] = [...LANGUAGE_ENTRIES]
  .sort((a, b) => a[1].localeCompare(b[1], "en"))
  .map(([code, name]) => ({ code, name }));

const LANGUAGE_NAME_BY_CODE: ReadonlyMap<string, string> = new Map(LANGUAGE_ENTRIES);

export const LANGUAGE_CODES: readonly string[] = LANGUAGES.map((language) => language.code);

/** English name of a supported ISO 639-1 code, or undefined. */
export function languageName(code: string): string | undefined {
  return LANGUAGE_NAME_BY_CODE.get(code);
}
