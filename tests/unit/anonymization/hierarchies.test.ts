import { describe, expect, it } from "vitest";
import {
  ageBandHierarchy,
  aiUsageFrequencyHierarchy,
  canonicalLanguages,
  countryHierarchy,
  educationHierarchy,
  genderHierarchy,
  languagesHierarchy,
  occupationHierarchy,
  preferenceHierarchy,
  responseStyleHierarchy,
} from "@/lib/domain/anonymization/hierarchies";

describe("generalization hierarchies", () => {
  it.each([
    ["18-24", ["18-24", "18-34", "18-54", "*"]],
    ["45-54", ["45-54", "35-54", "18-54", "*"]],
    ["65+", ["65+", "55+", "55+", "*"]],
    ["prefer_not_to_say", ["prefer_not_to_say", "prefer_not_to_say", "prefer_not_to_say", "*"]],
  ])("age band %s widens step by step", (value, chain) => {
    expect(chain.map((_, level) => ageBandHierarchy.generalize(value, level))).toEqual(chain);
  });

  it("country goes code → subregion → region → *", () => {
    expect([0, 1, 2, 3].map((level) => countryHierarchy.generalize("de", level))).toEqual([
      "DE",
      "Western Europe",
      "Europe",
      "*",
    ]);
  });

  it("an unknown country code is released as other, never as typed", () => {
    expect(countryHierarchy.generalize("Atlantis", 0)).toBe("other");
  });

  it("gender folds rare categories into other at level 1", () => {
    expect(genderHierarchy.generalize("non_binary", 0)).toBe("non_binary");
    expect(genderHierarchy.generalize("non_binary", 1)).toBe("other");
    expect(genderHierarchy.generalize("woman", 1)).toBe("woman");
    expect(genderHierarchy.generalize("woman", 2)).toBe("*");
  });

  it("free text is never released verbatim", () => {
    expect(genderHierarchy.generalize("I'd rather describe myself as ...", 0)).toBe("other");
    expect(occupationHierarchy.generalize("Head of paediatric cardiology at St Mary's", 0)).toBe("other");
  });

  it("education coarsens to degree levels", () => {
    expect(educationHierarchy.generalize("phd", 1)).toBe("postgraduate_degree");
    expect(educationHierarchy.generalize("high_school", 1)).toBe("no_degree");
    expect(educationHierarchy.generalize("bachelor", 1)).toBe("undergraduate_degree");
  });

  it("occupation coarsens to a field", () => {
    expect(occupationHierarchy.generalize("software_engineer", 1)).toBe("technology");
    expect(occupationHierarchy.generalize("nurse", 1)).toBe("health");
    expect(occupationHierarchy.generalize("astronaut", 1)).toBe("other");
  });

  it("AI usage frequency coarsens to frequent / infrequent", () => {
    expect(aiUsageFrequencyHierarchy.generalize("daily", 1)).toBe("frequent");
    expect(aiUsageFrequencyHierarchy.generalize("rarely", 1)).toBe("infrequent");
  });

  it("languages go list → count → *", () => {
    const value = canonicalLanguages(["FR", "en", "en", "de"]);
    expect(value).toBe("de,en,fr");
    expect([0, 1, 2].map((level) => languagesHierarchy.generalize(value, level))).toEqual(["de,en,fr", "3+", "*"]);
  });

  it.each([ageBandHierarchy, genderHierarchy, countryHierarchy, educationHierarchy, occupationHierarchy, languagesHierarchy])(
    "keeps values that are equal at one level equal at the next (%#)",
    (hierarchy) => {
      const values = ["18-24", "25-34", "woman", "man", "non_binary", "FR", "DE", "KE", "phd", "master", "nurse", "doctor", "en", "en,fr", "x"];
      for (let level = 0; level < hierarchy.height; level++) {
        for (const a of values) {
          for (const b of values) {
            if (hierarchy.generalize(a, level) === hierarchy.generalize(b, level)) {
              expect(hierarchy.generalize(a, level + 1)).toBe(hierarchy.generalize(b, level + 1));
            }
          }
        }
      }
    },
  );
});

describe("response style and preference hierarchies", () => {
  it("response style goes style → length family → *", () => {
    expect([0, 1, 2].map((level) => responseStyleHierarchy.generalize("step_by_step", level))).toEqual(["step_by_step", "thorough", "*"]);
    expect(responseStyleHierarchy.generalize("Answer like my friend Bob", 0)).toBe("other");
  });

  it.each([
    ["0-39", "0-79"],
    ["40-79", "0-79"],
    ["80-100", "80-100"],
  ])("preference band %s widens to %s", (bucket, group) => {
    expect(preferenceHierarchy.generalize(bucket, 1)).toBe(group);
    expect(preferenceHierarchy.generalize(bucket, 2)).toBe("*");
  });
});
