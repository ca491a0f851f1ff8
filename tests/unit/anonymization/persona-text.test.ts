import { describe, expect, it } from "vitest";
import type { PersonaInput } from "@/lib/domain/anonymization/personas";
import { buildPersonaTextRedactor } from "@/lib/domain/anonymization/persona-text";
import { buildReleaseTextFilter } from "@/lib/domain/anonymization/release-text";
import type { TReleasedPersona } from "@/lib/domain/release/schema";

const WITHHELD: TReleasedPersona = { age_band: "*", gender: "*", language_count: "*", ai_usage_frequency: "*", response_style: null, preferences: {} };

function redact(persona: PersonaInput, text: string, released: Partial<TReleasedPersona> = {}) {
  return buildPersonaTextRedactor([persona], { ...WITHHELD, ...released })(text);
}

describe("buildPersonaTextRedactor: countries", () => {
  it("always replaces the country name: the persona row does not show the country (schemas 4 and 5)", () => {
    expect(redact({ country: "LI" }, "Rules differ in Liechtenstein.", { age_band: "25-34", gender: "woman" }).text).toBe("Rules differ in [COUNTRY].");
  });
  it("replaces demonyms, adjectives, other-language names and plurals with a bare placeholder when withheld", () => {
    const { text, replaced } = redact({ country: "BR" }, "Many Brazilian hospitals; Brazilians love it; no Brasil, em Brasil.");
    expect(text).toBe("Many [COUNTRY] hospitals; [COUNTRY] love it; no [COUNTRY], em [COUNTRY].");
    expect(replaced).toBe(4);
  });
  it("keeps other countries", () => {
    expect(redact({ country: "BR" }, "Chile and Argentina differ.").text).toBe("Chile and Argentina differ.");
  });
  it("matches short forms only with their case", () => {
    expect(redact({ country: "US" }, "In the US, ask us.").text).toBe("In the [COUNTRY], ask us.");
  });
});

describe("buildPersonaTextRedactor: languages, ages, occupation, expertise, education, gender", () => {
  it("replaces language names in English and in the language itself", () => {
    expect(redact({ languages: ["de", "en"] }, "I can answer in German or Deutsch.").text).toBe("I can answer in [LANGUAGE] or [LANGUAGE].");
  });
  it("keeps the age band and gender words when the row shows them exactly", () => {
    expect(redact({ ageBand: "25-34", gender: "woman" }, "Aged 25-34, as a woman.", { age_band: "25-34", gender: "woman" }).text).toBe("Aged 25-34, as a woman.");
  });
  it("replaces the age band and its decades", () => {
    expect(redact({ ageBand: "25-34" }, "People aged 25–34, in their late twenties or 30s.", { age_band: "18-34" }).text).toBe(
      "People [AGE: 18-34], in their [AGE: 18-34] or [AGE: 18-34].",
    );
    expect(redact({ ageBand: "65+" }, "As a senior over 65, you can ride free.").text).toBe("As a [AGE] [AGE], you can ride free.");
  });
  it("replaces a free-text occupation, its plural, its distinctive words and the field of an -ologist", () => {
    const persona = { occupation: "glaciologist" };
    expect(redact(persona, "Since you work in glaciologist, other glaciologists agree: glaciology is slow.").text).toBe(
      "Since you work in [OCCUPATION], other [OCCUPATION] agree: [OCCUPATION] is slow.",
    );
    expect(redact({ occupation: "Lighthouse keeper on Grimsey" }, "Life on Grimsey as a lighthouse keeper on Grimsey.").text).toBe("Life on [OCCUPATION] as a [OCCUPATION].");
  });
  it("replaces a listed occupation with the bare placeholder", () => {
    expect(redact({ occupation: "nurse" }, "As a nurse, you know this.").text).toBe("As a [OCCUPATION], you know this.");
  });
  it("replaces the expertise label anywhere and its field words only after a cue", () => {
    const persona = { expertise: "law" };
    expect(redact(persona, "Since you work in Law, the law says so; your background in law helps; your law career too.").text).toBe(
      "Since you work in [EXPERTISE], the law says so; your background in [EXPERTISE] helps; your [EXPERTISE] career too.",
    );
  });
  it("replaces education words and gender phrases", () => {
    expect(redact({ education: "doctorate", gender: "woman" }, "With a PhD, as a woman in tech, women say…").text).toBe("With a [EDUCATION], as a [GENDER] in tech, women say…");
  });
  it("replaces the annotator's languages even where the row shows how many they speak (schema 5)", () => {
    expect(redact({ languages: ["fr", "en"] }, "Since you speak French, voilà.", { language_count: "2" }).text).toBe("Since you speak [LANGUAGE], voilà.");
  });
});

describe("buildPersonaTextRedactor: free-text self description", () => {
  const persona = { aboutMe: "I live in a small village near Harrogate with my dog Biscuit and I volunteer at the Nidderdale food bank." };
  it("replaces runs of four or more shared words as one placeholder", () => {
    expect(redact(persona, "Since you volunteer at the Nidderdale food bank, ask them.").text).toBe("Since you [PERSONA_DETAIL], ask them.");
  });
  it("replaces proper nouns and rare words from it on their own", () => {
    expect(redact(persona, "Walks near Harrogate with Biscuit.").text).toBe("Walks near [PERSONA_DETAIL] with [PERSONA_DETAIL].");
  });
});

describe("buildPersonaTextRedactor: invariants", () => {
  const persona: PersonaInput = { country: "FR", occupation: "technologist", languages: ["fr"], ageBand: "18-24" };
  it("leaves text without the annotator's values unchanged and counts nothing", () => {
    expect(redact(persona, "Explain recursion with an example.")).toEqual({ text: "Explain recursion with an example.", replaced: 0 });
  });
  it("never reads inside placeholders, so a second pass changes nothing", () => {
    const once = redact(persona, "A technologist in France, aged 18-24, reads French.", { age_band: "18-34" }).text;
    expect(once).toBe("A [OCCUPATION] in [COUNTRY], [AGE: 18-34], reads [COUNTRY].");
    expect(redact(persona, once, { age_band: "18-34" }).text).toBe(once);
  });
  it("covers every persona version, since older battles were answered with older values", () => {
    const redactor = buildPersonaTextRedactor([{ country: "DE", ageBand: "25-34" }, { country: "AT", ageBand: "35-44" }], { ...WITHHELD, age_band: "18-54" });
    expect(redactor("Germany or Austria, in your 30s or 40s?").text).toBe("[COUNTRY] or [COUNTRY], in your [AGE: 18-54] or [AGE: 18-54]?");
  });
});

describe("buildReleaseTextFilter", () => {
  it("scrubs personal data with the annotator's identity, then replaces persona values", () => {
    const filter = buildReleaseTextFilter({
      identity: { name: "Jane Doe", email: "jdoe84@example.com" },
      personas: [{ country: "LI", occupation: "glaciologist" }],
      released: WITHHELD,
    });
    expect(filter("Jane (jdoe84) here, a glaciologist in Liechtenstein; mail jane@x.io")).toBe(
      "[NAME] ([USERNAME]) here, a [OCCUPATION] in [COUNTRY]; mail [EMAIL]",
    );
    expect(filter("")).toBe("");
  });
});
