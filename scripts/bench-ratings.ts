/**
 * Benchmark of the ratings command line on synthetic LMArena-style battles.
 *
 *   npm run bench:ratings -- [--sizes 1000000,10000000] [--lmarena N] [--seed S] [--bootstrap N] [--data-dir DIR]
 *
 * For each size it writes seeded JSONL battles between 40 models of known strengths to a temp
 * file, runs the CLI exactly as `npm run ratings` does (its command line, read from package.json) under
 * /usr/bin/time when present (wall time, CPU time user + sys, peak RSS of the process tree), checks the ratings
 * against the planted strengths, deletes the file, and finally prints ONE JSON line.
 *
 * Then the LMArena-shaped case (`--lmarena N`, default 1,670,000; 0 skips it): N battles of 129
 * models with popularity-skewed pairs (a model's share ∝ 1/rank^1.1: a few models in most battles,
 * many rare ones), ties and both-bad, unique tstamps, and records shaped like FastChat's public
 * clean-battle dump (question_id, judge, turn, language, conv_metadata, dedup_tag, …).
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRandom, randomInt } from "@/lib/domain/random";
import { RATING_CENTER, RATING_POINTS_PER_STRENGTH } from "@/lib/domain/rating/types";

const MODEL_COUNT = 40;
const TIE_PROBABILITY = 0.15;
const BOTH_BAD_PROBABILITY = 0.05;
const repositoryRoot = resolve(import.meta.dirname, "..");

interface BenchOptions {
  sizes: number[];
  /** Battles of the LMArena-shaped case; 0 skips it. */
  lmarena: number;
  seed: number;
  bootstrap: number;
  /** Keep (and reuse) the generated files here instead of a deleted temp file. */
  dataDir: string | null;
}

function parseArguments(args: string[]): BenchOptions {
  const options: BenchOptions = { sizes: [1_000_000, 10_000_000], lmarena: 1_670_000, seed: 1, bootstrap: 1000, dataDir: null };
  for (let k = 0; k < args.length; k++) {
    const value = args[k + 1];
    const needInteger = (text: string | undefined) => {
      if (text === undefined || !/^\d+$/.test(text)) usage(`${args[k]} needs a non-negative integer`);
      return Number(text);
    };
    if (args[k] === "--sizes") {
      if (value === undefined) usage("--sizes needs a list like 1000000,10000000");
      options.sizes = value.split(",").map((size) => needInteger(size.replace(/_/g, "")));
      k++;
    } else if (args[k] === "--lmarena") {
      options.lmarena = needInteger(value);
      k++;
    } else if (args[k] === "--seed") {
      options.seed = needInteger(value);
      k++;
    } else if (args[k] === "--bootstrap") {
      options.bootstrap = needInteger(value);
      k++;
    } else if (args[k] === "--data-dir") {
      if (value === undefined) usage("--data-dir needs a directory");
      options.dataDir = value;
      k++;
    } else {
      usage(`unknown argument "${args[k]}"`);
    }
  }
  return options;
}

function usage(message: string): never {
  process.stderr.write(`bench-ratings: ${message}\nusage: bench-ratings [--sizes N,M] [--lmarena N] [--seed S] [--bootstrap N] [--data-dir DIR]\n`);
  process.exit(2);
}

function modelName(index: number): string {
  return `model-${String(index).padStart(2, "0")}`;
}

/** Planted strengths in log-odds, evenly spread over ±1 and shuffled by the seed. */
function plantedStrengths(seed: number): number[] {
  const random = createRandom(seed);
  const strengths = Array.from({ length: MODEL_COUNT }, (_, i) => -1 + (2 * i) / (MODEL_COUNT - 1));
  for (let i = strengths.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [strengths[i], strengths[j]] = [strengths[j], strengths[i]];
  }
  return strengths;
}

/**
 * P(A wins | not a tie) chosen so that counting ties as half a win each way (as BT does) gives
 * exactly σ(θ_A − θ_B): the planted strengths are then what the CLI should recover.
 */
function decisiveWinProbability(strengthGap: number): number {
  const tieShare = TIE_PROBABILITY + BOTH_BAD_PROBABILITY;
  return (1 / (1 + Math.exp(-strengthGap)) - tieShare / 2) / (1 - tieShare);
}

function writeSyntheticBattles(path: string, battleCount: number, strengths: number[], seed: number): void {
  const random = createRandom(seed + 1);
  const fd = openSync(path, "w");
  try {
    const lines: string[] = [];
    for (let k = 0; k < battleCount; k++) {
      const a = randomInt(random, MODEL_COUNT);
      let b = randomInt(random, MODEL_COUNT - 1);
      if (b >= a) b++;
      const draw = random();
      let winner: string;
      if (draw < BOTH_BAD_PROBABILITY) winner = "tie (bothbad)";
      else if (draw < BOTH_BAD_PROBABILITY + TIE_PROBABILITY) winner = "tie";
      else winner = random() < decisiveWinProbability(strengths[a] - strengths[b]) ? "model_a" : "model_b";
      const tstamp = (1_700_000_000 + k * 0.25).toFixed(4);
      lines.push(
        `{"model_a": "${modelName(a)}", "model_b": "${modelName(b)}", "winner": "${winner}", "judge": "arena_user_${k % 997}", "anony": true, "tstamp": ${tstamp}}`,
      );
      if (lines.length === 100_000 || k === battleCount - 1) {
        writeSync(fd, `${lines.join("\n")}\n`);
        lines.length = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
}


const LMARENA_MODELS = 129;
/** Exponent of the popularity law: model at popularity rank r takes a share ∝ 1/r^1.1. */
const LMARENA_POPULARITY_EXPONENT = 1.1;

/** The LMArena-shaped case: planted strengths over ±1.5 log-odds, popularity ranks shuffled against them. */
function lmarenaShape(seed: number): { strengths: number[]; cumulative: Float64Array } {
  const random = createRandom(seed + 7);
  const strengths = Array.from({ length: LMARENA_MODELS }, (_, i) => -1.5 + (3 * i) / (LMARENA_MODELS - 1));
  for (let i = strengths.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [strengths[i], strengths[j]] = [strengths[j], strengths[i]];
  }
  const cumulative = new Float64Array(LMARENA_MODELS);
  let total = 0;
  for (let i = 0; i < LMARENA_MODELS; i++) cumulative[i] = total += 1 / (i + 1) ** LMARENA_POPULARITY_EXPONENT;
  for (let i = 0; i < LMARENA_MODELS; i++) cumulative[i] /= total;
  return { strengths, cumulative };
}

function popularModel(cumulative: Float64Array, draw: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle] < draw) low = middle + 1;
    else high = middle;
  }
  return low;
}

function writeLmarenaBattles(path: string, battleCount: number, shape: { strengths: number[]; cumulative: Float64Array }, seed: number): void {
  const random = createRandom(seed + 11);
  const fd = openSync(path, "w");
  const languages = ["English", "English", "English", "Chinese", "Russian", "German", "Spanish", "French", "Japanese"];
  try {
    const lines: string[] = [];
    for (let k = 0; k < battleCount; k++) {
      const a = popularModel(shape.cumulative, random());
      let b = a;
      while (b === a) b = popularModel(shape.cumulative, random());
      const draw = random();
      let winner: string;
      if (draw < BOTH_BAD_PROBABILITY) winner = "tie (bothbad)";
      else if (draw < BOTH_BAD_PROBABILITY + TIE_PROBABILITY) winner = "tie";
      else winner = random() < decisiveWinProbability(shape.strengths[a] - shape.strengths[b]) ? "model_a" : "model_b";
      const tokens = () => 50 + randomInt(random, 900);
      const tstamp = (1_682_000_000 + k * 13.37 + random()).toFixed(4);
      lines.push(
        `{"question_id": "${(k * 2654435761 >>> 0).toString(16)}${k.toString(16)}", "model_a": "${lmarenaModelName(a)}", "model_b": "${lmarenaModelName(b)}", "winner": "${winner}", ` +
          `"judge": "arena_user_${k % 49_999}", "turn": ${1 + (k % 3 === 0 ? 1 : 0)}, "anony": true, "language": "${languages[k % languages.length]}", "tstamp": ${tstamp}, ` +
          `"conv_metadata": {"sum_user_tokens": ${tokens()}, "sum_assistant_a_tokens": ${tokens()}, "sum_assistant_b_tokens": ${tokens()}, "context_a_tokens": ${tokens()}, "context_b_tokens": ${tokens()}, "turns": 1, ` +
          `"header_count_a": {"h1": 0, "h2": ${k % 3}, "h3": 0, "h4": 0, "h5": 0, "h6": 0}, "list_count_a": {"ordered": ${k % 4}, "unordered": ${k % 5}}, "bold_count_a": {"**": ${k % 6}, "__": 0}, ` +
          `"header_count_b": {"h1": 0, "h2": ${k % 2}, "h3": 0, "h4": 0, "h5": 0, "h6": 0}, "list_count_b": {"ordered": ${k % 3}, "unordered": ${k % 7}}, "bold_count_b": {"**": ${k % 4}, "__": 0}}, ` +
          `"is_code": ${k % 5 === 0}, "is_refusal": false, "dedup_tag": {"high_freq": false, "sampled": true}}`,
      );
      if (lines.length === 100_000 || k === battleCount - 1) {
        writeSync(fd, `${lines.join("\n")}\n`);
        lines.length = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
}

function lmarenaModelName(index: number): string {
  return `arena-model-${String(index).padStart(3, "0")}`;
}

interface RunFigures {
  case: "uniform" | "lmarena";
  battles: number;
  models: number;
  fileMB: number;
  wallSeconds: number;
  /** user + sys of the CLI's process tree (both threads): the figure that carries over from a busy machine. */
  cpuSeconds: number | null;
  peakRssMB: number;
  inProcessWallSeconds: number | null;
  inProcessPeakRssMB: number | null;
  maxAbsErrorVsPlanted: number;
}

/**
 * Runs the CLI on `path`; the error against the planted strengths is over the models with at least
 * 2,000 battles (a rare model's error is its sampling noise, not the engine's).
 */
/** The command line of `npm run ratings` (package.json), so the bench times exactly what a user starts. */
const RATINGS_SCRIPT: string = JSON.parse(readFileSync(join(repositoryRoot, "package.json"), "utf8")).scripts.ratings;

function ratingsCommand(): string[] {
  const [program, ...args] = RATINGS_SCRIPT.split(/\s+/);
  const executable = program === "node" ? process.execPath : join(repositoryRoot, "node_modules/.bin", program!);
  return [executable, ...args.map((arg) => (arg.startsWith("scripts/") ? join(repositoryRoot, arg) : arg))];
}

function runCli(path: string, battles: number, planted: { case: RunFigures["case"]; strengths: number[]; name: (index: number) => string }, options: BenchOptions): RunFigures {
  const cli = [
    ...ratingsCommand(),
    "--input",
    path,
    "--format",
    "json",
    "--bootstrap",
    String(options.bootstrap),
    "--seed",
    String(options.seed),
    "--report-resources",
  ];
  const timed = existsSync("/usr/bin/time");
  const command = timed ? ["/usr/bin/time", "-f", "TIME %e %M %U %S", ...cli] : cli;
  const startedAt = performance.now();
  const child = spawnSync(command[0], command.slice(1), { cwd: repositoryRoot, encoding: "utf8", maxBuffer: 1 << 26 });
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  if (child.status !== 0) throw new Error(`ratings CLI failed (${child.status}): ${child.stderr}`);
  const timeLine = child.stderr.split("\n").find((line) => line.startsWith("TIME "));
  const resourceLine = child.stderr.split("\n").find((line) => line.startsWith("{"));
  const resources = resourceLine ? (JSON.parse(resourceLine) as { wallMs: number; maxRssKb: number }) : null;
  const [wallSeconds, peakRssKb, userSeconds, systemSeconds] = timeLine
    ? timeLine.slice(5).split(" ").map(Number)
    : [elapsedSeconds, resources?.maxRssKb ?? Number.NaN, Number.NaN, Number.NaN];

  const result = JSON.parse(child.stdout) as { mle: Record<string, number>; votes: Record<string, number> };
  // Both are centred over their models: compare after aligning the means of the well-sampled models.
  const sampled = planted.strengths.map((_, i) => i).filter((i) => (result.votes[planted.name(i)] ?? 0) >= 2000);
  const plantedRating = (i: number) => RATING_POINTS_PER_STRENGTH * planted.strengths[i] + RATING_CENTER;
  const offset = sampled.reduce((sum, i) => sum + result.mle[planted.name(i)] - plantedRating(i), 0) / Math.max(1, sampled.length);
  let maxAbsError = 0;
  for (const i of sampled) maxAbsError = Math.max(maxAbsError, Math.abs(result.mle[planted.name(i)] - offset - plantedRating(i)));
  return {
    case: planted.case,
    battles,
    models: planted.strengths.length,
    fileMB: round(statSync(path).size / 1e6, 1),
    wallSeconds: round(wallSeconds, 2),
    cpuSeconds: Number.isFinite(userSeconds + systemSeconds) ? round(userSeconds + systemSeconds, 2) : null,
    peakRssMB: round(peakRssKb / 1024, 1),
    inProcessWallSeconds: resources ? round(resources.wallMs / 1000, 2) : null,
    inProcessPeakRssMB: resources ? round(resources.maxRssKb / 1024, 1) : null,
    maxAbsErrorVsPlanted: round(maxAbsError, 2),
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function main(): void {
  const options = parseArguments(process.argv.slice(2));
  const strengths = plantedStrengths(options.seed);
  const runs: RunFigures[] = [];
  for (const size of options.sizes) {
    const path = options.dataDir
      ? join(options.dataDir, `battles-${size}-seed${options.seed}.jsonl`)
      : join(tmpdir(), `bench-ratings-${process.pid}-${size}.jsonl`);
    try {
      if (!options.dataDir || !existsSync(path)) writeSyntheticBattles(path, size, strengths, options.seed);
      runs.push(runCli(path, size, { case: "uniform", strengths, name: modelName }, options));
      process.stderr.write(`bench-ratings: ${JSON.stringify(runs.at(-1))}\n`);
    } finally {
      if (!options.dataDir) rmSync(path, { force: true });
    }
  }
  if (options.lmarena > 0) {
    const shape = lmarenaShape(options.seed);
    const path = options.dataDir ? join(options.dataDir, `lmarena-${options.lmarena}-seed${options.seed}.jsonl`) : join(tmpdir(), `bench-ratings-${process.pid}-lmarena.jsonl`);
    try {
      if (!options.dataDir || !existsSync(path)) writeLmarenaBattles(path, options.lmarena, shape, options.seed);
      runs.push(runCli(path, options.lmarena, { case: "lmarena", strengths: shape.strengths, name: lmarenaModelName }, options));
      process.stderr.write(`bench-ratings: ${JSON.stringify(runs.at(-1))}\n`);
    } finally {
      if (!options.dataDir) rmSync(path, { force: true });
    }
  }
  process.stdout.write(
    `${JSON.stringify({
      benchmark: "ratings-cli",
      command: `${RATINGS_SCRIPT} --input FILE --format json --bootstrap N --seed S`,
      bootstrapRounds: options.bootstrap,
      cpus: availableParallelism(),
      node: process.version,
      runs,
    })}\n`,
  );
}

main();
