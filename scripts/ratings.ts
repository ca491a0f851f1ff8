/**
 * Rates models from an LMArena-style battle dump (JSON array or JSONL).
 *
 *   npm run ratings -- --input FILE [--bootstrap N] [--seed S] [--anchor MODEL=RATING]
 *                      [--format table|json] [--skip-invalid] [--min-votes N] [--report-resources]
 *
 * Battles with `"anony": false` are excluded (LMArena rates anonymous battles only). Battles are
 * taken in timestamp order for Elo when every one has a `tstamp`, otherwise in file order.
 * Exit codes: 0 success, 1 unreadable or invalid data, 2 bad command line.
 */
import { closeSync, openSync, readSync } from "node:fs";
import {
  BattleDumpReader,
  BattleDumpSyntaxError,
  InvalidBattleRecordError,
  type BattleDumpStats,
} from "@/lib/domain/rating/battle-dump";
import { RatingInputError } from "@/lib/domain/rating/bradley-terry";
import { computeLeaderboard, DEFAULT_BOOTSTRAP_ROUNDS, DEFAULT_MIN_VOTES, type Leaderboard } from "@/lib/domain/rating/leaderboard";
import type { BattleLog, RatingAnchor } from "@/lib/domain/rating/types";

const USAGE = `usage: ratings --input FILE [--bootstrap N] [--seed S] [--anchor MODEL=RATING]
               [--format table|json] [--skip-invalid] [--min-votes N] [--report-resources]

  --input FILE         battle dump: a JSON array or JSONL of {model_a, model_b, winner, tstamp?, anony?}
  --bootstrap N        bootstrap rounds for the 95% intervals (default ${DEFAULT_BOOTSTRAP_ROUNDS}; 0 = none)
  --seed S             bootstrap seed, a non-negative integer (default 0)
  --anchor MODEL=R     shift MODEL's connected group so that MODEL is rated R
  --format table|json  output format (default table)
  --skip-invalid       skip malformed records (count reported on stderr) instead of failing
  --min-votes N        models with fewer battles are marked provisional (default ${DEFAULT_MIN_VOTES})
  --report-resources   print {"wallMs", "maxRssKb"} as JSON to stderr at the end`;

interface RatingsCommand {
  input: string;
  bootstrapRounds: number;
  seed: number;
  anchor?: RatingAnchor;
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
      case "--skip-invalid":
      case "--report-resources":
        if (inlineValue !== undefined) throw new UsageError(`${flag} takes no value`);
        if (flag === "--skip-invalid") command.skipInvalid = true;
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

/** Streams the file through the dump reader in 16 MiB reads; a record longer than the buffer grows it. */
function readBattleDump(path: string, skipInvalid: boolean): { log: BattleLog; stats: BattleDumpStats } {
  const reader = new BattleDumpReader({ skipInvalid });
  const fd = openSync(path, "r");
  try {
    let buffer = new Uint8Array(16 * 1024 * 1024);
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        const larger = new Uint8Array(buffer.length * 2);
        larger.set(buffer);
        buffer = larger;
      }
      const read = readSync(fd, buffer, filled, buffer.length - filled, null);
      filled += read;
      const final = read === 0;
      const consumed = reader.consume(buffer, filled, final);
      if (final) break;
      buffer.copyWithin(0, consumed, filled);
      filled -= consumed;
    }
  } finally {
    closeSync(fd);
  }
  return { log: reader.builder.buildInTimeOrder(), stats: reader.stats };
}

function formatJson(leaderboard: Leaderboard): string {
  const byModel = <T>(pick: (entry: Leaderboard["models"][number]) => T) =>
    Object.fromEntries(leaderboard.models.map((entry) => [entry.model, pick(entry)]));
  return JSON.stringify({
    mle: byModel((entry) => entry.rating),
    elo: byModel((entry) => entry.elo),
    bootstrap_ci: byModel((entry) => [entry.ciLower, entry.ciUpper]),
    rank_ub: byModel((entry) => entry.rankUb),
    votes: byModel((entry) => entry.votes),
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
      `-${minus.toFixed(1)}/+${plus.toFixed(1)}`,
      entry.elo === null ? "" : entry.elo.toFixed(1),
      String(entry.votes),
      entry.provisional ? "provisional" : "",
    ]);
  }
  if (rows.length > 0) flush();
  lines.push("", `${leaderboard.computedFrom} battles`);
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
    const { log, stats } = readBattleDump(command.input, command.skipInvalid);
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
    const leaderboard = computeLeaderboard(log, {
      bootstrapRounds: command.bootstrapRounds,
      seed: command.seed,
      anchor: command.anchor,
      minVotes: command.minVotes,
    });
    process.stdout.write(`${command.format === "json" ? formatJson(leaderboard) : formatTable(leaderboard)}\n`);
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
