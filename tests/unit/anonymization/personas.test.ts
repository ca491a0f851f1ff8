import { describe, expect, it } from "vitest";
import { createRandom, randomInt, type Random } from "@/lib/domain/random";
import {
  DEFAULT_HIERARCHIES,
  DuplicateAnnotatorError,
  generalizePersonas,
  type AnnotatorPersona,
  type PersonaInput,
  preferenceBand,
  preferenceBucket,
  QUASI_IDENTIFIERS,
  rawValue,
} from "@/lib/domain/anonymization/personas";
import { preferenceHierarchy } from "@/lib/domain/anonymization/hierarchies";
import { ZReleasedPersonaSchema, type TReleasedPersona } from "@/lib/domain/release/schema";

type RowField = (typeof QUASI_IDENTIFIERS)[number];

const RELEASED_FIELD: Record<RowField, Exclude<keyof TReleasedPersona, "preferences">> = {
  ageBand: "age_band",
  gender: "gender",
  languages: "language_count",
  aiUsageFrequency: "ai_usage_frequency",
  responseStyle: "response_style",
};

function pick<T>(random: Random, values: readonly T[]): T {
  return values[randomInt(random, values.length)]!;
}

/** Skewed like real sign-ups: a few common values, a long tail, some unanswered fields. */
function randomPersona(random: Random): PersonaInput {
  const maybe = <T>(value: T): T | undefined => (random() < 0.1 ? undefined : value);
  return {
    ageBand: maybe(pick(random, ["18-24", "25-34", "25-34", "35-44", "45-54", "55-64", "65+", "prefer_not_to_say"])),
    gender: maybe(pick(random, ["woman", "man", "man", "woman", "non_binary", "prefer_not_to_say", "agender"])),
    country: maybe(pick(random, ["US", "US", "GB", "DE", "FR", "IN", "BR", "KE", "NG", "JP", "NZ", "IS", "TV", "MX"])),
    languages: maybe(pick(random, [["en"], ["en"], ["en", "fr"], ["de", "en"], ["es"], ["en", "hi", "ta"]])),
    education: maybe(pick(random, ["bachelor", "master", "phd", "high_school", "some_college", "none"])),
    occupation: maybe(pick(random, ["software_engineer", "student", "teacher", "nurse", "lawyer", "artist", "retired", "farmer"])),
    expertise: maybe(pick(random, ["programming", "medicine", "law", "writing", "music", "physics"])),
    aiUsageFrequency: maybe(pick(random, ["daily", "weekly", "monthly", "rarely"])),
    aiUseCases: ["coding"],
    preferences: { factuality: randomInt(random, 101), creativity: randomInt(random, 101) },
    responseStyle: maybe(pick(random, ["concise", "detailed"])),
    aboutMe: `I am annotator number ${randomInt(random, 1e9)} living at 12 Secret Street`,
  };
}

function randomRows(random: Random, count: number): AnnotatorPersona[] {
  return Array.from({ length: count }, (_, i) => ({ annotator: `annotator_${i}`, persona: randomPersona(random) }));
}

/** Sizes of the groups sharing one released persona: every quasi-identifier, preferences included. */
function combinationSizes(rows: ReadonlyArray<{ persona: TReleasedPersona }>): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const { persona } of rows) {
    const key = JSON.stringify([...QUASI_IDENTIFIERS.map((field) => persona[RELEASED_FIELD[field]]), Object.entries(persona.preferences).sort()]);
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return sizes;
}

function allowedValues(persona: PersonaInput, field: RowField): Array<string | null> {
  const value = rawValue(persona, field);
  const hierarchy = DEFAULT_HIERARCHIES[field];
  if (value === null) return [null, "*"];
  return Array.from({ length: hierarchy.height + 1 }, (_, level) => hierarchy.generalize(value, level));
}

describe("generalizePersonas", () => {
  it("releases precise values when every combination is already shared by k annotators", () => {
    const persona: PersonaInput = { ageBand: "25-34", gender: "woman", aiUsageFrequency: "daily", responseStyle: "concise" };
    const rows = ["a", "b", "c"].map((annotator) => ({ annotator, persona }));
    const result = generalizePersonas(rows, { k: 3 });
    expect(result.rows[0]!.persona).toMatchObject({ age_band: "25-34", gender: "woman", ai_usage_frequency: "daily", response_style: "concise" });
    expect(result.informationLoss.withheld).toBe(0);
  });

  it("generalizes an age band one level up when that makes groups of k", () => {
    const rows = [
      ...["a", "b"].map((annotator) => ({ annotator, persona: { ageBand: "18-24" } })),
      ...["c", "d"].map((annotator) => ({ annotator, persona: { ageBand: "25-34" } })),
    ];
    const result = generalizePersonas(rows, { k: 4, quasiIdentifiers: ["ageBand"] });
    expect(result.rows.map((row) => row.persona.age_band)).toEqual(Array(4).fill("18-34"));
    expect(result.informationLoss).toMatchObject({ cells: 4, exact: 0, generalized: 4, withheld: 0 });
  });

  it("coarsens only the rare annotator's group, not the whole column", () => {
    const rows = [
      ...Array.from({ length: 40 }, (_, i) => ({ annotator: `young${i}`, persona: { ageBand: "25-34" } })),
      ...Array.from({ length: 40 }, (_, i) => ({ annotator: `middle${i}`, persona: { ageBand: "45-54" } })),
      { annotator: "old", persona: { ageBand: "65+" } },
    ];
    const result = generalizePersonas(rows, { k: 5, quasiIdentifiers: ["ageBand"] });
    const ages = result.rows.map((row) => row.persona.age_band);
    expect(ages.filter((age) => age === "25-34").length + ages.filter((age) => age === "45-54").length).toBeGreaterThanOrEqual(75);
    expect(result.rows.find((row) => row.annotator === "old")!.persona.age_band).not.toBe("65+");
    for (const size of combinationSizes(result.rows).values()) expect(size).toBeGreaterThanOrEqual(5);
  });

  it("keeps a small release useful: fifteen alike annotators and one rare persona (issue 16, point 4)", () => {
    const common: PersonaInput = { ageBand: "25-34", gender: "woman", country: "FR", languages: ["fr"], education: "master", occupation: "teacher", expertise: "education", aiUsageFrequency: "daily", responseStyle: "concise", preferences: { factuality: 90 } };
    const rare: PersonaInput = { ...common, ageBand: "65+", gender: "non_binary", country: "IS", occupation: "Lighthouse keeper", responseStyle: "conversational", preferences: { factuality: 5 } };
    const rows = [...Array.from({ length: 15 }, (_, i) => ({ annotator: `a${i}`, persona: common })), { annotator: "rare", persona: rare }];
    const result = generalizePersonas(rows, { k: 5 });
    const exactAnnotators = result.rows.filter((row) => row.persona.gender === "woman" && row.persona.age_band === "25-34" && row.persona.response_style === "concise");
    expect(exactAnnotators.length).toBeGreaterThanOrEqual(10);
    expect(result.informationLoss.exact / result.informationLoss.cells).toBeGreaterThan(0.6);
    for (const size of combinationSizes(result.rows).values()) expect(size).toBeGreaterThanOrEqual(5);
    const released = result.rows.find((row) => row.annotator === "rare")!.persona;
    expect(released.age_band).not.toBe("65+");
    expect(released.gender).not.toBe("non_binary");
    expect(released.response_style).not.toBe("conversational");
  });

  it("holds k jointly over response style and the preference bands (issue 16, point 3)", () => {
    const styles = ["concise", "balanced", "detailed", "step_by_step"];
    const rows = Array.from({ length: 16 }, (_, i) => ({
      annotator: `a${i}`,
      persona: { gender: "woman", responseStyle: styles[i % 4], preferences: { factuality: (i * 37) % 101, safety: (i * 53) % 101 } },
    }));
    const result = generalizePersonas(rows, { k: 4 });
    for (const size of combinationSizes(result.rows).values()) expect(size).toBeGreaterThanOrEqual(4);
  });

  it("releases a preference as its band, then as high or not, before withholding it", () => {
    expect([0, 1, 2].map((level) => preferenceHierarchy.generalize("40-79", level))).toEqual(["40-79", "0-79", "*"]);
    expect([0, 1, 2].map((level) => preferenceHierarchy.generalize("80-100", level))).toEqual(["80-100", "80-100", "*"]);
    const rows = ["a", "b", "c", "d"].map((annotator, i) => ({ annotator, persona: { preferences: { factuality: i < 2 ? 42 : 75 } } }));
    expect(generalizePersonas(rows, { k: 4 }).rows.map((row) => row.persona.preferences.factuality)).toEqual(Array(4).fill("40-79"));
    const spread = ["a", "b", "c", "d"].map((annotator, i) => ({ annotator, persona: { preferences: { factuality: i < 2 ? 30 : 75 } } }));
    expect(generalizePersonas(spread, { k: 4 }).rows.map((row) => row.persona.preferences.factuality)).toEqual(Array(4).fill("0-79"));
  });

  it("releases how many languages, never which, and keeps country, education, occupation and expertise out of the row", () => {
    const persona: PersonaInput = { country: "IS", languages: ["is", "en"], education: "phd", occupation: "glaciologist", expertise: "physics", gender: "woman" };
    const result = generalizePersonas(["a", "b"].map((annotator) => ({ annotator, persona })), { k: 1 });
    expect(Object.keys(result.rows[0]!.persona).sort()).toEqual(["age_band", "ai_usage_frequency", "gender", "language_count", "preferences", "response_style"]);
    expect(result.rows[0]!.persona.language_count).toBe("2");
    expect(JSON.stringify(result.rows)).not.toMatch(/IS|"is|en"|phd|glaciologist|physics/);
    expect(Object.keys(result.byQuasiIdentifier)).toEqual(["ageBand", "gender", "languages", "aiUsageFrequency", "responseStyle"]);
  });

  it("counts cells exact or one level up, never a withheld one even where '*' is one level up", () => {
    const exactOrWithheld = { height: 1, generalize: (value: string, level: number) => (level >= 1 ? "*" : value) };
    const alike = Array.from({ length: 5 }, (_, i) => ({ annotator: `a${i}`, persona: { gender: "woman" } }));
    const shared = generalizePersonas(alike, { k: 5, quasiIdentifiers: ["gender"], hierarchies: { gender: exactOrWithheld } });
    expect(shared.informationLoss).toMatchObject({ cells: 5, exact: 5, exactOrOneLevelUp: 5 });
    const few = generalizePersonas(alike.slice(0, 2), { k: 5, quasiIdentifiers: ["gender"], hierarchies: { gender: exactOrWithheld } });
    expect(few.informationLoss).toMatchObject({ cells: 2, withheld: 2, byLevel: [0, 2], exactOrOneLevelUp: 0 });
  });

  it("withholds everything when there are fewer than k annotators", () => {
    const rows = [{ annotator: "a", persona: { ageBand: "25-34", preferences: { safety: 50 } } }];
    const result = generalizePersonas(rows, { k: 5 });
    expect(result.rows[0]!.persona).toMatchObject({ age_band: "*", gender: "*", language_count: "*", ai_usage_frequency: "*", response_style: "*", preferences: { safety: "*" } });
  });

  it("keeps an unanswered field as null", () => {
    const rows = ["a", "b"].map((annotator) => ({ annotator, persona: { ageBand: "25-34" } }));
    expect(generalizePersonas(rows, { k: 2 }).rows[0]!.persona.gender).toBeNull();
  });

  it("does not release a quasi-identifier left out of the list", () => {
    const rows = ["a", "b"].map((annotator) => ({ annotator, persona: { ageBand: "25-34", gender: "woman" } }));
    const result = generalizePersonas(rows, { k: 2, quasiIdentifiers: ["ageBand"] });
    expect(result.rows[0]!.persona.gender).toBeNull();
  });

  it("never releases the free-text self description or the use cases", () => {
    const rows = ["a", "b"].map((annotator) => ({
      annotator,
      persona: { aboutMe: "My name is Ann Example", aiUseCases: ["medical questions"] },
    }));
    const serialized = JSON.stringify(generalizePersonas(rows, { k: 1 }));
    expect(serialized).not.toContain("Ann Example");
    expect(serialized).not.toContain("medical questions");
  });

  it("releases stated preferences as bands and drops scores out of range", () => {
    const rows = [{ annotator: "a", persona: { preferences: { factuality: 95, creativity: 20, detail: 40, safety: 140 } } }];
    expect(generalizePersonas(rows, { k: 1 }).rows[0]!.persona.preferences).toEqual({
      factuality: "80-100",
      creativity: "0-39",
      detail: "40-79",
    });
  });

  it.each([
    [0, "0-39"],
    [39.5, "0-39"],
    [40, "40-79"],
    [79.9, "40-79"],
    [80, "80-100"],
    [101, null],
  ])("puts score %s in band %s", (score, band) => {
    expect(preferenceBand(score)).toBe(band);
  });

  it.each([
    [0, "0-19"],
    [19.9, "0-19"],
    [20, "20-39"],
    [59, "40-59"],
    [79, "60-79"],
    [100, "80-100"],
    [-1, null],
    [Number.NaN, null],
  ])("puts score %s in bucket %s", (score, bucket) => {
    expect(preferenceBucket(score)).toBe(bucket);
  });

  it("releases a slug response style and never free text", () => {
    const rows = [
      { annotator: "a", persona: { responseStyle: "Concise" } },
      { annotator: "b", persona: { responseStyle: "Please answer like my friend Bob would" } },
    ];
    const result = generalizePersonas(rows, { k: 1 });
    expect(result.rows.map((row) => row.persona.response_style)).toEqual(["concise", "other"]);
  });

  it("rejects two personas for one annotator", () => {
    const rows = [
      { annotator: "a", persona: {} },
      { annotator: "a", persona: {} },
    ];
    expect(() => generalizePersonas(rows, { k: 1 })).toThrow(DuplicateAnnotatorError);
  });

  it("rejects k below 1", () => {
    expect(() => generalizePersonas([], { k: 0 })).toThrow(RangeError);
  });

  it("returns an empty release for no annotators", () => {
    expect(generalizePersonas([], { k: 5 }).rows).toEqual([]);
  });

  it("keeps input order and annotators", () => {
    const rows = randomRows(createRandom(3), 50);
    const result = generalizePersonas(rows, { k: 5 });
    expect(result.rows.map((row) => row.annotator)).toEqual(rows.map((row) => row.annotator));
  });

  it("is deterministic", () => {
    const rows = randomRows(createRandom(4), 200);
    expect(generalizePersonas(rows, { k: 5 })).toEqual(generalizePersonas(rows, { k: 5 }));
  });

  it("produces personas that match the release schema", () => {
    const result = generalizePersonas(randomRows(createRandom(5), 100), { k: 3 });
    for (const row of result.rows) expect(ZReleasedPersonaSchema.parse(row.persona)).toEqual(row.persona);
  });

  describe.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])("randomized input, seed %i", (seed) => {
    const random = createRandom(seed);
    const count = [0, 1, 4, 30, 150, 600][seed % 6]!;
    const k = 2 + randomInt(random, 9);
    const rows = randomRows(random, count);
    const result = generalizePersonas(rows, { k });

    it(`shares every released combination among at least k annotators (n=${count}, k=${k})`, () => {
      const sizes = combinationSizes(result.rows);
      if (count >= k) {
        for (const size of sizes.values()) expect(size).toBeGreaterThanOrEqual(k);
      } else {
        for (const row of result.rows) expect(row.persona.age_band).toBe("*");
      }
    });

    it("invents no value", () => {
      result.rows.forEach((row, index) => {
        for (const field of QUASI_IDENTIFIERS) {
          expect(allowedValues(rows[index]!.persona, field)).toContain(row.persona[RELEASED_FIELD[field]]);
        }
        for (const [key, value] of Object.entries(row.persona.preferences)) {
          const band = preferenceBand(rows[index]!.persona.preferences![key]!)!;
          expect([0, 1, 2].map((level) => preferenceHierarchy.generalize(band, level))).toContain(value);
        }
      });
    });

    it("counts every answered cell once as exact, generalized or withheld", () => {
      const loss = result.informationLoss;
      expect(loss.exact + loss.generalized + loss.withheld).toBe(loss.cells);
      expect(loss.byLevel.reduce((sum, count) => sum + count, 0)).toBe(loss.cells);
    });

    it("never releases the free text", () => {
      expect(JSON.stringify(result.rows)).not.toContain("Secret Street");
    });
  });
});
