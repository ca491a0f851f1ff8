/**
 * Benchmark of preference groups (mixture Bradley–Terry) and the personalized judge on simulated
 * populations with known truth.
 *
 *   npm run bench:preferences -- [--annotators N] [--votes-per-annotator V] [--models M] [--seed S]
 *                                [--judge-sample N] [--budget-annotators N] [--budget-votes-per-annotator V] [--no-budget]
 *
 * 1. Three populations (homogeneous, two groups, five groups tied to persona): K chosen by CV, ARI,
 *    held-out log-likelihood and accuracy of every method on whole held-out annotators, the Bayes
 *    rate, and the group model's gain over the global and segment boards with bootstrap CIs.
 * 2. The judge check: persona-aware vs persona-blind demo judge, the group-model predictor and the
 *    global board on held-out votes of a population whose preference is planted in answer length.
 * 3. The budget: building the data, choosing K and fitting on 10 000 annotators × 100 votes,
 *    timed in wall and CPU seconds (the fit runs as a background job, never on a request).
 * Ends with ONE JSON line.
 */
import { cpus, loadavg } from "node:os";
import { evaluateJudgesOnSimulation } from "@/lib/domain/judge";
import {
  HELD_OUT_METHODS,
  buildAnnotatorVoteData,
  evaluatePreferenceGroupsOnSimulation,
  fitPreferenceGroups,
  selectGroupCount,
  type THeldOutReport,
} from "@/lib/domain/preference-groups";
import { POPULATION_PRESETS, populationPreset, simulatePopulation } from "@/lib/domain/simulation";

interface BenchOptions {
  annotators: number;
  votesPerAnnotator: number;
  models: number;
  seed: number;
  judgeSample: number;
  budgetAnnotators: number;
  budgetVotesPerAnnotator: number;
  budget: boolean;
}

function parseArguments(args: string[]): BenchOptions {
  const options: BenchOptions = { annotators: 2000, votesPerAnnotator: 40, models: 10, seed: 1, judgeSample: 2000, budgetAnnotators: 10_000, budgetVotesPerAnnotator: 100, budget: true };
  const numeric: Record<string, keyof BenchOptions> = {
    "--annotators": "annotators",
    "--votes-per-annotator": "votesPerAnnotator",
    "--models": "models",
    "--seed": "seed",
    "--judge-sample": "judgeSample",
    "--budget-annotators": "budgetAnnotators",
    "--budget-votes-per-annotator": "budgetVotesPerAnnotator",
  };
  for (let k = 0; k < args.length; k++) {
    if (args[k] === "--no-budget") {
      options.budget = false;
      continue;
    }
    const key = numeric[args[k]];
    const value = args[k + 1];
    if (!key) usage(`unknown argument "${args[k]}"`);
    if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) usage(`${args[k]} needs a positive integer`);
    (options[key] as number) = Number(value);
    k++;
  }
  return options;
}

function usage(message: string): never {
  console.error(`bench:preferences: ${message}`);
  process.exit(2);
}

const fixed = (value: number, digits = 4) => Number(value.toFixed(digits));
const seconds = (ms: number) => fixed(ms / 1000, 2);

function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return fixed((used.user + used.system) / 1e6, 2);
}

function printPopulation(name: string, report: THeldOutReport): void {
  console.log(`\n## ${name}: ${report.annotators} annotators, ${report.votes} votes (${report.excludedTooFast} too-fast annotators excluded), ${report.heldOutAnnotators} held out, ${report.scoredVotes} decisive held-out votes scored`);
  console.log(`K chosen: ${report.groups}  (CV per vote: ${report.candidates.map((c) => `K=${c.groups} ${c.perVote.toFixed(4)}${c.standardError ? ` ±${c.standardError.toFixed(1)}` : ""}`).join(", ")})`);
  console.log(`ARI on ${report.ari.annotators} training annotators with ≥ 20 votes: ${report.ari.value.toFixed(3)}`);
  console.log(`Bayes rate (persona known, group not): ${(100 * report.bayesRate).toFixed(2)} %`);
  console.log("| method | held-out LL / vote | accuracy |");
  console.log("|---|---|---|");
  for (const method of report.methods) console.log(`| ${method.method} | ${method.meanLogLikelihood.toFixed(4)} | ${(100 * method.accuracy).toFixed(2)} % |`);
  const interval = (d: THeldOutReport["difference"]["vsGlobal"]) => `${d.estimate.toFixed(4)} [${d.lower.toFixed(4)}, ${d.upper.toFixed(4)}]`;
  console.log(`groups (persona only) − global board, LL/vote: ${interval(report.difference.vsGlobal)}`);
  console.log(`groups (persona only) − segment board, LL/vote: ${interval(report.difference.vsSegment)}`);
  console.log(`select K ${seconds(report.milliseconds.selectK)} s, final fit ${seconds(report.milliseconds.fit)} s`);
}

function main(): void {
  const options = parseArguments(process.argv.slice(2));
  const models = Array.from({ length: options.models }, (_, m) => `model-${m + 1}`);
  console.log(`bench:preferences on ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}; seed ${options.seed}`);

  const populations: Record<string, unknown> = {};
  for (const preset of POPULATION_PRESETS) {
    const population = simulatePopulation(populationPreset(preset, { annotators: options.annotators, models, votesPerAnnotator: options.votesPerAnnotator }), options.seed);
    const report = evaluatePreferenceGroupsOnSimulation(population, { seed: options.seed });
    printPopulation(preset, report);
    const groupsAccuracy = report.methods.find((method) => method.method === "groups_persona")!.accuracy;
    populations[preset] = {
      plantedGroups: population.truth.groups.length,
      chosenK: report.groups,
      ari: fixed(report.ari.value, 3),
      bayesRate: fixed(report.bayesRate),
      groupsGapToBayesPoints: fixed(100 * (report.bayesRate - groupsAccuracy), 2),
      methods: Object.fromEntries(report.methods.map((method) => [method.method, { ll: fixed(method.meanLogLikelihood), accuracy: fixed(method.accuracy) }])),
      gainVsGlobal: { estimate: fixed(report.difference.vsGlobal.estimate), lower: fixed(report.difference.vsGlobal.lower), upper: fixed(report.difference.vsGlobal.upper) },
      gainVsSegment: { estimate: fixed(report.difference.vsSegment.estimate), lower: fixed(report.difference.vsSegment.lower), upper: fixed(report.difference.vsSegment.upper) },
    };
  }

  const judge = evaluateJudgesOnSimulation({ annotators: options.annotators, models: 8, seed: options.seed, sample: options.judgeSample });
  console.log(`\n## Personalized judge: ${judge.sampled} held-out votes of a population whose preference is planted in answer length`);
  console.log("| judge | agreement | coverage/agreement at certainty ≥ 1, 4, 7, 10 |");
  console.log("|---|---|---|");
  for (const [name, summary] of Object.entries(judge.judges)) {
    const points = [1, 4, 7, 10].map((c) => summary.curve[c - 1]).map((p) => `${(100 * p.coverage).toFixed(0)} % / ${p.agreement === null ? "—" : `${(100 * p.agreement).toFixed(1)} %`}`);
    console.log(`| ${name} | ${summary.agreement === null ? "—" : `${(100 * summary.agreement).toFixed(2)} %`} | ${points.join("; ")} |`);
  }
  console.log(
    `persona-aware − blind demo judge: observed ${(100 * judge.observedMargin.estimate).toFixed(2)} points [${(100 * judge.observedMargin.lower).toFixed(2)}, ${(100 * judge.observedMargin.upper).toFixed(2)}], planted ${(100 * judge.plantedMargin).toFixed(2)} points`,
  );

  let budget: Record<string, number> | null = null;
  if (options.budget) {
    const budgetModels = Array.from({ length: 20 }, (_, m) => `model-${m + 1}`);
    const population = simulatePopulation(
      populationPreset("five-groups", { annotators: options.budgetAnnotators, models: budgetModels, votesPerAnnotator: options.budgetVotesPerAnnotator, tooFastShare: 0 }),
      options.seed,
    );
    const started = performance.now();
    const cpu = process.cpuUsage();
    const data = buildAnnotatorVoteData(population.votes, { models: budgetModels });
    const personas = data.annotators.map((id) => population.annotators[Number(id.slice("sim-a".length)) - 1].persona);
    const built = performance.now();
    const selection = selectGroupCount(data, personas, { seed: options.seed });
    const selected = performance.now();
    const model = fitPreferenceGroups(data, personas, { groups: selection.groups, seed: options.seed });
    const finished = performance.now();
    budget = {
      annotators: data.annotators.length,
      votes: population.votes.length,
      chosenK: model.groupCount,
      buildSeconds: seconds(built - started),
      selectSeconds: seconds(selected - built),
      fitSeconds: seconds(finished - selected),
      wallSeconds: seconds(finished - started),
      cpuSeconds: cpuSeconds(cpu),
      loadAverage: fixed(loadavg()[0], 1),
    };
    console.log(`\n## Budget: ${budget.votes} votes, ${budget.annotators} annotators, 20 models → K = ${budget.chosenK}`);
    console.log(`build ${budget.buildSeconds} s, choose K ${budget.selectSeconds} s, final fit ${budget.fitSeconds} s: ${budget.wallSeconds} s wall, ${budget.cpuSeconds} s CPU (load average ${budget.loadAverage})`);
  }

  const summary = {
    bench: "preferences",
    seed: options.seed,
    annotators: options.annotators,
    votesPerAnnotator: options.votesPerAnnotator,
    models: options.models,
    methods: HELD_OUT_METHODS,
    populations,
    judge: {
      sampled: judge.sampled,
      agreement: Object.fromEntries(Object.entries(judge.judges).map(([name, s]) => [name, s.agreement === null ? null : fixed(s.agreement)])),
      agreementAtCertainty7: Object.fromEntries(Object.entries(judge.judges).map(([name, s]) => [name, s.curve[6].agreement === null ? null : fixed(s.curve[6].agreement)])),
      coverageAtCertainty7: Object.fromEntries(Object.entries(judge.judges).map(([name, s]) => [name, fixed(s.curve[6].coverage)])),
      plantedMargin: fixed(judge.plantedMargin),
      observedMargin: { estimate: fixed(judge.observedMargin.estimate), lower: fixed(judge.observedMargin.lower), upper: fixed(judge.observedMargin.upper) },
    },
    budget,
  };
  console.log(JSON.stringify(summary));
}

main();
