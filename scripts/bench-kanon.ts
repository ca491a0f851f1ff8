/**
 * k-anonymity benchmark (issue 16): a synthetic release of 1,000 annotators with realistic marginals
 * (./kanon/synthetic-personas.ts) is generalized with the release code (generalizePersonas), then k is
 * checked jointly over every quasi-identifier of the persona row (schema 5: age band, gender, language
 * count, AI usage, response style and each preference band) by counting the annotators of each distinct released persona,
 * independently of the algorithm's own bookkeeping. Also runs a release of 10,000 annotators and the small
 * release of issue 16 (fifteen alike, one rare persona).
 *
 * Measure: an answered quasi-identifier cell counts as "exact or one level up" when it is released at the
 * finest form the release schema publishes for its column (a preference: its band 0-39 / 40-79 / 80-100)
 * or one hierarchy level above it (a preference: 0-79 / 80-100), and is not withheld ("*"). Because that
 * is relative to the schema, the bench also prints the share against the SURVEY's answers: every answered
 * survey cell (nine persona fields, six preferences as 20-point buckets), counting fields kept out of the
 * rows as not shown. Next to it, the ceiling of the measure (./kanon/utility-ceiling.ts). With --designs,
 * every candidate design of ./kanon/designs.ts on seeds 1, 2 and 3: row share, survey share, ceiling and
 * smallest class, and the design the lead's rule picks (row share >= 70 % with k holding on every seed,
 * then the largest mean survey share). Prints the figures, then ONE JSON line.
 */
import { parseArgs } from "node:util";
import { generalizePersonas, quasiIdentifierColumns, type AnnotatorPersona, type GeneralizePersonasResult } from "@/lib/domain/anonymization/personas";
import { chooseDesign, compareDesigns, surveyGranularity } from "./kanon/designs";
import { syntheticAnnotators } from "./kanon/synthetic-personas";
import { utilityCeiling } from "./kanon/utility-ceiling";

const { values } = parseArgs({ options: { annotators: { type: "string" }, k: { type: "string" }, seed: { type: "string" }, designs: { type: "boolean" } } });
const annotators = Number(values.annotators ?? 1000);
const k = Number(values.k ?? 5);
const seed = Number(values.seed ?? 1);
const TARGET_SHARE = 0.7;

/** Size of the smallest group of annotators sharing one released persona (all quasi-identifiers of the row together). */
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
    survey: surveyGranularity(rows, result),
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
const ceiling = utilityCeiling(quasiIdentifierColumns(synthetic, {}), k);
const DESIGN_SEEDS = [1, 2, 3];
const designsBySeed = values.designs ? DESIGN_SEEDS.map((designSeed) => compareDesigns(designSeed === seed ? synthetic : syntheticAnnotators(annotators, designSeed), k)) : undefined;
const chosen = designsBySeed ? chooseDesign(designsBySeed, k, TARGET_SHARE) : undefined;
const large = measure(syntheticAnnotators(10_000, seed + 1));
const common = { ageBand: "25-34", gender: "woman", country: "FR", languages: ["en", "fr"], education: "master", occupation: "teacher", expertise: "education", aiUsageFrequency: "daily", responseStyle: "concise", preferences: { factuality: 90, safety: 70 } };
const small = measure([
  ...Array.from({ length: 15 }, (_, index) => ({ annotator: `alike_${index}`, persona: common })),
  { annotator: "rare", persona: { ...common, ageBand: "65+", gender: "non_binary", country: "IS", occupation: "Lighthouse keeper", expertise: "arts", responseStyle: "conversational", preferences: { factuality: 10, safety: 95 } } },
]);

for (const [name, run] of [["synthetic", main], ["synthetic 10k", large], ["small release", small]] as const) {
  console.log(
    `${name}: ${run.annotators} annotators, ${run.quasi_identifiers} quasi-identifiers in the row, k=${k} holds jointly: ${run.k_holds} (smallest class ${run.smallest_class}); ` +
      `cells exact ${run.exact}, exact or one level up ${run.one_level_up_or_exact}, withheld ${run.withheld} (${run.ms} ms); ` +
      `against the survey's answers (${run.survey.cells} cells, all 15 questions): exact ${round(run.survey.exact)}, exact or one level up ${round(run.survey.exact_or_one_level_up)}`,
  );
}
console.log(`ceiling of "exact or one level up" for any k=${k}-anonymous release of the synthetic ${annotators}: ${ceiling === null ? "n/a" : round(ceiling)}`);
const seedFigures = (values: ReadonlyArray<number | null>) => values.map((value) => (value === null ? "n/a" : round(value))).join(" / ");
designsBySeed?.[0]!.forEach(({ design, quasi_identifiers: width }, index) => {
  const runs = designsBySeed.map((results) => results[index]!);
  console.log(
    `design "${design}" (${width} quasi-identifiers; seeds ${DESIGN_SEEDS.join(" / ")}): row share ${seedFigures(runs.map((run) => run.row_share))}, ` +
      `survey share ${seedFigures(runs.map((run) => run.survey_share))}, ceiling ${seedFigures(runs.map((run) => run.ceiling))}, smallest class ${runs.map((run) => run.smallest_class).join(" / ")}`,
  );
});
if (chosen !== undefined) console.log(`chosen by the rule (row share >= ${TARGET_SHARE} with k=${k} on every seed, then the largest mean survey share): ${chosen ? `"${chosen.design}", survey share ${round(chosen.survey_share)}` : "none"}`);
console.log(
  JSON.stringify({
    bench: "kanon",
    k,
    seed,
    target_share: TARGET_SHARE,
    target_met: main.k_holds && main.one_level_up_or_exact >= TARGET_SHARE,
    synthetic: main,
    ceiling: ceiling === null ? null : round(ceiling),
    ...(designsBySeed
      ? {
          design_seeds: DESIGN_SEEDS,
          designs: designsBySeed[0]!.map(({ design, quasi_identifiers: width }, index) => {
            const runs = designsBySeed.map((results) => results[index]!);
            return { design, quasi_identifiers: width, row_share: runs.map((run) => round(run.row_share)), survey_share: runs.map((run) => round(run.survey_share)), ceiling: runs.map((run) => (run.ceiling === null ? null : round(run.ceiling))), smallest_class: runs.map((run) => run.smallest_class) };
          }),
          chosen_design: chosen ? { ...chosen, survey_share: round(chosen.survey_share) } : null,
        }
      : {}),
    synthetic_10k: { ...large, by_quasi_identifier: undefined },
    small_release: { ...small, by_quasi_identifier: undefined },
  }),
);
