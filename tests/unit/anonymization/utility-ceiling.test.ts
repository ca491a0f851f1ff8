import { describe, expect, it } from "vitest";
import { generalizePersonas, quasiIdentifierColumns, type AnnotatorPersona } from "@/lib/domain/anonymization/personas";
import { syntheticAnnotators } from "@/scripts/kanon/synthetic-personas";
import { utilityCeiling } from "@/scripts/kanon/utility-ceiling";

const ceiling = (rows: readonly AnnotatorPersona[], k: number) => utilityCeiling(quasiIdentifierColumns(rows, {}), k);

describe("utilityCeiling (bench:kanon's bound on cells kept exact or one level up)", () => {
  it("is 1 when every annotator shares its whole persona with k − 1 others", () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ annotator: `a${i}`, persona: { ageBand: "25-34", gender: "woman", preferences: { safety: 90 } } }));
    expect(ceiling(rows, 5)).toBe(1);
  });

  it("counts for a lone persona only the fields k − 1 others share one level up", () => {
    const rows: AnnotatorPersona[] = [
      ...Array.from({ length: 5 }, (_, i) => ({ annotator: `a${i}`, persona: { ageBand: "25-34", gender: "woman" } })),
      // 18-24 is 25-34 one level up (18-34); the gender is not shared with anyone.
      { annotator: "rare", persona: { ageBand: "18-24", gender: "man" } },
    ];
    // The five alike: both fields; the rare one: its age only (as 18-34); 11 of 12 cells.
    expect(ceiling(rows, 5)).toBeCloseTo(11 / 12);
  });

  it("bounds what the release code keeps on a synthetic release", () => {
    const rows = syntheticAnnotators(300, 7);
    const loss = generalizePersonas(rows, { k: 5 }).informationLoss;
    expect(ceiling(rows, 5)).toBeGreaterThanOrEqual(loss.exactOrOneLevelUp / loss.cells);
  });

  it("the release code keeps at least 70% of a synthetic release of 1,000 exact or one level up, k = 5 (ceiling 87%)", () => {
    const rows = syntheticAnnotators(1000, 1);
    const result = generalizePersonas(rows, { k: 5 });
    const sizes = new Map<string, number>();
    for (const { persona } of result.rows) sizes.set(JSON.stringify(persona), (sizes.get(JSON.stringify(persona)) ?? 0) + 1);
    expect(Math.min(...sizes.values())).toBeGreaterThanOrEqual(5);
    expect(result.informationLoss.exactOrOneLevelUp / result.informationLoss.cells).toBeGreaterThanOrEqual(0.7);
  });

  it("is unknown below k annotators", () => {
    expect(ceiling([{ annotator: "a", persona: { ageBand: "25-34" } }], 5)).toBeNull();
  });
});
