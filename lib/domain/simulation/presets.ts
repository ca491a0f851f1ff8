import type { TGroupSpec, TSimulationConfig } from "./config";

/**
 * Named populations shared by the benchmark, the tests and the demo:
 * - `homogeneous`: one group, no persona tie (a mixture model should pick K = 1);
 * - `two-groups`: detail-loving software people vs. people who want it short;
 * - `five-groups`: five groups each tied to two persona attributes.
 */
export const POPULATION_PRESETS = ["homogeneous", "two-groups", "five-groups"] as const;
export type TPopulationPreset = (typeof POPULATION_PRESETS)[number];

const PRESET_GROUPS: Record<TPopulationPreset, TGroupSpec[]> = {
  homogeneous: [{ id: "everyone", share: 1, signature: [] }],
  "two-groups": [
    {
      id: "thorough",
      share: 0.5,
      signature: [
        { attribute: "preferences.detail", value: "high" },
        { attribute: "expertise", value: "software" },
      ],
    },
    {
      id: "brief",
      share: 0.5,
      signature: [
        { attribute: "preferences.detail", value: "low" },
        { attribute: "responseStyle", value: "concise" },
      ],
    },
  ],
  "five-groups": [
    { id: "coders", share: 0.25, signature: [{ attribute: "expertise", value: "software" }, { attribute: "preferences.detail", value: "high" }] },
    { id: "creatives", share: 0.2, signature: [{ attribute: "expertise", value: "arts" }, { attribute: "preferences.creativity", value: "high" }] },
    { id: "careful", share: 0.2, signature: [{ attribute: "preferences.safety", value: "high" }, { attribute: "ageBand", value: "55-64" }] },
    { id: "casual", share: 0.2, signature: [{ attribute: "preferences.formality", value: "low" }, { attribute: "ageBand", value: "18-24" }] },
    { id: "scholars", share: 0.15, signature: [{ attribute: "expertise", value: "science" }, { attribute: "preferences.factuality", value: "high" }] },
  ],
};

/** The config of a named population; `overrides` (annotators, models, votes…) win over the preset. */
export function populationPreset(
  preset: TPopulationPreset,
  overrides: Partial<TSimulationConfig> & Pick<TSimulationConfig, "annotators" | "models">,
): TSimulationConfig {
  return { groups: PRESET_GROUPS[preset], ...overrides };
}
