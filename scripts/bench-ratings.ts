/**
 * Benchmark of the ratings command line on synthetic LMArena-style battles.
 *
 *   npm run bench:ratings -- [--sizes 1000000,10000000] [--seed S] [--bootstrap N] [--data-dir DIR]
 *
 * For each size it writes seeded JSONL battles between 40 models of known strengths to a temp
 * file, runs the CLI exactly as `npm run ratings` does (`tsx scripts/ratings.ts`) under
 * /usr/bin/time when present (wall time, peak RSS of the process tree), checks the ratings
 * against the planted strengths, deletes the file, and finally prints ONE JSON line.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, rmSync, statSync, writeSync } from "node:fs";
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
  seed: number;
  bootstrap: number;
  /** Keep (and reuse) the generated files here instead of a deleted temp file. */
  dataDir: string | null;
}

function parseArguments(args: string[]): BenchOptions {
  const options: BenchOptions = { sizes: [1_000_000, 10_000_000], seed: 1, bootstrap: 1000, dataDir: null };
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
  process.stderr.write(`bench-ratings: ${message}\nusage: bench-ratings [--sizes N,M] [--seed S] [--bootstrap N] [--data-dir DIR]\n`);
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

interface RunFigures {
  battles: number;
  fileMB: number;
  wallSeconds: number;
  peakRssMB: number;
  inProcessWallSeconds: number | null;
  inProcessPeakRssMB: number | null;
  maxAbsErrorVsPlanted: number;
}

function runCli(path: string, battles: number, strengths: number[], options: BenchOptions): RunFigures {
  const cli = [
    join(repositoryRoot, "node_modules/.bin/tsx"),
    join(repositoryRoot, "scripts/ratings.ts"),
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
  const command = timed ? ["/usr/bin/time", "-f", "TIME %e %M", ...cli] : cli;
  const startedAt = performance.now();
  const child = spawnSync(command[0], command.slice(1), { cwd: repositoryRoot, encoding: "utf8", maxBuffer: 1 << 26 });
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  if (child.status !== 0) throw new Error(`ratings CLI failed (${child.status}): ${child.stderr}`);
  const timeLine = child.stderr.split("\n").find((line) => line.startsWith("TIME "));
  const resourceLine = child.stderr.split("\n").find((line) => line.startsWith("{"));
  const resources = resourceLine ? (JSON.parse(resourceLine) as { wallMs: number; maxRssKb: number }) : null;
  const [wallSeconds, peakRssKb] = timeLine
    ? timeLine.slice(5).split(" ").map(Number)
    : [elapsedSeconds, resources?.maxRssKb ?? Number.NaN];

  const result = JSON.parse(child.stdout) as { mle: Record<string, number> };
  let maxAbsError = 0;
  for (let i = 0; i < MODEL_COUNT; i++) {
    const planted = RATING_POINTS_PER_STRENGTH * strengths[i] + RATING_CENTER;
    maxAbsError = Math.max(maxAbsError, Math.abs(result.mle[modelName(i)] - planted));
  }
  return {
    battles,
    fileMB: round(statSync(path).size / 1e6, 1),
    wallSeconds: round(wallSeconds, 2),
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
      runs.push(runCli(path, size, strengths, options));
      process.stderr.write(`bench-ratings: ${JSON.stringify(runs.at(-1))}\n`);
    } finally {
      if (!options.dataDir) rmSync(path, { force: true });
    }
  }
  process.stdout.write(
    `${JSON.stringify({
      benchmark: "ratings-cli",
      command: "tsx scripts/ratings.ts --input FILE --format json --bootstrap N --seed S",
      models: MODEL_COUNT,
      bootstrapRounds: options.bootstrap,
      cpus: availableParallelism(),
      node: process.version,
      runs,
    })}\n`,
  );
}

main();
