import { describe, expect, it } from "vitest";
import {
  conditionKeysOf,
  parseSegmentKey,
  personaInSegment,
  personaSegmentConditions,
  personalSegmentCandidates,
  segmentKey,
  segmentLabel,
  singleConditionSegments,
} from "@/lib/domain/leaderboard/segments";

describe("personaSegmentConditions", () => {
  it("maps the country to its region", () => {
    expect(personaSegmentConditions({ country: "DE" })).toEqual([{ dimension: "region", value: "Europe" }]);
  });

  it("keeps age band and expertise as they are", () => {
    expect(personaSegmentConditions({ ageBand: "25-34", expertise: "law" })).toEqual([
      { dimension: "age", value: "25-34" },
      { dimension: "expertise", value: "law" },
    ]);
  });

  it("turns stated preferences into high and low, leaving the middle out", () => {
    expect(personaSegmentConditions({ preferences: { factuality: 67, creativity: 33, detail: 50 } })).toEqual([
      { dimension: "factuality", value: "high" },
      { dimension: "creativity", value: "low" },
    ]);
  });

  it("yields nothing for unknown or withheld answers", () => {
    expect(personaSegmentConditions({ country: "prefer_not_to_say", ageBand: "prefer_not_to_say", preferences: { safety: "prefer_not_to_say" } })).toEqual([]);
  });

  it("leaves out Antarctica, which is no segment region", () => {
    expect(personaSegmentConditions({ country: "AQ" })).toEqual([]);
  });
});

describe("segmentKey and parseSegmentKey", () => {
  it("orders conditions by dimension whatever the input order", () => {
    expect(segmentKey([{ dimension: "age", value: "18-24" }, { dimension: "region", value: "Asia" }])).toBe("region=Asia,age=18-24");
  });

  it("round-trips a key", () => {
    expect(segmentKey(parseSegmentKey("age=18-24,region=Asia")!)).toBe("region=Asia,age=18-24");
  });

  it("rejects unknown dimensions, unknown values, repeats and malformed parts", () => {
    for (const key of ["", "planet=Mars", "region=Atlantis", "region=Asia,region=Europe", "region", "region=Asia=x", "factuality=medium"]) {
      expect(parseSegmentKey(key)).toBeNull();
    }
  });
});

describe("conditionKeysOf", () => {
  it("gives the key of each single condition of a class's key, in canonical order", () => {
    expect(conditionKeysOf("age=18-24,region=Asia")).toEqual(["region=Asia", "age=18-24"]);
  });

  it("gives none for the empty class and for an unknown key", () => {
    expect(conditionKeysOf("")).toEqual([]);
    expect(conditionKeysOf("planet=Mars")).toEqual([]);
  });
});

describe("personaInSegment", () => {
  const persona = [{ dimension: "region", value: "Europe" }, { dimension: "age", value: "25-34" }] as const;

  it("holds when every condition of the segment holds", () => {
    expect(personaInSegment([...persona], [{ dimension: "region", value: "Europe" }])).toBe(true);
  });

  it("fails when one condition differs or is unknown", () => {
    expect(personaInSegment([...persona], [{ dimension: "region", value: "Asia" }])).toBe(false);
    expect(personaInSegment([...persona], [{ dimension: "expertise", value: "law" }])).toBe(false);
  });
});

describe("segmentLabel", () => {
  it("uses the survey's labels", () => {
    expect(segmentLabel([{ dimension: "age", value: "65+" }, { dimension: "creativity", value: "high" }])).toBe("Age: 65 or older · Values creativity: high");
  });
});

describe("singleConditionSegments", () => {
  it("lists every value of every dimension once", () => {
    const keys = singleConditionSegments().map(segmentKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain("region=Oceania");
    expect(keys).toContain("safety=low");
    expect(keys).toHaveLength(5 + 6 + 12 + 4 * 2);
  });
});

describe("personalSegmentCandidates", () => {
  const conditions = [
    { dimension: "age", value: "25-34" },
    { dimension: "region", value: "Europe" },
    { dimension: "expertise", value: "law" },
  ] as const;

  it("offers every non-empty combination, most specific first", () => {
    const candidates = personalSegmentCandidates([...conditions]).map(segmentKey);
    expect(candidates).toHaveLength(7);
    expect(candidates[0]).toBe("region=Europe,age=25-34,expertise=law");
    expect(candidates.slice(4)).toEqual(["age=25-34", "expertise=law", "region=Europe"]);
  });

  it("is empty for an unknown persona", () => {
    expect(personalSegmentCandidates([])).toEqual([]);
  });
});
