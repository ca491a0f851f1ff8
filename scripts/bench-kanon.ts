/**
 * `npm run bench:kanon [-- --annotators 1000 --k 5 --seed 1]`: how much persona detail k-anonymity keeps.
 *
 * Generalizes the personas of a synthetic release (scripts/kanon/synthetic-personas.ts: realistic
 * marginals and correlations) with the release code (generalizePersonas), then checks k jointly over
 * EVERY released quasi-identifier (the nine persona columns and each preference bucket) by counting the
 * annotators of each distinct released persona, independently of the algorithm's own bookkeeping. Also
 * runs a release of 10,000 annotators and the small release of issue 16 (fifteen alike, one rare persona).
 * Prints the figures, then ONE JSON line.
 */
import { parseArgs } from "node:util";
import { generalizePersonas, type AnnotatorPersona, type GeneralizePersonasResult } from "@/lib/domain/anonymization/personas";
import { syntheticAnnotators } from "./kanon/synthetic-personas";

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
    one_level_up_or_exact: round(((loss.byLevel[0] ?? 0) + (loss.byLevel[1] ?? 0)) / loss.cells),
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

const main = measure(syntheticAnnotators(annotators, seed));
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
console.log(
  JSON.stringify({
    bench: "kanon",
    k,
    seed,
    target_share: TARGET_SHARE,
    target_met: main.k_holds && main.one_level_up_or_exact >= TARGET_SHARE,
    synthetic: main,
    synthetic_10k: { ...large, by_quasi_identifier: undefined },
    small_release: { ...small, by_quasi_identifier: undefined },
  }),
);
