import { describe, expect, it } from "vitest";
import type { TPersona } from "@/lib/domain/persona/schema";
import {
  DEFAULT_PERSONA_TEMPLATE,
  PERSONA_TEMPLATE_MAX_LENGTH,
  PersonaTemplateError,
  renderPersonaPrompt,
  validatePersonaTemplate,
} from "@/lib/domain/persona/template";

const fullPersona: TPersona = {
  ageBand: "35-44",
  gender: "woman",
  country: "KE",
  languages: ["sw", "en"],
  education: "bachelor",
  occupation: "Accountant",
  expertise: "business",
  aiUsageFrequency: "weekly",
  aiUseCases: ["work", "learning"],
  preferences: { factuality: 90, creativity: 30, detail: 85, formality: 70, safety: 50, personalisation: 10 },
  responseStyle: "concise",
  aboutMe: "I run a small bakery.",
};

function errorsOf(template: string): string[] {
  const result = validatePersonaTemplate(template);
  return result.ok ? [] : result.errors;
}

describe("validatePersonaTemplate", () => {
  it("accepts the default template", () => {
    expect(validatePersonaTemplate(DEFAULT_PERSONA_TEMPLATE)).toEqual({ ok: true });
  });

  it("accepts plain text without tags", () => {
    expect(validatePersonaTemplate("Be helpful.")).toEqual({ ok: true });
  });

  it("accepts whitespace inside braces", () => {
    expect(validatePersonaTemplate("Age {{ ageBand }}{{#if  expertise }}x{{/if}}")).toEqual({ ok: true });
  });

  it("rejects an unknown placeholder", () => {
    expect(errorsOf("Hi {{salary}}")).toEqual(['Unknown placeholder "salary" at position 3']);
  });

  it("rejects an unknown nested preference", () => {
    expect(errorsOf("{{preferences.humour}}")[0]).toMatch(/Unknown placeholder "preferences.humour"/);
  });

  it("rejects an unknown key in a condition", () => {
    expect(errorsOf("{{#if ageBand || salary}}x{{/if}}")[0]).toMatch(/Unknown placeholder "salary"/);
  });

  it("rejects an empty condition operand", () => {
    expect(errorsOf("{{#if ageBand ||}}x{{/if}}")[0]).toMatch(/Empty condition/);
  });

  it("rejects an unclosed section", () => {
    expect(errorsOf("{{#if ageBand}}x")[0]).toMatch(/never closed/);
  });

  it("rejects a closing tag without a section", () => {
    expect(errorsOf("x{{/if}}")[0]).toMatch(/without a matching/);
  });

  it("rejects else outside a section and a second else", () => {
    expect(errorsOf("{{else}}")[0]).toMatch(/outside of a section/);
    expect(errorsOf("{{#if ageBand}}a{{else}}b{{else}}c{{/if}}")[0]).toMatch(/Second/);
  });

  it("rejects unclosed braces", () => {
    expect(errorsOf("Hello {{ageBand")[0]).toMatch(/Unclosed/);
  });

  it("rejects expressions and helpers, which would be code", () => {
    expect(errorsOf("{{constructor.constructor('x')()}}")[0]).toMatch(/Unsupported tag/);
    expect(errorsOf("{{#each languages}}x{{/each}}")[0]).toMatch(/Unsupported tag/);
    expect(errorsOf("{{> partial}}")[0]).toMatch(/Unsupported tag/);
  });

  it("rejects sections nested too deeply", () => {
    const deep = "{{#if ageBand}}".repeat(9) + "x" + "{{/if}}".repeat(9);
    expect(errorsOf(deep).some((error) => /nested deeper/.test(error))).toBe(true);
  });

  it("rejects an overly long template", () => {
    expect(errorsOf("x".repeat(PERSONA_TEMPLATE_MAX_LENGTH + 1))[0]).toMatch(/longer than/);
  });

  it("reports every error, not only the first", () => {
    expect(errorsOf("{{a}} {{b}}")).toHaveLength(2);
  });
});

describe("renderPersonaPrompt", () => {
  it("substitutes known fields", () => {
    expect(renderPersonaPrompt("Age: {{ageBand}}", { ageBand: "65+" })).toEqual({
      systemPrompt: "Age: 65 or older",
      fieldsUsed: ["ageBand"],
    });
  });

  it("turns sliders into words", () => {
    expect(renderPersonaPrompt("The user {{preferences.detail}}.", { preferences: { detail: 85 } }).systemPrompt).toBe(
      "The user prefers detailed, thorough answers.",
    );
  });

  it("drops a line whose field is missing instead of leaving it dangling", () => {
    const result = renderPersonaPrompt("Intro {{ageBand}}\n- Gender: {{gender}}\nEnd", { ageBand: "18-24" });
    expect(result.systemPrompt).toBe("Intro 18–24\nEnd");
  });

  it("drops a line whose field is prefer_not_to_say", () => {
    const result = renderPersonaPrompt("A {{ageBand}}\nG {{gender}}", { ageBand: "18-24", gender: "prefer_not_to_say" });
    expect(result.systemPrompt).toBe("A 18–24");
    expect(result.fieldsUsed).toEqual(["ageBand"]);
  });

  it("does not count a known field on a dropped line as used", () => {
    const result = renderPersonaPrompt("Intro {{ageBand}}\n{{country}} and {{gender}}", { ageBand: "18-24", country: "IT" });
    expect(result.systemPrompt).toBe("Intro 18–24");
    expect(result.fieldsUsed).toEqual(["ageBand"]);
  });

  it("renders a section only when its field is known", () => {
    const template = "Hi.{{#if expertise}} Expert in {{expertise}}.{{/if}} {{ageBand}}";
    expect(renderPersonaPrompt(template, { expertise: "law", ageBand: "18-24" }).systemPrompt).toBe("Hi. Expert in Law. 18–24");
    expect(renderPersonaPrompt(template, { ageBand: "18-24" }).systemPrompt).toBe("Hi. 18–24");
  });

  it("renders the else branch when the field is unknown", () => {
    const template = "{{ageBand}} {{#if expertise}}E{{else}}no expertise{{/if}}";
    expect(renderPersonaPrompt(template, { ageBand: "18-24" }).systemPrompt).toBe("18–24 no expertise");
  });

  it("renders an or-condition when any field is known", () => {
    const template = "{{#if gender || country}}Profile:\n- {{country}}{{/if}}";
    expect(renderPersonaPrompt(template, { country: "PE" }).systemPrompt).toBe("Profile:\n- Peru");
  });

  it("handles nested sections", () => {
    const template = "{{#if ageBand}}A {{ageBand}}{{#if country}} in {{country}}{{/if}}.{{/if}}";
    expect(renderPersonaPrompt(template, { ageBand: "18-24", country: "NO" }).systemPrompt).toBe("A 18–24 in Norway.");
    expect(renderPersonaPrompt(template, { ageBand: "18-24" }).systemPrompt).toBe("A 18–24.");
  });

  it("returns a null prompt when no field is used", () => {
    expect(renderPersonaPrompt("Be helpful. {{ageBand}}", {})).toEqual({ systemPrompt: null, fieldsUsed: [] });
  });

  it("never writes undefined or empty placeholders", () => {
    const result = renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, { preferences: { detail: 10 } });
    expect(result.systemPrompt).not.toMatch(/undefined|null|\{\{|: $|: \n/m);
  });

  it("does not interpret template syntax in user free text", () => {
    const result = renderPersonaPrompt("Me: {{aboutMe}}", { aboutMe: "{{ageBand}} {{#if x}}" });
    expect(result.systemPrompt).toBe("Me: {{ageBand}} {{#if x}}");
    expect(result.fieldsUsed).toEqual(["aboutMe"]);
  });

  it("keeps multi-line free text on its line so line rules still hold", () => {
    const result = renderPersonaPrompt("Me: {{aboutMe}}\nG: {{gender}}", { aboutMe: "a\n\nb" });
    expect(result.systemPrompt).toBe("Me: a b");
  });

  it("lists fields used in survey order, once each", () => {
    const result = renderPersonaPrompt("{{country}} {{ageBand}} {{country}}", { ageBand: "18-24", country: "CL" });
    expect(result.fieldsUsed).toEqual(["ageBand", "country"]);
  });

  it("collapses blank lines left by sections", () => {
    const template = "Top\n{{#if gender}}\n\nG {{gender}}\n{{/if}}\n\n\n{{#if ageBand}}\n\nA {{ageBand}}\n{{/if}}";
    expect(renderPersonaPrompt(template, { ageBand: "18-24" }).systemPrompt).toBe("Top\n\nA 18–24");
  });

  it("throws a PersonaTemplateError for an invalid template", () => {
    expect(() => renderPersonaPrompt("{{salary}}", {})).toThrow(PersonaTemplateError);
  });

  it("renders the whole default template for a full persona", () => {
    const { systemPrompt, fieldsUsed } = renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, fullPersona);
    expect(fieldsUsed).toHaveLength(17);
    expect(systemPrompt).toContain("- Country: Kenya");
    expect(systemPrompt).toContain("- Languages they read: Swahili, English");
    expect(systemPrompt).toContain("- The user prefers detailed, thorough answers.");
    expect(systemPrompt).toContain('- In their own words: "I run a small bakery."');
    expect(systemPrompt).toContain("(Business and finance)");
  });

  it("omits the about-the-user section when only preferences are known", () => {
    const { systemPrompt } = renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, { responseStyle: "detailed" });
    expect(systemPrompt).not.toContain("About the user");
    expect(systemPrompt).toContain("How they like answers:\n- Preferred format: Detailed (thorough and complete).");
  });

  it("omits the preferences section when only demographics are known", () => {
    const { systemPrompt } = renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, { gender: "man" });
    expect(systemPrompt).toContain("About the user:\n- Gender: Man");
    expect(systemPrompt).not.toContain("How they like answers");
    expect(systemPrompt).not.toContain("Where it helps");
  });

  it("is deterministic", () => {
    expect(renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, fullPersona)).toEqual(renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, fullPersona));
  });
});
