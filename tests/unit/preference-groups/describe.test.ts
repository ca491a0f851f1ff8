import { describe, expect, it } from "vitest";
import { describeGroups } from "@/lib/domain/preference-groups/describe";
import type { TPersona } from "@/lib/domain/persona/schema";

describe("describeGroups", () => {
  const personas: (TPersona | null)[] = [
    { expertise: "software", ageBand: "25-34" },
    { expertise: "software", ageBand: "35-44" },
    { expertise: "software", ageBand: "25-34" },
    { expertise: "arts", ageBand: "25-34" },
    { expertise: "arts", ageBand: "35-44" },
    { expertise: "arts", ageBand: "prefer_not_to_say" },
    null,
  ];
  // Group 0: the three software people; group 1: the rest.
  const posteriors = Float64Array.from([1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1]);

  it("names the answers over-represented in each group with their shares", () => {
    const [software, arts] = describeGroups(personas, posteriors, 2);
    expect(software[0]).toEqual({ attribute: "expertise", value: "software", label: "Expertise: Software and IT", groupShare: 1, overallShare: 0.5 });
    expect(arts[0]).toMatchObject({ label: "Expertise: Arts and design", groupShare: 1, overallShare: 0.5 });
  });

  it("skips unknown answers and answers that are not over-represented", () => {
    const [software, arts] = describeGroups(personas, posteriors, 2, { minLift: 1.2 });
    expect(software.some((trait) => trait.attribute === "ageBand" && trait.value === "35-44")).toBe(false);
    // Ages known in group 1: 25-34 and 35-44 once each (prefer-not-to-say and null skipped);
    // overall 25-34 is 3 of 5 (lift 0.83, left out) and 35-44 2 of 5 (lift 1.25, kept).
    expect(arts.filter((trait) => trait.attribute === "ageBand")).toEqual([
      { attribute: "ageBand", value: "35-44", label: "Age: 35–44", groupShare: 0.5, overallShare: 0.4 },
    ]);
  });

  it("keeps at most `top` traits per group", () => {
    expect(describeGroups(personas, posteriors, 2, { top: 1 }).every((traits) => traits.length <= 1)).toBe(true);
  });
});
