import { describe, expect, it } from "vitest";
import { foldedCounts, personaMarginals } from "@/lib/domain/anonymization/persona-marginals";
import { countryHierarchy } from "@/lib/domain/anonymization/hierarchies";
import type { AnnotatorPersona, PersonaInput } from "@/lib/domain/anonymization/personas";
import { syntheticAnnotators } from "@/scripts/kanon/synthetic-personas";

const annotators = (personas: PersonaInput[]): AnnotatorPersona[] => personas.map((persona, i) => ({ annotator: `a${i}`, persona }));

describe("personaMarginals (counts of the persona answers kept out of the battle rows)", () => {
  it("counts a value held by k annotators as is and folds rarer ones into their coarser group", () => {
    const rows = annotators([
      ...Array.from({ length: 5 }, () => ({ country: "FR" })),
      ...Array.from({ length: 3 }, () => ({ country: "DE" })),
      ...Array.from({ length: 2 }, () => ({ country: "BE" })),
      { country: "TV" },
      {},
    ]);
    // DE and BE (5 together) are Western Europe; Tuvalu alone reaches "*" (Polynesia and Oceania hold 1).
    expect(personaMarginals(rows, 5).country).toEqual({ "*": 1, FR: 5, "Western Europe": 5 });
  });

  it("gives every count but '*' at least k annotators on a realistic release, and counts each annotator once per field", () => {
    const rows = syntheticAnnotators(300, 3);
    const marginals = personaMarginals(rows, 5);
    expect(Object.keys(marginals)).toEqual(expect.arrayContaining(["country", "languages", "education", "occupation", "expertise", "preferences.factuality"]));
    for (const [field, counts] of Object.entries(marginals)) {
      for (const [value, count] of Object.entries(counts)) if (value !== "*") expect(count, `${field}=${value}`).toBeGreaterThanOrEqual(5);
      if (field !== "languages") expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(rows.length);
    }
    expect(Object.values(marginals.country!).reduce((sum, count) => sum + count, 0)).toBe(rows.filter(({ persona }) => persona.country).length);
  });

  it("publishes preferences at the survey's 20-point buckets, folding a rare bucket into its band", () => {
    const rows = annotators([...Array.from({ length: 6 }, () => ({ preferences: { safety: 90 } })), ...Array.from({ length: 3 }, () => ({ preferences: { safety: 45 } })), ...Array.from({ length: 3 }, () => ({ preferences: { safety: 65 } }))]);
    expect(personaMarginals(rows, 5)["preferences.safety"]).toEqual({ "40-79": 6, "80-100": 6 });
    expect(personaMarginals(rows, 3)["preferences.safety"]).toEqual({ "40-59": 3, "60-79": 3, "80-100": 6 });
  });

  it("counts languages one per code and never a free-text value", () => {
    const rows = annotators(Array.from({ length: 5 }, (_, i) => ({ languages: ["en", "fr"], occupation: i === 0 ? "Lighthouse keeper at 12 Secret Street" : "teacher" })));
    const marginals = personaMarginals(rows, 2);
    expect(marginals.languages).toEqual({ en: 5, fr: 5 });
    expect(JSON.stringify(marginals)).not.toContain("Secret");
  });

  it("is deterministic and has no key that names an annotator", () => {
    const rows = syntheticAnnotators(100, 9);
    expect(personaMarginals(rows, 5)).toEqual(personaMarginals([...rows].reverse(), 5));
    expect(JSON.stringify(personaMarginals(rows, 5))).not.toContain("annotator_");
  });

  it("foldedCounts leaves '*' whatever its count", () => {
    expect(foldedCounts(["IS", "TV", null], countryHierarchy, 5)).toEqual({ "*": 2 });
  });
});
