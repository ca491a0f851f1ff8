/**
 * Language identification of prompts with ELD (Efficient Language Detector, the "medium" n-gram
 * set: 60 languages), a maintained library. Its n-gram tables take about half a second to load, so
 * the detector is loaded once, on first use, and the classifier takes it as a plain function.
 */
export type TDetectLanguage = (text: string) => string | null;

let detector: Promise<TDetectLanguage> | undefined;

/** Code, URLs, numbers and formulas carry no language and skew the n-grams; they are removed first. */
function proseOf(text: string): string {
  return text
    .replace(/```[\s\S]*?```/gu, " ")
    .replace(/`[^`]*`/gu, " ")
    .replace(/https?:\/\/\S+/gu, " ")
    .replace(/[\d^*/=+<>{}()[\]_#|\\-]+/gu, " ");
}

export function loadLanguageDetector(): Promise<TDetectLanguage> {
  detector ??= import("eld/medium").then(({ eld }) => (text: string) => {
    const prose = proseOf(text).trim();
    if (prose.length === 0) return null;
    const result = eld.detect(prose);
    return result.language ? result.language : null;
  });
  return detector;
}
