import { describe, expect, it } from "vitest";
import { describeSlider, normalizeFreeText, personaFacts } from "@/lib/domain/persona/facts";

describe("describeSlider", () => {
  it("words a high detail value as in the survey brief", () => {
    expect(describeSlider("detail", 85)).toBe("prefers detailed, thorough answers");
  });

  it("words a low detail value as concise", () => {
    expect(describeSlider("detail", 5)).toBe("prefers short, concise answers");
  });

  it("uses leaning wording between the extremes", () => {
    expect(describeSlider("formality", 30)).toBe("leans towards a casual, informal tone");
    expect(describeSlider("formality", 70)).toBe("leans towards a formal, professional tone");
  });

  it("uses neutral wording in the middle", () => {
    expect(describeSlider("creativity", 50)).toBe("has no strong preference between conventional and creative answers");
  });

  it("puts bucket edges where documented", () => {
    expect(describeSlider("detail", 20)).toMatch(/^prefers short/);
    expect(describeSlider("detail", 21)).toMatch(/^leans towards short/);
    expect(describeSlider("detail", 40)).toMatch(/^leans towards short/);
    expect(describeSlider("detail", 41)).toBe("prefers answers of moderate length");
    expect(describeSlider("detail", 59)).toBe("prefers answers of moderate length");
    expect(describeSlider("detail", 60)).toMatch(/^leans towards detailed/);
    expect(describeSlider("detail", 80)).toMatch(/^prefers detailed/);
  });
});

describe("normalizeFreeText", () => {
  it("collapses line breaks and runs of spaces", () => {
    expect(normalizeFreeText("  a\n\n b\t c  ")).toBe("a b c");
  });

  it("strips control characters", () => {
    expect(normalizeFreeText("a\u0000b\u0007c")).toBe("abc");
  });
});

describe("personaFacts", () => {
  it("returns nothing for an empty persona", () => {
    expect(personaFacts({})).toEqual([]);
  });

  it("skips prefer_not_to_say fields", () => {
    expect(personaFacts({ gender: "prefer_not_to_say", preferences: { detail: "prefer_not_to_say" } })).toEqual([]);
  });

  it("skips blank free text and empty lists", () => {
    expect(personaFacts({ occupation: "   ", languages: [], aiUseCases: [] })).toEqual([]);
  });

  it("uses option labels, country and language names", () => {
    const facts = personaFacts({ country: "FR", languages: ["fr", "en"], expertise: "law" });
    expect(facts).toEqual([
      { key: "country", label: "Country", value: "France" },
      { key: "languages", label: "Languages", value: "French, English" },
      { key: "expertise", label: "Field of expertise", value: "Law" },
    ]);
  });

  it("orders facts as the survey does, not as the object does", () => {
    const facts = personaFacts({ aboutMe: "hi", ageBand: "18-24" });
    expect(facts.map((fact) => fact.key)).toEqual(["ageBand", "aboutMe"]);
  });

  it("turns slider values into words", () => {
    expect(personaFacts({ preferences: { safety: 95 } })).toEqual([
      { key: "preferences.safety", label: "Caution", value: "prefers cautious answers that point out risks" },
    ]);
  });

  it("keeps a slider value of zero", () => {
    expect(personaFacts({ preferences: { detail: 0 } })).toHaveLength(1);
  });

  it("normalizes free text into one line", () => {
    expect(personaFacts({ aboutMe: "line one\nline two" })[0].value).toBe("line one line two");
  });
});
