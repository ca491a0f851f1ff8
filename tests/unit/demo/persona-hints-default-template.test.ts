import { describe, expect, it } from "vitest";

import { parsePersonaHints } from "@/lib/domain/demo/persona-hints";
import { DEFAULT_PERSONA_TEMPLATE, renderPersonaPrompt, type TPersona } from "@/lib/domain/persona";

function hintsFor(persona: TPersona, userText = "How do I sort a list in Python?") {
  const { systemPrompt } = renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, persona);
  return parsePersonaHints(systemPrompt, userText);
}

describe("parsePersonaHints on the default persona template", () => {
  it("reads age, country and field of expertise", () => {
    expect(hintsFor({ ageBand: "65+", country: "FR", expertise: "software" })).toMatchObject({
      ageBand: "65 or older",
      country: "France",
      field: "Software and IT",
    });
  });

  it("reads the preferred format", () => {
    expect(hintsFor({ responseStyle: "concise" }).preferredStyle).toBe("concise");
    expect(hintsFor({ responseStyle: "detailed" }).preferredStyle).toBe("detailed");
    expect(hintsFor({ responseStyle: "conversational" }).preferredStyle).toBe("friendly");
  });

  it("does not read 'balanced' as concise because its explanation says brief", () => {
    expect(hintsFor({ responseStyle: "balanced" }).preferredStyle).toBeNull();
  });

  it("takes the style from the detail slider when no format is given", () => {
    expect(hintsFor({ preferences: { detail: 5 } }).preferredStyle).toBe("concise");
    expect(hintsFor({ preferences: { detail: 95 } }).preferredStyle).toBe("detailed");
  });

  it("lets the explicit format win over slider sentences", () => {
    expect(hintsFor({ preferences: { detail: 95 }, responseStyle: "concise" }).preferredStyle).toBe("concise");
  });

  it("ignores neutral slider sentences", () => {
    expect(hintsFor({ preferences: { detail: 50, formality: 50 } }).preferredStyle).toBeNull();
  });

  it("reads frequent AI use as expertise and rare use as novice", () => {
    expect(hintsFor({ aiUsageFrequency: "several_times_a_day" }).expertise).toBe("expert");
    expect(hintsFor({ aiUsageFrequency: "weekly" }).expertise).toBe("intermediate");
    expect(hintsFor({ aiUsageFrequency: "never" }).expertise).toBe("novice");
  });

  it("answers in a language the user reads when the prompt is in another one", () => {
    expect(hintsFor({ languages: ["fr"] }).language).toBe("fr");
  });

  it("keeps the prompt's language when the user reads it", () => {
    expect(hintsFor({ languages: ["fr", "en"] }).language).toBe("en");
  });

  it("ignores languages the demo models cannot write", () => {
    expect(hintsFor({ languages: ["ja"] }).language).toBe("en");
  });

  it("keeps the occupation apart from the field of expertise", () => {
    expect(hintsFor({ occupation: "retired teacher", expertise: "education" })).toMatchObject({ occupation: "retired teacher", field: "Education and teaching" });
  });

  it("reads nothing from an empty persona", () => {
    expect(hintsFor({})).toMatchObject({ expertise: null, field: null, occupation: null, preferredStyle: null, ageBand: null, country: null, language: "en" });
  });
});
