/**
 * Rates models from an LMArena-style battle dump (JSON array or JSONL).
 *
 *   npm run ratings -- --input FILE|- [--bootstrap N] [--seed S] [--anchor MODEL=RATING|fastchat]
 *                      [--prior] [--prior-sd POINTS] [--style-control]
 *                      [--format table|json] [--skip-invalid] [--min-votes N] [--report-resources]
 *
 * The plain maximum-likelihood Bradley–Terry by default, as LMArena's FastChat computes it;
 * `--prior` uses the app's small-sample estimate instead (lib/domain/rating/prior.ts).
 * Battles with `"anony": false` are excluded (LMArena rates anonymous battles only). Battles are
 * taken in timestamp order for Elo when every one has a `tstamp`, otherwise in file order.
 * Exit codes: 0 success, 1 unreadable or invalid data, 2 bad command line.
 */
import { closeSync, fstatSync, openSync } from "node:fs";
import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort, receiveMessageOnPort } from "node:worker_threads";
import {
  BattleDumpReader,
  BattleDumpSyntaxError,
  InvalidBattleRecordError,
  type BattleDumpStats,
} from "@/lib/domain/rating/battle-dump";
import { RatingInputError } from "@/lib/domain/rating/bradley-terry";
import { computeLeaderboard, DEFAULT_BOOTSTRAP_ROUNDS, DEFAULT_MIN_VOTES, type Leaderboard } from "@/lib/domain/rating/leaderboard";
import { createRandom } from "@/lib/domain/random";
import { battleLogFromBattles } from "@/lib/domain/rating/battle-log";
import { rankUpperBounds, runSteps, type BootstrapRoundHelper } from "@/lib/domain/rating/bootstrap";
import { feedBattleDump, jsonlPartBounds, readUntakenParts, type TDumpParts, type TUntakenParts } from "./ratings/battle-dump-file";
import type { TRatingsHelperAnswer, TRatingsHelperJob } from "./ratings/ratings-helper.worker";
import type { TBlockingReply, TBlockingWorkerData } from "./ratings/blocking-worker-reply";
import { startWorker } from "@/lib/server/workers/start-worker";
import { DEFAULT_PRIOR_SD_POINTS, priorPrecision } from "@/lib/domain/rating/prior";
import { bootstrapStyleControlInSteps, computeStyleControlledRatings, FASTCHAT_STYLE_CONTROL, type StyledBattle } from "@/lib/domain/rating/style-control";
import { CONV_METADATA_FIELDS, styleCountsAt } from "@/lib/domain/rating/style-metadata";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, type BattleLog, type RatingAnchor } from "@/lib/domain/rating/types";

/** LMArena's anchor (FastChat elo_analysis.py), applied when the model is in the dump. */
const FASTCHAT_ANCHOR: RatingAnchor = { model: "mixtral-8x7b-instruct-v0.1", rating: 1114 };

const USAGE = `usage: ratings --input FILE|- [--bootstrap N] [--seed S] [--anchor MODEL=RATING|fastchat]
               [--prior] [--prior-sd POINTS] [--style-control]
               [--format table|json] [--skip-invalid] [--min-votes N] [--report-resources]

  --input FILE         battle dump: a JSON array or JSONL of {model_a, model_b, winner, tstamp?, anony?};
                       "-" reads standard input
  --bootstrap N        bootstrap rounds for the 95% intervals (default ${DEFAULT_BOOTSTRAP_ROUNDS}; 0 = none, intervals left blank)
  --seed S             bootstrap seed, a non-negative integer (default 0)
  --anchor MODEL=R     shift MODEL's connected group so that MODEL is rated R
  --anchor fastchat    LMArena's convention: ${FASTCHAT_ANCHOR.model} = ${FASTCHAT_ANCHOR.rating} when it has battles
  --prior              small-sample estimate: Gaussian prior (SD ${DEFAULT_PRIOR_SD_POINTS} points) on log-strengths
                       instead of the plain MLE; intervals never narrower than the posterior's
  --prior-sd POINTS    the prior's SD in rating points (implies --prior)
  --style-control      LMArena's style control from each battle's conv_metadata (answer tokens, headers,
                       lists, bold per side), fitted as FastChat's compute_style_control does;
                       intervals from bootstrapping the style fit
  --format table|json  output format (default table)
  --skip-invalid       skip malformed records (count reported on stderr) instead of failing
  --min-votes N        models with fewer battles are marked provisional (default ${DEFAULT_MIN_VOTES})
  --report-resources   print {"wallMs", "maxRssKb"} as JSON to stderr at the end`;

interface RatingsCommand {
  input: string;
  bootstrapRounds: number;
  seed: number;
  anchor?: RatingAnchor | "fastchat";
  priorSdPoints?: number;
  styleControl: boolean;
  format: "table" | "json";
  skipInvalid: boolean;
  minVotes: number;
  reportResources: boolean;
}

class UsageError extends Error {}

function parseNonNegativeInteger(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} needs a non-negative integer, got "${value}"`);
  return Number(value);
}

function parseCommandLine(args: string[]): RatingsCommand {
  const command: Partial<RatingsCommand> & { format: "table" | "json" } = {
    bootstrapRounds: DEFAULT_BOOTSTRAP_ROUNDS,
    seed: 0,
    format: "table",
    skipInvalid: false,
    minVotes: DEFAULT_MIN_VOTES,
    reportResources: false,
    styleControl: false,
  };
  for (let k = 0; k < args.length; k++) {
    const [flag, inlineValue] = args[k].includes("=") && args[k].startsWith("--") ? splitOnce(args[k]) : [args[k], undefined];
    const value = (): string => {
      if (inlineValue !== undefined) return inlineValue;
      const next = args[++k];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--input":
        command.input = value();
        break;
      case "--bootstrap":
        command.bootstrapRounds = parseNonNegativeInteger(flag, value());
        break;
      case "--seed":
        command.seed = parseNonNegativeInteger(flag, value());
        break;
      case "--min-votes":
        command.minVotes = parseNonNegativeInteger(flag, value());
        break;
      case "--anchor": {
        const text = value();
        if (text === "fastchat") {
          command.anchor = "fastchat";
          break;
        }
        const separator = text.lastIndexOf("=");
        const rating = Number(text.slice(separator + 1));
        if (separator <= 0 || text.slice(separator + 1).trim() === "" || !Number.isFinite(rating)) {
          throw new UsageError(`--anchor needs MODEL=RATING, got "${text}"`);
        }
        command.anchor = { model: text.slice(0, separator), rating };
        break;
      }
      case "--format": {
        const format = value();
        if (format !== "table" && format !== "json") throw new UsageError(`--format must be table or json, got "${format}"`);
        command.format = format;
        break;
      }
      case "--prior-sd": {
        const sd = Number(value());
        if (!(sd > 0) || !Number.isFinite(sd)) throw new UsageError(`--prior-sd needs a positive number of rating points`);
        command.priorSdPoints = sd;
        break;
      }
      case "--prior":
      case "--style-control":
      case "--skip-invalid":
      case "--report-resources":
        if (inlineValue !== undefined) throw new UsageError(`${flag} takes no value`);
        if (flag === "--skip-invalid") command.skipInvalid = true;
        else if (flag === "--prior") command.priorSdPoints ??= DEFAULT_PRIOR_SD_POINTS;
        else if (flag === "--style-control") command.styleControl = true;
        else command.reportResources = true;
        break;
      default:
        throw new UsageError(`unknown argument "${args[k]}"`);
    }
  }
  if (!command.input) throw new UsageError("--input is required");
  return command as RatingsCommand;
}

function splitOnce(arg: string): [string, string] {
  const index = arg.indexOf("=");
  return [arg.slice(0, index), arg.slice(index + 1)];
}

/** Files at least this large are read on two threads (both cores), in parts of about PART_BYTES. */
const TWO_THREAD_READ_BYTES = 64 * 1024 * 1024;
/** Small enough that the threads finish within a part's read of each other, large enough that parts stay few. */
const PART_BYTES = 32 * 1024 * 1024;

/**
 * The command's second thread (./ratings/ratings-helper.worker.ts), started on first use and kept for
 * the next job: `run` posts a job and returns a function that blocks until its answer is in (null
 * when the job failed); `run` itself returns null when there is no second core or the thread cannot
 * start. Callers then do the work on this thread, with the same result.
 */
class HelperThread {
  private static started: HelperThread | null | undefined;
  private posted = 0;

  private constructor(
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
  ) {}

  /** The thread if it runs already, else null. */
  static get running(): HelperThread | null {
    return HelperThread.started ?? null;
  }

  static run<TAnswer extends TRatingsHelperAnswer>(job: TRatingsHelperJob): (() => TAnswer | null) | null {
    if (HelperThread.started === undefined) HelperThread.started = HelperThread.start();
    return HelperThread.started ? HelperThread.started.post<TAnswer>(job) : null;
  }

  private static start(): HelperThread | null {
    if (availableParallelism() < 2) return null;
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    const workerData: TBlockingWorkerData = { port: port2, signal, exitSignal: { signal, index: 1 } };
    try {
      startWorker("scripts/ratings/ratings-helper.worker.ts", { workerData, transferList: [port2], compileInThread: true }).unref();
    } catch {
      return null;
    }
    port1.unref();
    return new HelperThread(port1, signal);
  }

  private post<TAnswer>(job: TRatingsHelperJob): () => TAnswer | null {
    this.port.postMessage(job);
    const ticket = ++this.posted;
    Atomics.store(this.signal, 0, ticket);
    Atomics.notify(this.signal, 0);
    return () => {
      let answered = Atomics.load(this.signal, 1);
      for (; answered !== -1 && answered < ticket; answered = Atomics.load(this.signal, 1)) Atomics.wait(this.signal, 1, answered);
      if (answered === -1) return null;
      const reply = receiveMessageOnPort(this.port)?.message as TBlockingReply<TAnswer> | undefined;
      return reply?.ok ? reply.answer : null;
    };
  }
}

/**
 * Below this many cell redraws (non-empty cells × offloaded rounds) starting the second thread
 * (compiling and loading it, ≈ 0.3 s CPU) costs more than it saves; a thread already started for the
 * read takes its share of any bootstrap.
 */
const MIN_OFFLOADED_CELL_DRAWS = 5_000_000;

/** Bootstrap rounds on the second thread too, taken as the main thread takes them (bootstrapRatingIntervalsInSteps: same intervals either way). */
const bootstrapThread: BootstrapRoundHelper = {
  start(job) {
    const cells = job.cells.counts.reduce((count, value) => count + (value > 0 ? 1 : 0), 0);
    if (!HelperThread.running && (cells * job.seeds.length) / 2 < MIN_OFFLOADED_CELL_DRAWS) return null;
    return HelperThread.run<number>({ kind: "bootstrap-rounds", job });
  },
};

/**
 * Reads the dump ("-": standard input). A large JSONL file is cut at line starts into parts of
 * about PART_BYTES: this thread reads the first part itself, then this thread and the helper thread
 * each take the next untaken part until none is left, and the parts are appended in file order, as if
 * read in sequence. From the first part that is not plain well-formed JSONL (an invalid record, whose
 * message would need the line count before it) or that the helper failed to read, this thread reads
 * the rest itself in sequence: the result and every message are those of one sequential read.
 */
function readBattleDump(path: string, options: { skipInvalid: boolean; styleMetadata: boolean }): { reader: BattleDumpReader; log: BattleLog; stats: BattleDumpStats } {
  const reader = new BattleDumpReader(options);
  const fd = path === "-" ? 0 : openSync(path, "r");
  try {
    const size = fd === 0 ? 0 : fstatSync(fd).size;
    const bounds = size >= TWO_THREAD_READ_BYTES ? jsonlPartBounds(fd, size, PART_BYTES) : null;
    const untaken: TUntakenParts | null = bounds ? { bounds, next: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)).fill(1), options } : null;
    const helped = untaken ? HelperThread.run<TDumpParts>({ kind: "dump-parts", path, ...untaken }) : null;
    if (!untaken || !helped) {
      feedBattleDump(reader, fd, null, fd === 0 ? "pipe" : "file");
    } else {
      let readTo = feedBattleDump(reader, fd, { start: 0, end: untaken.bounds[1], final: false });
      const parts = new Map([...readUntakenParts(fd, untaken), ...(helped() ?? [])].map(({ index, part }) => [index, part]));
      reader.builder.reserve(reader.builder.length + [...parts.values()].reduce((battles, part) => battles + part.log.length, 0));
      for (let index = 1; index < untaken.bounds.length - 1 && readTo === untaken.bounds[index] && reader.inputFormat === "jsonl"; index++) {
        const part = parts.get(index);
        if (!part || part.format !== "jsonl" || part.stats.skippedInvalid > 0) break;
        reader.append(part);
        parts.delete(index);
        readTo = untaken.bounds[index + 1];
      }
      if (readTo < size) feedBattleDump(reader, fd, { start: readTo, end: size, final: true });
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
  return { reader, log: reader.builder.buildInTimeOrder(), stats: reader.stats };
}

function formatJson(leaderboard: Leaderboard, coefficients?: TCoefficients): string {
  const byModel = <T>(pick: (entry: Leaderboard["models"][number]) => T) =>
    Object.fromEntries(leaderboard.models.map((entry) => [entry.model, pick(entry)]));
  return JSON.stringify({
    mle: byModel((entry) => entry.rating),
    elo: byModel((entry) => entry.elo),
    bootstrap_ci: byModel((entry) => (leaderboard.intervalMethod === null ? null : [entry.ciLower, entry.ciUpper])),
    rank_ub: byModel((entry) => entry.rankUb),
    votes: byModel((entry) => entry.votes),
    ...(coefficients ? { style_coefficients: coefficients.value, style_coefficient_ci: coefficients.interval } : {}),
  });
}

function formatTable(leaderboard: Leaderboard): string {
  const groupCount = new Set(leaderboard.models.map((entry) => entry.group)).size;
  const header = ["Rank (UB)", "Model", "Rating", "95% CI", "Elo", "Votes", ""];
  const rows: string[][] = [];
  const lines: string[] = [];
  const flush = () => {
    const widths = header.map((_, column) => Math.max(header[column].length, ...rows.map((row) => row[column].length)));
    const render = (row: string[]) =>
      row
        .map((cell, column) => (column === 1 || column === 6 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
        .join("  ")
        .trimEnd();
    lines.push(render(header), ...rows.map(render));
    rows.length = 0;
  };
  let currentGroup = -1;
  for (const entry of leaderboard.models) {
    if (entry.group !== currentGroup) {
      if (rows.length > 0) flush();
      if (groupCount > 1) {
        if (lines.length > 0) lines.push("");
        lines.push(`Group ${entry.group + 1} of ${groupCount} (ratings are comparable only within a group)`);
      }
      currentGroup = entry.group;
    }
    const minus = entry.rating - entry.ciLower;
    const plus = entry.ciUpper - entry.rating;
    rows.push([
      String(entry.rankUb),
      entry.model,
      entry.rating.toFixed(1),
      leaderboard.intervalMethod === null ? "" : `-${minus.toFixed(1)}/+${plus.toFixed(1)}`,
      entry.elo === null ? "" : entry.elo.toFixed(1),
      String(entry.votes),
      entry.provisional ? "provisional" : "",
    ]);
  }
  if (rows.length > 0) flush();
  lines.push("", `${leaderboard.computedFrom} battles`);
  return lines.join("\n");
}

type TCoefficients = { value: Record<string, number>; interval: Record<string, [number, number]> | null };

/**
 * Style control on the battles whose conv_metadata has all eight counts, with FastChat's
 * regularization (or the small-sample prior with --prior): ratings from the contextual fit, intervals
 * and coefficient intervals from bootstrapping it (none with --bootstrap 0), tallies and online Elo
 * from the plain board of the same battles.
 */
function styleControlledLeaderboard(
  reader: BattleDumpReader,
  timeOrdered: BattleLog,
  options: { bootstrapRounds: number; seed: number; anchor?: RatingAnchor; minVotes: number; priorSdPoints?: number },
): { leaderboard: Leaderboard; coefficients: TCoefficients } {
  const fileOrder = reader.builder.build();
  const styles = reader.styles!;
  const battles: StyledBattle[] = [];
  let missing = 0;
  for (let k = 0; k < fileOrder.length; k++) {
    const style = styleCountsAt(styles, k * CONV_METADATA_FIELDS.length);
    if (!style) {
      missing++;
      continue;
    }
    const outcome = fileOrder.outcome[k];
    battles.push({ modelA: fileOrder.models[fileOrder.modelA[k]], modelB: fileOrder.models[fileOrder.modelB[k]], outcome: outcome === OUTCOME_A_WINS ? "model_a" : outcome === OUTCOME_B_WINS ? "model_b" : "tie", ...style });
  }
  if (missing > 0) process.stderr.write(`ratings: style control left out ${missing} battle(s) without a complete conv_metadata\n`);
  if (battles.length === 0) throw new RatingInputError("no battle has a conv_metadata with all eight style counts");
  const fit = { ...FASTCHAT_STYLE_CONTROL, ...(options.priorSdPoints === undefined ? {} : { strengthPrecision: priorPrecision(options.priorSdPoints) }), anchor: options.anchor };
  const styled = computeStyleControlledRatings(battles, fit);
  const bootstrap =
    options.bootstrapRounds > 0 ? runSteps(bootstrapStyleControlInSteps(battles, { ...fit, rounds: options.bootstrapRounds, random: createRandom(options.seed) })) : null;
  const plain = computeLeaderboard(missing > 0 ? battleLogFromBattles(battles) : timeOrdered, { ...options, bootstrapRounds: 0, priorSdPoints: undefined });
  const lower = Float64Array.from(plain.models, (entry) => bootstrap?.ratings[entry.model][0] ?? styled.ratings[entry.model]);
  const upper = Float64Array.from(plain.models, (entry) => bootstrap?.ratings[entry.model][1] ?? styled.ratings[entry.model]);
  const ranks = rankUpperBounds(lower, upper, Int32Array.from(plain.models, (entry) => entry.group));
  const models = plain.models
    .map((entry, k) => ({ ...entry, rating: styled.ratings[entry.model], ciLower: lower[k], ciUpper: upper[k], rankUb: ranks[k] }))
    .sort((x, y) => x.group - y.group || y.rating - x.rating || (x.model < y.model ? -1 : 1));
  return {
    leaderboard: { ...plain, models, intervalMethod: bootstrap ? "bootstrap" : null, priorSdPoints: options.priorSdPoints ?? null },
    coefficients: { value: styled.coefficients, interval: bootstrap?.coefficients ?? null },
  };
}

function formatCoefficients(coefficients: TCoefficients): string {
  const lines = ["Style coefficient (log-odds per SD of the A−B difference)"];
  for (const [feature, value] of Object.entries(coefficients.value)) {
    const interval = coefficients.interval?.[feature];
    lines.push(`  ${feature.padEnd(8)} ${value.toFixed(4).padStart(8)}${interval ? `  [${interval[0].toFixed(4)}, ${interval[1].toFixed(4)}]` : ""}`);
  }
  return lines.join("\n");
}

function main(args: string[]): number {
  const startedAt = performance.now();
  let command: RatingsCommand;
  try {
    if (args.includes("--help") || args.includes("-h")) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    command = parseCommandLine(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`ratings: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  try {
    const { reader, log, stats } = readBattleDump(command.input, { skipInvalid: command.skipInvalid, styleMetadata: command.styleControl });
    if (stats.skippedInvalid > 0) {
      process.stderr.write(`ratings: skipped ${stats.skippedInvalid} invalid record(s), e.g.\n`);
      for (const reason of stats.skipReasons) process.stderr.write(`  ${reason}\n`);
    }
    if (stats.excludedNonAnonymous > 0) {
      process.stderr.write(`ratings: excluded ${stats.excludedNonAnonymous} non-anonymous battle(s) (anony: false)\n`);
    }
    if (log.length === 0) {
      process.stderr.write(`ratings: ${command.input}: no battles to rate\n`);
      return 1;
    }
    const anchor = command.anchor === "fastchat" ? (log.models.includes(FASTCHAT_ANCHOR.model) ? FASTCHAT_ANCHOR : undefined) : command.anchor;
    const options = { bootstrapRounds: command.bootstrapRounds, seed: command.seed, anchor, minVotes: command.minVotes, priorSdPoints: command.priorSdPoints, bootstrapHelper: bootstrapThread };
    if (command.styleControl) {
      const { leaderboard, coefficients } = styleControlledLeaderboard(reader, log, options);
      process.stdout.write(`${command.format === "json" ? formatJson(leaderboard, coefficients) : `${formatTable(leaderboard)}\n\n${formatCoefficients(coefficients)}`}\n`);
    } else {
      const leaderboard = computeLeaderboard(log, options);
      process.stdout.write(`${command.format === "json" ? formatJson(leaderboard) : formatTable(leaderboard)}\n`);
    }
  } catch (error) {
    if (
      error instanceof InvalidBattleRecordError ||
      error instanceof BattleDumpSyntaxError ||
      error instanceof RatingInputError
    ) {
      process.stderr.write(`ratings: ${command.input}: ${error.message}\n`);
      return 1;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EACCES" || code === "EISDIR") {
      process.stderr.write(`ratings: cannot read ${command.input}: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
  if (command.reportResources) {
    const wallMs = performance.now() - startedAt;
    process.stderr.write(`${JSON.stringify({ wallMs: Math.round(wallMs), maxRssKb: process.resourceUsage().maxRSS })}\n`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
