import { PERSONA_FIELDS, type TPersonaField } from "./fields";
import { PREFER_NOT_TO_SAY, type TPersona, type TPreferenceKey } from "./schema";

/**
 * One known thing about the annotator, in the exact words a model receives.
 *
 * This is the single source for both the system prompt (`renderPersonaPrompt` substitutes `value`)
 * and the disclosure shown to the user (`describePersonaForUser` shows `label: value`), so the two
 * cannot drift apart.
 */
export interface TPersonaFact {
  /** Placeholder key, e.g. `expertise` or `preferences.detail`. */
  key: string;
  /** User-facing field label from `PERSONA_FIELDS`. */
  label: string;
  /** Text substituted for `{{key}}`; never empty, never contains line breaks. */
  value: string;
}

interface TSliderWording {
  low: string;
  high: string;
  neutral: string;
}

/**
 * Words for each slider. Values are bucketed: 0–20 strong low, 21–40 leaning low, 41–59 neutral,
 * 60–79 leaning high, 80–100 strong high (e.g. detail 85 → "prefers detailed, thorough answers").
 */
const SLIDER_WORDING: Record<TPreferenceKey, TSliderWording> = {
  factuality: {
    low: "speculative or opinionated answers",
    high: "strictly factual answers with uncertainty clearly flagged",
    neutral: "has no strong preference between speculative and strictly factual answers",
  },
  creativity: {
    low: "conventional, straightforward answers",
    high: "creative, original answers",
    neutral: "has no strong preference between conventional and creative answers",
  },
  detail: {
    low: "short, concise answers",
    high: "detailed, thorough answers",
    neutral: "prefers answers of moderate length",
  },
  formality: {
    low: "a casual, informal tone",
    high: "a formal, professional tone",
    neutral: "has no strong preference between a casual and a formal tone",
  },
  safety: {
    low: "frank answers with few caveats",
    high: "cautious answers that point out risks",
    neutral: "has no strong preference about caveats and warnings",
  },
  personalisation: {
    low: "generic answers rather than ones tailored to them",
    high: "answers tailored to their background",
    neutral: "has no strong preference about tailored answers",
  },
};

/** Describes a 0–100 slider value in words; see `SLIDER_WORDING` for the buckets. */
export function describeSlider(key: TPreferenceKey, value: number): string {
  const wording = SLIDER_WORDING[key];
  if (value <= 20) return `prefers ${wording.low}`;
  if (value <= 40) return `leans towards ${wording.low}`;
  if (value < 60) return wording.neutral;
  if (value < 80) return `leans towards ${wording.high}`;
  return `prefers ${wording.high}`;
}

/** Collapses whitespace (including line breaks) and strips control characters from free text. */
export function normalizeFreeText(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/\p{Cc}/gu, "")
    .trim();
}

function optionLabel(field: TPersonaField, value: string): string | undefined {
  if (field.kind !== "single" && field.kind !== "multi") return undefined;
  return field.options.find((option) => option.value === value)?.label;
}

function rawValue(persona: TPersona, key: string): unknown {
  if (key.startsWith("preferences.")) {
    return persona.preferences?.[key.slice("preferences.".length) as TPreferenceKey];
  }
  return (persona as Record<string, unknown>)[key];
}

function factValue(field: TPersonaField, raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === PREFER_NOT_TO_SAY) return undefined;
  switch (field.kind) {
    case "slider":
      return typeof raw === "number" ? describeSlider(field.key.slice("preferences.".length) as TPreferenceKey, raw) : undefined;
    case "text":
    case "textarea":
      return typeof raw === "string" ? normalizeFreeText(raw) || undefined : undefined;
    case "single":
      return typeof raw === "string" ? optionLabel(field, raw) : undefined;
    case "multi": {
      if (!Array.isArray(raw)) return undefined;
      const labels = raw.map((item) => optionLabel(field, String(item))).filter((label): label is string => Boolean(label));
      return labels.length > 0 ? labels.join(", ") : undefined;
    }
  }
}

/**
 * Everything known about the persona, in `PERSONA_FIELDS` order. Missing and "prefer not to say"
 * fields, empty lists and blank text produce no fact.
 */
export function personaFacts(persona: TPersona): TPersonaFact[] {
  const facts: TPersonaFact[] = [];
  for (const field of PERSONA_FIELDS) {
    const value = factValue(field, rawValue(persona, field.key));
    if (value !== undefined) facts.push({ key: field.key, label: field.label, value });
  }
  return facts;
}
