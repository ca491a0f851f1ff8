import { describe, expect, it } from "vitest";
import { COUNTRIES, countryName } from "@/lib/domain/persona/countries";
import { LANGUAGES, languageName } from "@/lib/domain/persona/languages";
import { ABOUT_ME_MAX_LENGTH, OCCUPATION_MAX_LENGTH, ZPersonaSchema } from "@/lib/domain/persona/schema";

describe("ZPersonaSchema", () => {
  it("accepts an empty persona", () => {
    expect(ZPersonaSchema.parse({})).toEqual({});
  });

  it("accepts a fully filled persona", () => {
    const persona = {
      ageBand: "25-34",
      gender: "non_binary",
      country: "BR",
      languages: ["pt", "en"],
      education: "master",
      occupation: "Nurse",
      expertise: "medicine",
      aiUsageFrequency: "daily",
      aiUseCases: ["writing", "advice"],
      preferences: { factuality: 90, creativity: 10, detail: 50, formality: 0, safety: 100, personalisation: 70 },
      responseStyle: "step_by_step",
      aboutMe: "I work night shifts.",
    };
    expect(ZPersonaSchema.parse(persona)).toEqual(persona);
  });

  it("accepts prefer_not_to_say for every field, including each slider", () => {
    const pnts = "prefer_not_to_say";
    const persona = {
      ageBand: pnts, gender: pnts, country: pnts, languages: pnts, education: pnts, occupation: pnts,
      expertise: pnts, aiUsageFrequency: pnts, aiUseCases: pnts, responseStyle: pnts, aboutMe: pnts,
      preferences: { factuality: pnts, creativity: pnts, detail: pnts, formality: pnts, safety: pnts, personalisation: pnts },
    };
    expect(ZPersonaSchema.safeParse(persona).success).toBe(true);
  });

  it("rejects an unknown age band", () => {
    expect(ZPersonaSchema.safeParse({ ageBand: "12-17" }).success).toBe(false);
  });

  it("rejects a lower-case or unknown country code", () => {
    expect(ZPersonaSchema.safeParse({ country: "de" }).success).toBe(false);
    expect(ZPersonaSchema.safeParse({ country: "XX" }).success).toBe(false);
  });

  it("rejects more than five languages", () => {
    expect(ZPersonaSchema.safeParse({ languages: ["en", "de", "fr", "es", "it", "pt"] }).success).toBe(false);
  });

  it("rejects duplicate languages and use cases", () => {
    expect(ZPersonaSchema.safeParse({ languages: ["en", "en"] }).success).toBe(false);
    expect(ZPersonaSchema.safeParse({ aiUseCases: ["fun", "fun"] }).success).toBe(false);
  });

  it("rejects an unknown expertise and use case", () => {
    expect(ZPersonaSchema.safeParse({ expertise: "astrology" }).success).toBe(false);
    expect(ZPersonaSchema.safeParse({ aiUseCases: ["gaming"] }).success).toBe(false);
  });

  it("rejects slider values outside 0–100 or fractional", () => {
    expect(ZPersonaSchema.safeParse({ preferences: { detail: 101 } }).success).toBe(false);
    expect(ZPersonaSchema.safeParse({ preferences: { detail: -1 } }).success).toBe(false);
    expect(ZPersonaSchema.safeParse({ preferences: { detail: 50.5 } }).success).toBe(false);
  });

  it("limits occupation and aboutMe length after trimming", () => {
    expect(ZPersonaSchema.safeParse({ occupation: "x".repeat(OCCUPATION_MAX_LENGTH + 1) }).success).toBe(false);
    expect(ZPersonaSchema.safeParse({ aboutMe: "x".repeat(ABOUT_ME_MAX_LENGTH + 1) }).success).toBe(false);
    expect(ZPersonaSchema.parse({ occupation: `  ${"x".repeat(OCCUPATION_MAX_LENGTH)}  ` }).occupation).toHaveLength(OCCUPATION_MAX_LENGTH);
  });

  it("strips unknown keys instead of failing", () => {
    expect(ZPersonaSchema.parse({ ageBand: "65+", legacyField: 1 })).toEqual({ ageBand: "65+" });
  });
});

describe("country and language lists", () => {
  it("has unique two-letter upper-case country codes", () => {
    const codes = COUNTRIES.map((country) => country.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((code) => /^[A-Z]{2}$/.test(code))).toBe(true);
    expect(codes.length).toBeGreaterThan(240);
  });

  it("sorts countries by name for the picker", () => {
    const names = COUNTRIES.map((country) => country.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en")));
  });

  it("names countries by code", () => {
    expect(countryName("JP")).toBe("Japan");
    expect(countryName("ZZ")).toBeUndefined();
  });

  it("has about forty unique ISO 639-1 languages sorted by name", () => {
    const codes = LANGUAGES.map((language) => language.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((code) => /^[a-z]{2}$/.test(code))).toBe(true);
    expect(LANGUAGES.length).toBeGreaterThanOrEqual(40);
    const names = LANGUAGES.map((language) => language.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en")));
  });

  it("names languages by code", () => {
    expect(languageName("sw")).toBe("Swahili");
    expect(languageName("xx")).toBeUndefined();
  });
});
