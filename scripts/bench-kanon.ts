/**
 * `npm run bench:kanon [-- --annotators 1000 --k 5 --seed 1]`: how much persona detail k-anonymity keeps.
 *
 * Generalizes the personas of a synthetic release (scripts/kanon/synthetic-personas.ts: realistic
 * marginals and correlations) with the release code (generalizePersonas), then checks k jointly over
 * EVERY released quasi-identifier (the nine persona columns and each preference bucket) by counting the
 * annotators of each distinct released persona, independently of the algorithm's own bookkeeping. Also
 * runs a release of 10,000 annotators and the small release of issue 16 (fifteen alike, one rare persona).
 *
 * Measure: an answered quasi-identifier cell counts as "exact or one level up" when it is released at its
 * most precise released form (a preference: its 20-point bucket; "80-100" is both) or one hierarchy level
 * above it, and is not withheld ("*"). Next to it the bench prints the ceiling of that measure
 * (./kanon/utility-ceiling.ts): what ANY k-anonymous release of the same personas and hierarchies could
 * keep at most, and the ceilings of two coarser designs (preferences released only as "80-100" or below,
 * preferences not released) so the cost of the target is visible.
 * Prints the figures, then ONE JSON line.
 */
import { parseArgs } from "node:util";
import { generalizePersonas, type AnnotatorPersona, type GeneralizePersonasResult } from "@/lib/domain/anonymization/personas";
import { syntheticAnnotators } from "./kanon/synthetic-personas";
import { utilityCeiling } from "./kanon/utility-ceiling";

const { values } = parseArgs({ options: { annotators: { type: "string" }, k: { type: "string" }, seed: { type: "string" } } });
const annotators = Number(values.annotators ?? 1000);
const k = Number(values.k ?? 5);
const seed = Number(values.seed ?? 1);
const TARGET_SHARE = 0.7;

/** Size of the smallest group of annotators sharing one released persona (all quasi-identifiers together). */
function smallestClass(result: GeneralizePersonasResult): number {
  const sizes = new Map<string, number>();
  for (const { persona } of result.rows) {
    const key = JSON.stringify({ ...persona, preferences: Object.fromEntries(Object.entries(persona.preferences).sort()) });
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return sizes.size === 0 ? 0 : Math.min(...sizes.values());
}

const round = (value: number) => Math.round(value * 1000) / 1000;

function measure(rows: AnnotatorPersona[]) {
  const started = performance.now();
  const result = generalizePersonas(rows, { k });
  const ms = performance.now() - started;
  const loss = result.informationLoss;
  return {
    annotators: rows.length,
    ms: Math.round(ms),
    quasi_identifiers: Object.keys(result.byQuasiIdentifier).length,
    cells: loss.cells,
    exact: round(loss.exact / loss.cells),
    one_level_up_or_exact: round(loss.exactOrOneLevelUp / loss.cells),
    generalized: round(loss.generalized / loss.cells),
    withheld: round(loss.withheld / loss.cells),
    smallest_class: smallestClass(result),
    k_holds: smallestClass(result) >= k,
    by_quasi_identifier: Object.fromEntries(
      Object.entries(result.byQuasiIdentifier).map(([field, counts]) => {
        const total = counts.exact + counts.generalized + counts.withheld;
        return [field, { exact: round(counts.exact / total), withheld: round(counts.withheld / total) }];
      }),
    ),
  };
}

const synthetic = syntheticAnnotators(annotators, seed);
const main = measure(synthetic);
const highOrNot = (rows: AnnotatorPersona[]) =>
  rows.map(({ annotator, persona }) => ({
    annotator,
    persona: { ...persona, preferences: Object.fromEntries(Object.entries(persona.preferences ?? {}).map(([key, score]) => [key, score >= 80 ? 90 : 50])) },
  }));
const ceiling = {
  as_released: utilityCeiling(synthetic, k),
  preferences_high_or_not: utilityCeiling(highOrNot(synthetic), k),
  without_preferences: utilityCeiling(synthetic.map(({ annotator, persona }) => ({ annotator, persona: { ...persona, preferences: {} } })), k),
};
const large = measure(syntheticAnnotators(10_000, seed + 1));
const common = { ageBand: "25-34", gender: "woman", country: "FR", languages: ["en", "fr"], education: "master", occupation: "teacher", expertise: "education", aiUsageFrequency: "daily", responseStyle: "concise", preferences: { factuality: 90, safety: 70 } };
const small = measure([
  ...Array.from({ length: 15 }, (_, index) => ({ annotator: `alike_${index}`, persona: common })),
  { annotator: "rare", persona: { ...common, ageBand: "65+", gender: "non_binary", country: "IS", occupation: "Lighthouse keeper", expertise: "arts", responseStyle: "conversational", preferences: { factuality: 10, safety: 95 } } },
]);

for (const [name, run] of [["synthetic", main], ["synthetic 10k", large], ["small release", small]] as const) {
  console.log(
    `${name}: ${run.annotators} annotators, ${run.quasi_identifiers} quasi-identifiers, k=${k} holds jointly: ${run.k_holds} (smallest class ${run.smallest_class}); ` +
      `cells exact ${run.exact}, exact or one level up ${run.one_level_up_or_exact}, withheld ${run.withheld} (${run.ms} ms)`,
  );
}
const ceilingText = (value: number | null) => (value === null ? "n/a" : round(value));
console.log(
  `ceiling of "exact or one level up" for any k=${k}-anonymous release of the synthetic ${annotators}: ${ceilingText(ceiling.as_released)} as released; ` +
    `${ceilingText(ceiling.preferences_high_or_not)} if preferences were released only as 80-100 or below; ${ceilingText(ceiling.without_preferences)} without preferences`,
);
console.log(
  JSON.stringify({
    bench: "kanon",
    k,
    seed,
    target_share: TARGET_SHARE,
    target_met: main.k_holds && main.one_level_up_or_exact >= TARGET_SHARE,
    synthetic: main,
    ceiling: Object.fromEntries(Object.entries(ceiling).map(([design, value]) => [design, value === null ? null : round(value)])),
    synthetic_10k: { ...large, by_quasi_identifier: undefined },
    small_release: { ...small, by_quasi_identifier: undefined },
  }),
);
