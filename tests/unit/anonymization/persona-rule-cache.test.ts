import { describe, expect, it } from "vitest";
import type { PersonaInput } from "@/lib/domain/anonymization/personas";
import { buildPersonaTextRedactor, PersonaRuleCache } from "@/lib/domain/anonymization/persona-text";
import { buildReleaseTextFilter } from "@/lib/domain/anonymization/release-text";
import type { TReleasedPersona } from "@/lib/domain/release/schema";

const WITHHELD: TReleasedPersona = { age_band: "*", gender: "*", language_count: "*", ai_usage_frequency: "*", response_style: null, preferences: {} };
const TEXT = "As a woman in France with a bachelor's degree, aged 25-34, working as a glaciologist: is glaciology a good career in Germany?";

/** Bench-shaped annotators: many people, a handful of persona values between them. */
function annotator(index: number): { persona: PersonaInput; released: TReleasedPersona } {
  return {
    persona: { country: ["FR", "DE", "US"][index % 3], gender: index % 2 ? "woman" : "man", ageBand: "25-34", education: "bachelor", occupation: "glaciologist" },
    released: WITHHELD,
  };
}

describe("PersonaRuleCache", () => {
  it("holds one rule set per distinct persona value, however many annotators share it", () => {
    const cache = new PersonaRuleCache();
    for (let index = 0; index < 6; index++) buildPersonaTextRedactor([annotator(index).persona], WITHHELD, cache);
    const distinct = cache.size;
    for (let index = 6; index < 600; index++) buildPersonaTextRedactor([annotator(index).persona], WITHHELD, cache);
    expect(cache.size).toBe(distinct);
  });

  it("redacts exactly as a redactor built alone", () => {
    const cache = new PersonaRuleCache();
    for (let index = 0; index < 12; index++) {
      const { persona, released } = annotator(index);
      expect(buildPersonaTextRedactor([persona], released, cache)(TEXT)).toEqual(buildPersonaTextRedactor([persona], released)(TEXT));
    }
  });

  it("does not share a rule between annotators whose releases show the value differently", () => {
    const cache = new PersonaRuleCache();
    const persona: PersonaInput = { ageBand: "25-34" };
    const shown = buildPersonaTextRedactor([persona], { ...WITHHELD, age_band: "18-54" }, cache);
    const withheld = buildPersonaTextRedactor([persona], WITHHELD, cache);
    expect(shown("I am 25-34.").text).toBe("I am [AGE: 18-54].");
    expect(withheld("I am 25-34.").text).toBe("I am [AGE].");
  });

  it("is shared by release text filters: annotators differ by identity, not by rules", () => {
    const personaRules = new PersonaRuleCache();
    const filters = Array.from({ length: 50 }, (_, index) =>
      buildReleaseTextFilter({ identity: { name: null, email: `user${index}@example.com` }, personas: [annotator(index).persona], released: WITHHELD, personaRules }),
    );
    const sixDistinct = new PersonaRuleCache();
    for (let index = 0; index < 6; index++) buildPersonaTextRedactor([annotator(index).persona], WITHHELD, sixDistinct);
    expect(personaRules.size).toBe(sixDistinct.size);
    expect(filters[7]!("user7 lives in Germany")).toBe("[USERNAME] lives in [COUNTRY]");
    expect(filters[7]!("user8 lives in Germany")).toBe("user8 lives in [COUNTRY]");
  });
});
