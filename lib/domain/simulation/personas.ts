import {
  AI_USE_CASE_OPTIONS,
  PREFER_NOT_TO_SAY,
  PREFERENCE_KEYS,
  type TPersona,
  type TPersonaPreferences,
  type TPreferenceKey,
} from "../persona/schema";
import { randomInt, type Random } from "../random";
import {
  PERSONA_ATTRIBUTE_VALUES,
  PERSONA_ATTRIBUTES,
  SLIDER_LEVEL_RANGES,
  personaAttributeValue,
  sliderLevel,
  type TPersonaAttribute,
  type TSliderLevel,
} from "./attributes";
import type { TAttributeCondition } from "./config";

/** A few countries per region, each with its first language (ISO 639-1, all in the survey list). */
const COUNTRIES_BY_REGION: Record<string, ReadonlyArray<readonly [string, string]>> = {
  Africa: [["NG", "yo"], ["KE", "sw"], ["ZA", "af"], ["EG", "ar"], ["GH", "en"]],
  Americas: [["US", "en"], ["BR", "pt"], ["CA", "fr"], ["MX", "es"], ["AR", "es"]],
  Asia: [["IN", "hi"], ["JP", "ja"], ["CN", "zh"], ["ID", "id"], ["PH", "tl"]],
  Europe: [["GB", "en"], ["DE", "de"], ["FR", "fr"], ["ES", "es"], ["PL", "pl"]],
  Oceania: [["AU", "en"], ["NZ", "en"], ["FJ", "en"]],
};

/**
 * Base probability of one attribute value: uniform over the attribute's values, except slider
 * levels, whose probability is their share of the 101 slider positions.
 */
function baseProbability(attribute: TPersonaAttribute, value: string): number {
  if (attribute.startsWith("preferences.")) {
    const [low, high] = SLIDER_LEVEL_RANGES[value as TSliderLevel];
    return (high - low + 1) / 101;
  }
  return 1 / PERSONA_ATTRIBUTE_VALUES[attribute].length;
}

function sampleBase(attribute: TPersonaAttribute, random: Random): string {
  if (attribute.startsWith("preferences.")) return sliderLevel(randomInt(random, 101));
  const options = PERSONA_ATTRIBUTE_VALUES[attribute];
  return options[randomInt(random, options.length)];
}

function sliderIn(level: TSliderLevel, random: Random): number {
  const [low, high] = SLIDER_LEVEL_RANGES[level];
  return low + randomInt(random, high - low + 1);
}

/**
 * Draws a persona for a member of a group with `signature`: each attribute takes the signature's
 * value with probability `personaLink`, else a base draw; then, independently, it is replaced by
 * "prefer not to say" with probability `missingRate`. Country (from the region), languages and use
 * cases are filled in so the persona reads like a real survey answer; it always parses with
 * ZPersonaSchema.
 */
export function samplePersona(
  signature: readonly TAttributeCondition[],
  personaLink: number,
  missingRate: number,
  random: Random,
): TPersona {
  const planted = new Map(signature.map((condition) => [condition.attribute, condition.value]));
  const drawn = new Map<TPersonaAttribute, string | null>();
  for (const attribute of PERSONA_ATTRIBUTES) {
    const signatureValue = planted.get(attribute);
    const value = signatureValue !== undefined && random() < personaLink ? signatureValue : sampleBase(attribute, random);
    drawn.set(attribute, random() < missingRate ? null : value);
  }
  const text = (attribute: TPersonaAttribute) => drawn.get(attribute) ?? PREFER_NOT_TO_SAY;
  const persona: TPersona = {
    ageBand: text("ageBand") as TPersona["ageBand"],
    gender: text("gender") as TPersona["gender"],
    education: text("education") as TPersona["education"],
    expertise: text("expertise") as TPersona["expertise"],
    aiUsageFrequency: text("aiUsageFrequency") as TPersona["aiUsageFrequency"],
    responseStyle: text("responseStyle") as TPersona["responseStyle"],
  };
  const region = drawn.get("region");
  if (region) {
    const countries = COUNTRIES_BY_REGION[region];
    const [country, language] = countries[randomInt(random, countries.length)];
    persona.country = country;
    persona.languages = language === "en" ? ["en"] : [language, "en"];
  } else {
    persona.country = PREFER_NOT_TO_SAY;
    persona.languages = ["en"];
  }
  const useCaseCount = 1 + randomInt(random, 3);
  const useCases = new Set<string>();
  while (useCases.size < useCaseCount) useCases.add(AI_USE_CASE_OPTIONS[randomInt(random, AI_USE_CASE_OPTIONS.length)].value);
  persona.aiUseCases = [...useCases] as TPersona["aiUseCases"] & string[];
  const preferences: TPersonaPreferences = {};
  for (const key of PREFERENCE_KEYS) {
    const level = drawn.get(`preferences.${key}`);
    preferences[key as TPreferenceKey] = level ? sliderIn(level as TSliderLevel, random) : PREFER_NOT_TO_SAY;
  }
  persona.preferences = preferences;
  return persona;
}

/**
 * P(group | persona) under the generating model (group shares as the prior, attributes
 * independent given the group). Only signature attributes differ between groups, so only they
 * enter; an unknown answer carries no information.
 */
export function personaGroupPosterior(
  persona: TPersona,
  groups: readonly { share: number; signature: readonly TAttributeCondition[] }[],
  personaLink: number,
): number[] {
  const attributes = new Set(groups.flatMap((group) => group.signature.map((condition) => condition.attribute)));
  const logWeights = groups.map((group) => Math.log(group.share));
  for (const attribute of attributes) {
    const value = personaAttributeValue(persona, attribute);
    if (value === null) continue;
    const base = baseProbability(attribute, value);
    groups.forEach((group, g) => {
      const planted = group.signature.find((condition) => condition.attribute === attribute);
      const probability = planted ? personaLink * (planted.value === value ? 1 : 0) + (1 - personaLink) * base : base;
      logWeights[g] += Math.log(probability);
    });
  }
  const top = Math.max(...logWeights);
  const weights = logWeights.map((logWeight) => Math.exp(logWeight - top));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
}
