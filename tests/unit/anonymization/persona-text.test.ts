import { describe, expect, it } from "vitest";
import type { PersonaInput } from "@/lib/domain/anonymization/personas";
import { buildPersonaTextRedactor } from "@/lib/domain/anonymization/persona-text";
import { buildReleaseTextFilter } from "@/lib/domain/anonymization/release-text";
import type { TReleasedPersona } from "@/lib/domain/release/schema";

const WITHHELD: TReleasedPersona = {
  age_band: "*", gender: "*", country: "*", languages: "*", education: "*", occupation: "*", expertise: "*",
  ai_usage_frequency: "*", response_style: null, preferences: {},
};

function redact(persona: PersonaInput, text: string, released: Partial<TReleasedPersona> = {}) {
  return buildPersonaTextRedactor([persona], { ...WITHHELD, ...released })(text);
}

describe("buildPersonaTextRedactor: countries", () => {
  it("replaces the country name with the generalization the release shows", () => {
    expect(redact({ country: "LI" }, "Rules differ in Liechtenstein.", { country: "Western Europe" }).text).toBe("Rules differ in [COUNTRY: Western Europe].");
  });
  it("replaces demonyms, adjectives, other-language names and plurals with a bare placeholder when withheld", () => {
    const { text, replaced } = redact({ country: "BR" }, "Many Brazilian hospitals; Brazilians love it; no Brasil, em Brasil.");
    expect(text).toBe("Many [COUNTRY] hospitals; [COUNTRY] love it; no [COUNTRY], em [COUNTRY].");
    expect(replaced).toBe(4);
  });
  it("keeps other countries and the annotator's country when the release shows it exactly", () => {
    expect(redact({ country: "BR" }, "Chile and Argentina differ.").text).toBe("Chile and Argentina differ.");
    expect(redact({ country: "BR" }, "In Brazil it is free.", { country: "BR" }).text).toBe("In Brazil it is free.");
  });
  it("matches short forms only with their case", () => {
    expect(redact({ country: "US" }, "In the US, ask us.").text).toBe("In the [COUNTRY], ask us.");
  });
});

describe("buildPersonaTextRedactor: languages, ages, occupation, expertise, education, gender", () => {
  it("replaces language names in English and in the language itself unless the release lists them", () => {
    expect(redact({ languages: ["de", "en"] }, "I can answer in German or Deutsch.", { languages: "2" }).text).toBe("I can answer in [LANGUAGE] or [LANGUAGE].");
    expect(redact({ languages: ["de", "en"] }, "I can answer in German.", { languages: "de,en" }).text).toBe("I can answer in German.");
  });
  it("replaces the age band and its decades", () => {
    expect(redact({ ageBand: "25-34" }, "People aged 25–34, in their late twenties or 30s.", { age_band: "18-34" }).text).toBe(
      "People [AGE: 18-34], in their [AGE: 18-34] or [AGE: 18-34].",
    );
    expect(redact({ ageBand: "65+" }, "As a senior over 65, you can ride free.").text).toBe("As a [AGE] [AGE], you can ride free.");
  });
  it("replaces a free-text occupation, its plural, its distinctive words and the field of an -ologist", () => {
    const persona = { occupation: "glaciologist" };
    expect(redact(persona, "Since you work in glaciologist, other glaciologists agree: glaciology is slow.", { occupation: "other" }).text).toBe(
      "Since you work in [OCCUPATION], other [OCCUPATION] agree: [OCCUPATION] is slow.",
    );
    expect(redact({ occupation: "Lighthouse keeper on Grimsey" }, "Life on Grimsey as a lighthouse keeper on Grimsey.").text).toBe("Life on [OCCUPATION] as a [OCCUPATION].");
  });
  it("shows the occupation's group when the release generalizes it", () => {
    expect(redact({ occupation: "nurse" }, "As a nurse, you know this.", { occupation: "health" }).text).toBe("As a [OCCUPATION: health], you know this.");
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
    const once = redact(persona, "A technologist in France reads French.", { occupation: "technology" }).text;
    expect(once).toBe("A [OCCUPATION: technology] in [COUNTRY] reads [COUNTRY].");
    expect(redact(persona, once, { occupation: "technology" }).text).toBe(once);
  });
  it("covers every persona version, since older battles were answered with older values", () => {
    const redactor = buildPersonaTextRedactor([{ country: "DE" }, { country: "AT" }], { ...WITHHELD, country: "Western Europe" });
    expect(redactor("Germany or Austria?").text).toBe("[COUNTRY: Western Europe] or [COUNTRY: Western Europe]?");
  });
});

describe("buildReleaseTextFilter", () => {
  it("scrubs personal data with the annotator's identity, then replaces persona values", () => {
    const filter = buildReleaseTextFilter({
      identity: { name: "Jane Doe", email: "jdoe84@example.com" },
      personas: [{ country: "LI", occupation: "glaciologist" }],
      released: { ...WITHHELD, country: "Western Europe" },
    });
    expect(filter("Jane (jdoe84) here, a glaciologist in Liechtenstein; mail jane@x.io")).toBe(
      "[NAME] ([USERNAME]) here, a [OCCUPATION] in [COUNTRY: Western Europe]; mail [EMAIL]",
    );
    expect(filter("")).toBe("");
  });
});
