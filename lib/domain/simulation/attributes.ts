import { regionOfCountry } from "../anonymization/countries";
import { REGIONS } from "../leaderboard/segments";
import {
  AGE_BAND_OPTIONS,
  AI_USAGE_FREQUENCY_OPTIONS,
  EDUCATION_OPTIONS,
  EXPERTISE_OPTIONS,
  GENDER_OPTIONS,
  PREFER_NOT_TO_SAY,
  RESPONSE_STYLE_OPTIONS,
  type TPersona,
  type TPreferenceKey,
} from "../persona/schema";

/**
 * The categorical persona attributes the simulator plants preferences on and the preference-group
 * model describes groups by. Each is read from a real survey answer (`TPersona`):
 * single-choice fields as they are, the country as its UN region, each 0–100 preference slider as
 * a level ("low" 0–33, "mid" 34–66, "high" 67–100).
 *
 * Invariants: every attribute has a fixed, non-empty value list; `personaAttributeValue` returns
 * one of those values or null (unknown / "prefer not to say").
 */
export type TPersonaAttribute =
  | "ageBand"
  | "gender"
  | "region"
  | "education"
  | "expertise"
  | "aiUsageFrequency"
  | "responseStyle"
  | `preferences.${TPreferenceKey}`;

const SLIDER_LEVELS = ["low", "mid", "high"] as const;
export type TSliderLevel = (typeof SLIDER_LEVELS)[number];
/** Inclusive slider ranges of each level; together they cover 0–100 exactly once. */
export const SLIDER_LEVEL_RANGES: Record<TSliderLevel, readonly [number, number]> = { low: [0, 33], mid: [34, 66], high: [67, 100] };

const values = (options: readonly { value: string }[]) => options.map((option) => option.value);

export const PERSONA_ATTRIBUTE_VALUES: Readonly<Record<TPersonaAttribute, readonly string[]>> = {
  ageBand: values(AGE_BAND_OPTIONS),
  gender: values(GENDER_OPTIONS),
  region: REGIONS,
  education: values(EDUCATION_OPTIONS),
  expertise: values(EXPERTISE_OPTIONS),
  aiUsageFrequency: values(AI_USAGE_FREQUENCY_OPTIONS),
  responseStyle: values(RESPONSE_STYLE_OPTIONS),
  "preferences.factuality": SLIDER_LEVELS,
  "preferences.creativity": SLIDER_LEVELS,
  "preferences.detail": SLIDER_LEVELS,
  "preferences.formality": SLIDER_LEVELS,
  "preferences.safety": SLIDER_LEVELS,
  "preferences.personalisation": SLIDER_LEVELS,
};

export const PERSONA_ATTRIBUTES = Object.keys(PERSONA_ATTRIBUTE_VALUES) as TPersonaAttribute[];

const ATTRIBUTE_LABELS: Record<string, string> = {
  ageBand: "Age",
  gender: "Gender",
  region: "Region",
  education: "Education",
  expertise: "Expertise",
  aiUsageFrequency: "AI use",
  responseStyle: "Response style",
};

const VALUE_LABELS: Record<string, ReadonlyMap<string, string>> = {
  ageBand: new Map(AGE_BAND_OPTIONS.map((option) => [option.value, option.label])),
  gender: new Map(GENDER_OPTIONS.map((option) => [option.value, option.label])),
  education: new Map(EDUCATION_OPTIONS.map((option) => [option.value, option.label])),
  expertise: new Map(EXPERTISE_OPTIONS.map((option) => [option.value, option.label])),
  aiUsageFrequency: new Map(AI_USAGE_FREQUENCY_OPTIONS.map((option) => [option.value, option.label])),
  responseStyle: new Map(RESPONSE_STYLE_OPTIONS.map((option) => [option.value, option.label])),
};

export function isPersonaAttribute(value: string): value is TPersonaAttribute {
  return Object.hasOwn(PERSONA_ATTRIBUTE_VALUES, value);
}

/** The level of a 0–100 slider value. */
export function sliderLevel(value: number): TSliderLevel {
  if (value <= SLIDER_LEVEL_RANGES.low[1]) return "low";
  if (value <= SLIDER_LEVEL_RANGES.mid[1]) return "mid";
  return "high";
}

/** The persona's value of one attribute, or null when unknown or "prefer not to say". */
export function personaAttributeValue(persona: TPersona, attribute: TPersonaAttribute): string | null {
  if (attribute.startsWith("preferences.")) {
    const slider = persona.preferences?.[attribute.slice("preferences.".length) as TPreferenceKey];
    return typeof slider === "number" ? sliderLevel(slider) : null;
  }
  if (attribute === "region") {
    if (typeof persona.country !== "string" || persona.country === PREFER_NOT_TO_SAY) return null;
    const region = regionOfCountry(persona.country)?.region;
    return region && (REGIONS as readonly string[]).includes(region) ? region : null;
  }
  const answer = persona[attribute as Exclude<TPersonaAttribute, "region" | `preferences.${string}`>];
  return typeof answer === "string" && answer !== PREFER_NOT_TO_SAY ? answer : null;
}

/** Human label of an attribute value: "Expertise: Software and IT", "Values detail: high". */
export function attributeValueLabel(attribute: TPersonaAttribute, value: string): string {
  if (attribute.startsWith("preferences.")) return `Values ${attribute.slice("preferences.".length)}: ${value}`;
  return `${ATTRIBUTE_LABELS[attribute]}: ${VALUE_LABELS[attribute]?.get(value) ?? value}`;
}
