import { COUNTRIES } from "./countries";
import { LANGUAGES } from "./languages";
import {
  ABOUT_ME_MAX_LENGTH,
  AGE_BAND_OPTIONS,
  AI_USAGE_FREQUENCY_OPTIONS,
  AI_USE_CASE_OPTIONS,
  EDUCATION_OPTIONS,
  EXPERTISE_OPTIONS,
  GENDER_OPTIONS,
  LANGUAGES_MAX,
  OCCUPATION_MAX_LENGTH,
  RESPONSE_STYLE_OPTIONS,
  type TOption,
  type TPreferenceKey,
} from "./schema";

/**
 * Survey metadata: the UI renders the persona survey from this list alone, and the prompt
 * renderer takes each field's user-facing label from it, so a label shown in the survey is the
 * label the user later sees under "what the models know about you".
 *
 * Invariants: keys are unique and are exactly the template placeholders (`preferences.detail` for
 * sliders); every non-free-text field lists its options; `releasable: false` marks free text that
 * may identify a person and must never appear in a data release.
 */
export type TPersonaFieldSection = "about_you" | "ai_use" | "preferences";

interface TPersonaFieldBase {
  key: string;
  label: string;
  help: string;
  section: TPersonaFieldSection;
  releasable: boolean;
}

interface TPersonaChoiceField extends TPersonaFieldBase {
  kind: "single" | "multi";
  options: readonly TOption[];
  maxItems?: number;
}

export interface TPersonaTextField extends TPersonaFieldBase {
  kind: "text" | "textarea";
  maxLength: number;
}

interface TPersonaSliderField extends TPersonaFieldBase {
  kind: "slider";
  min: 0;
  max: 100;
  lowLabel: string;
  highLabel: string;
}

export type TPersonaField = TPersonaChoiceField | TPersonaTextField | TPersonaSliderField;

const countryOptions: readonly TOption[] = COUNTRIES.map((country) => ({ value: country.code, label: country.name }));
const languageOptions: readonly TOption[] = LANGUAGES.map((language) => ({ value: language.code, label: language.name }));

function slider(
  key: TPreferenceKey,
  label: string,
  help: string,
  lowLabel: string,
  highLabel: string,
): TPersonaSliderField {
  return { key: `preferences.${key}`, label, help, section: "preferences", releasable: true, kind: "slider", min: 0, max: 100, lowLabel, highLabel };
}

export const PERSONA_FIELDS: readonly TPersonaField[] = [
  { key: "ageBand", label: "Age", help: "Your age group.", section: "about_you", releasable: true, kind: "single", options: AGE_BAND_OPTIONS },
  { key: "gender", label: "Gender", help: "The gender you identify with.", section: "about_you", releasable: true, kind: "single", options: GENDER_OPTIONS },
  { key: "country", label: "Country", help: "The country you live in.", section: "about_you", releasable: true, kind: "single", options: countryOptions },
  {
    key: "languages",
    label: "Languages",
    help: `Languages you are comfortable reading (up to ${LANGUAGES_MAX}).`,
    section: "about_you",
    releasable: true,
    kind: "multi",
    options: languageOptions,
    maxItems: LANGUAGES_MAX,
  },
  { key: "education", label: "Education", help: "Your highest completed level of education.", section: "about_you", releasable: true, kind: "single", options: EDUCATION_OPTIONS },
  {
    key: "occupation",
    label: "Occupation",
    help: "Your job or main activity, in a few words.",
    section: "about_you",
    releasable: false,
    kind: "text",
    maxLength: OCCUPATION_MAX_LENGTH,
  },
  { key: "expertise", label: "Field of expertise", help: "The field you know best.", section: "about_you", releasable: true, kind: "single", options: EXPERTISE_OPTIONS },
  {
    key: "aiUsageFrequency",
    label: "AI assistant use",
    help: "How often you use AI assistants.",
    section: "ai_use",
    releasable: true,
    kind: "single",
    options: AI_USAGE_FREQUENCY_OPTIONS,
  },
  {
    key: "aiUseCases",
    label: "Uses AI for",
    help: "What you usually use AI assistants for.",
    section: "ai_use",
    releasable: true,
    kind: "multi",
    options: AI_USE_CASE_OPTIONS,
    maxItems: AI_USE_CASE_OPTIONS.length,
  },
  slider("factuality", "Factuality", "How much strict factual accuracy matters to you.", "Speculation is fine", "Strictly factual"),
  slider("creativity", "Creativity", "How original and imaginative you like answers to be.", "Conventional", "Creative"),
  slider("detail", "Detail", "How long and thorough answers should be.", "Concise", "Detailed"),
  slider("formality", "Formality", "The tone you prefer.", "Casual", "Formal"),
  slider("safety", "Caution", "How much you want risks and caveats flagged.", "Frank, few caveats", "Cautious"),
  slider("personalisation", "Personalisation", "How much answers should be tailored to you.", "Generic", "Tailored to me"),
  {
    key: "responseStyle",
    label: "Response style",
    help: "The answer format you usually prefer.",
    section: "preferences",
    releasable: true,
    kind: "single",
    options: RESPONSE_STYLE_OPTIONS,
  },
  {
    key: "aboutMe",
    label: "About me",
    help: "Anything else the models should know about you. Sent to the models, never published.",
    section: "preferences",
    releasable: false,
    kind: "textarea",
    maxLength: ABOUT_ME_MAX_LENGTH,
  },
];

/** Every placeholder a persona template may use, in survey order. */
export const PERSONA_PLACEHOLDERS: readonly string[] = PERSONA_FIELDS.map((field) => field.key);

const FIELD_BY_KEY: ReadonlyMap<string, TPersonaField> = new Map(PERSONA_FIELDS.map((field) => [field.key, field]));

/** The survey field for a placeholder key, or undefined for an unknown key. */
export function personaField(key: string): TPersonaField | undefined {
  return FIELD_BY_KEY.get(key);
}
