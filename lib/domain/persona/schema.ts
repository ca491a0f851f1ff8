import { z } from "zod";
import { COUNTRY_CODES } from "./countries";
import { LANGUAGE_CODES } from "./languages";

/**
 * The annotator persona, modeled on the PRISM alignment survey (demographics, AI familiarity,
 * stated preferences, free-text self description).
 *
 * Invariants:
 * - every field is optional, and every field also accepts `"prefer_not_to_say"`; both mean "unknown"
 *   and are never sent to a model;
 * - unknown keys are stripped (not rejected) so personas stored by older versions still parse;
 * - free text is trimmed and length-limited; languages and use cases are unique.
 */
export const PREFER_NOT_TO_SAY = "prefer_not_to_say" as const;

export interface TOption<TValue extends string = string> {
  value: TValue;
  label: string;
}

export const AGE_BAND_OPTIONS = [
  { value: "18-24", label: "18–24" },
  { value: "25-34", label: "25–34" },
  { value: "35-44", label: "35–44" },
  { value: "45-54", label: "45–54" },
  { value: "55-64", label: "55–64" },
  { value: "65+", label: "65 or older" },
] as const satisfies readonly TOption[];

export const GENDER_OPTIONS = [
  { value: "woman", label: "Woman" },
  { value: "man", label: "Man" },
  { value: "non_binary", label: "Non-binary" },
  { value: "other", label: "Other" },
] as const satisfies readonly TOption[];

export const EDUCATION_OPTIONS = [
  { value: "less_than_secondary", label: "Less than secondary school" },
  { value: "secondary", label: "Secondary school" },
  { value: "vocational", label: "Vocational or technical training" },
  { value: "some_university", label: "Some university, no degree" },
  { value: "bachelor", label: "Bachelor's degree" },
  { value: "master", label: "Master's or professional degree" },
  { value: "doctorate", label: "Doctorate" },
  { value: "other", label: "Other" },
] as const satisfies readonly TOption[];

export const EXPERTISE_OPTIONS = [
  { value: "software", label: "Software and IT" },
  { value: "science", label: "Science and research" },
  { value: "medicine", label: "Medicine and health" },
  { value: "law", label: "Law" },
  { value: "education", label: "Education and teaching" },
  { value: "arts", label: "Arts and design" },
  { value: "business", label: "Business and finance" },
  { value: "engineering", label: "Engineering" },
  { value: "humanities", label: "Humanities and social sciences" },
  { value: "trades", label: "Skilled trades" },
  { value: "student", label: "Student" },
  { value: "other", label: "Other" },
] as const satisfies readonly TOption[];

export const AI_USAGE_FREQUENCY_OPTIONS = [
  { value: "never", label: "Never" },
  { value: "monthly", label: "About once a month" },
  { value: "weekly", label: "About once a week" },
  { value: "daily", label: "Daily" },
  { value: "several_times_a_day", label: "Several times a day" },
] as const satisfies readonly TOption[];

export const AI_USE_CASE_OPTIONS = [
  { value: "coding", label: "Coding" },
  { value: "writing", label: "Writing" },
  { value: "research", label: "Research" },
  { value: "learning", label: "Learning" },
  { value: "work", label: "Work tasks" },
  { value: "creative", label: "Creative projects" },
  { value: "advice", label: "Advice" },
  { value: "fun", label: "Fun" },
  { value: "other", label: "Other" },
] as const satisfies readonly TOption[];

export const RESPONSE_STYLE_OPTIONS = [
  { value: "concise", label: "Concise (short and to the point)" },
  { value: "balanced", label: "Balanced (brief, with detail where it matters)" },
  { value: "detailed", label: "Detailed (thorough and complete)" },
  { value: "step_by_step", label: "Step by step (structured, one step at a time)" },
  { value: "conversational", label: "Conversational (friendly, like a chat)" },
] as const satisfies readonly TOption[];

export const PREFERENCE_KEYS = [
  "factuality",
  "creativity",
  "detail",
  "formality",
  "safety",
  "personalisation",
] as const;
export type TPreferenceKey = (typeof PREFERENCE_KEYS)[number];

export const OCCUPATION_MAX_LENGTH = 80;
export const ABOUT_ME_MAX_LENGTH = 500;
export const LANGUAGES_MAX = 5;

type OptionValues<T extends readonly TOption[]> = T[number]["value"];

function valuesOf<T extends readonly TOption[]>(options: T): [OptionValues<T>, ...OptionValues<T>[]] {
  return options.map((option) => option.value) as [OptionValues<T>, ...OptionValues<T>[]];
}

function orPreferNotToSay<T extends z.ZodType>(schema: T) {
  return z.union([z.literal(PREFER_NOT_TO_SAY), schema]).optional();
}

function uniqueArray<T extends z.ZodType>(item: T, max: number) {
  return z
    .array(item)
    .max(max)
    .refine((items) => new Set(items).size === items.length, { message: "Items must be unique" });
}

const ZSliderSchema = z.number().int().min(0).max(100);

const ZPersonaPreferencesSchema = z.object({
  factuality: orPreferNotToSay(ZSliderSchema),
  creativity: orPreferNotToSay(ZSliderSchema),
  detail: orPreferNotToSay(ZSliderSchema),
  formality: orPreferNotToSay(ZSliderSchema),
  safety: orPreferNotToSay(ZSliderSchema),
  personalisation: orPreferNotToSay(ZSliderSchema),
});

export const ZPersonaSchema = z.object({
  ageBand: orPreferNotToSay(z.enum(valuesOf(AGE_BAND_OPTIONS))),
  gender: orPreferNotToSay(z.enum(valuesOf(GENDER_OPTIONS))),
  country: orPreferNotToSay(z.enum(COUNTRY_CODES as [string, ...string[]])),
  languages: orPreferNotToSay(uniqueArray(z.enum(LANGUAGE_CODES as [string, ...string[]]), LANGUAGES_MAX)),
  education: orPreferNotToSay(z.enum(valuesOf(EDUCATION_OPTIONS))),
  occupation: orPreferNotToSay(z.string().trim().max(OCCUPATION_MAX_LENGTH)),
  expertise: orPreferNotToSay(z.enum(valuesOf(EXPERTISE_OPTIONS))),
  aiUsageFrequency: orPreferNotToSay(z.enum(valuesOf(AI_USAGE_FREQUENCY_OPTIONS))),
  aiUseCases: orPreferNotToSay(uniqueArray(z.enum(valuesOf(AI_USE_CASE_OPTIONS)), AI_USE_CASE_OPTIONS.length)),
  preferences: ZPersonaPreferencesSchema.optional(),
  responseStyle: orPreferNotToSay(z.enum(valuesOf(RESPONSE_STYLE_OPTIONS))),
  aboutMe: orPreferNotToSay(z.string().trim().max(ABOUT_ME_MAX_LENGTH)),
});

export type TPersona = z.infer<typeof ZPersonaSchema>;
export type TPersonaPreferences = z.infer<typeof ZPersonaPreferencesSchema>;

