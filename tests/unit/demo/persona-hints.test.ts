import { describe, expect, it } from "vitest";

import { detectLanguage, isOlderAgeBand, isYoungerAgeBand, parsePersonaHints } from "@/lib/domain/demo/persona-hints";

describe("parsePersonaHints", () => {
  it("reads key: value lines regardless of key case and order", () => {
    const hints = parsePersonaHints("country: Japan\nEXPERTISE: Expert\nField: civil engineering\nPreferred style: short answers\nAge: 25-34");
    expect(hints).toEqual({
      expertise: "expert",
      field: "civil engineering",
      occupation: null,
      preferredStyle: "concise",
      ageBand: "25-34",
      country: "Japan",
      language: "en",
    });
  });

  it("ignores free text and unknown keys", () => {
    expect(parsePersonaHints("You are a helpful assistant.\nFavourite colour: green")).toMatchObject({ expertise: null, field: null });
  });

  it("accepts language names as well as codes", () => {
    expect(parsePersonaHints("Language: Deutsch").language).toBe("de");
    expect(parsePersonaHints("Language: es").language).toBe("es");
  });

  it("returns defaults without a system text", () => {
    expect(parsePersonaHints(null)).toMatchObject({ expertise: null, language: "en" });
  });

  it("maps unfamiliar users to novices", () => {
    expect(parsePersonaHints("LM familiarity: not familiar at all").expertise).toBe("novice");
  });
});

describe("detectLanguage", () => {
  it("detects French, Spanish and German sentences", () => {
    expect(detectLanguage("Pourquoi le ciel est bleu pour les enfants")).toBe("fr");
    expect(detectLanguage("Por qué el cielo es azul para los niños")).toBe("es");
    expect(detectLanguage("Warum ist der Himmel blau und die Sonne gelb")).toBe("de");
  });

  it("falls back to English for short or English texts", () => {
    expect(detectLanguage("Hi")).toBe("en");
    expect(detectLanguage("Why is the sky blue in the morning")).toBe("en");
  });
});

describe("age bands", () => {
  it("classifies older and younger bands by their lower bound", () => {
    expect(isOlderAgeBand("65+")).toBe(true);
    expect(isOlderAgeBand("35-44")).toBe(false);
    expect(isYoungerAgeBand("18-24")).toBe(true);
    expect(isYoungerAgeBand(null)).toBe(false);
  });
});
