/**
 * Vote-path load benchmark against the BUILT app over loopback HTTP, shaped like the browser.
 *
 *   npm run bench:load -- [--database both|sqlite|postgres] [--annotators N] [--duration S] [--warmup S]
 *                         [--postgres-url postgresql://…/] [--dist-dir .next-sec] [--cpu-prof DIR]
 *
 * For each database (SQLite then PostgreSQL by default, in one run), starts the built app's server
 * (scripts/serve.js, as `npm start` runs it; built once into --dist-dir when missing) on a fresh database
 * (a temp SQLite file, or a new PostgreSQL database that is dropped afterwards) with the offline demo
 * models streaming at DEMO_TOKENS_PER_SECOND=1000000 and the rate limits and daily cap raised out of the
 * way. N simulated annotators (scripts/load/vote-load.ts) each sign in as a guest exactly as the
 * "Continue as guest" button does; once all have (their own keep-alive connections open, like
 * browsers'), the clock starts and each loops for the duration through the arena page's requests:
 * battle.create, the battle's event stream until `end` (which carries the battle, which the page shows),
 * consent on the first vote, battle.vote (its answer holds the voted battle, which the page shows), every
 * tRPC call batched through the browser's own link
 * (lib/trpc/batch-link.ts). Votes/s counts votes acknowledged after the warmup; latencies are of the
 * vote request alone. After each run, every acknowledged vote is looked up in the database directly.
 * FAST_LANE=false in the environment benchmarks Next's route path instead of the fast lane.
 * Ends with ONE JSON line.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { dropPostgresDatabase, withDatabase } from "../lib/server/db/migrations";
import { counterByLabel, startApp } from "./load/app-process";
import { checkStoredVotes } from "./load/stored-votes";
import { percentile, runVoteLoad } from "./load/vote-load";

type TDatabase = "sqlite" | "postgres";

interface TBenchLoadOptions {
  databases: TDatabase[];
  annotators: number;
  durationSeconds: number;
  warmupSeconds: number;
  postgresUrl: string;
  distDir: string;
  cpuProfDir: string | null;
}

function parseOptions(argv: string[]): TBenchLoadOptions {
  const options: TBenchLoadOptions = {
    databases: ["sqlite", "postgres"],
    annotators: 64,
    durationSeconds: 30,
    warmupSeconds: 5,
    postgresUrl: "postgresql://postgres@127.0.0.1:5432/",
    distDir: process.env.NEXT_DIST_DIR ?? ".next-sec",
    cpuProfDir: null,
  };
  for (let index = 0; index < argv.length; index += 2) {
    const [flag, value] = [argv[index], argv[index + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--database") {
      if (value !== "sqlite" && value !== "postgres" && value !== "both") throw new Error("--database is both, sqlite or postgres");
      options.databases = value === "both" ? ["sqlite", "postgres"] : [value];
    } else if (flag === "--annotators") options.annotators = Number(value);
    else if (flag === "--duration") options.durationSeconds = Number(value);
    else if (flag === "--warmup") options.warmupSeconds = Number(value);
    else if (flag === "--postgres-url") options.postgresUrl = value;
    else if (flag === "--dist-dir") options.distDir = value;
    else if (flag === "--cpu-prof") options.cpuProfDir = path.resolve(value);
    else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function benchmarkDatabase(database: TDatabase, options: TBenchLoadOptions) {
  const folder = mkdtempSync(path.join(os.tmpdir(), "bench-load-"));
  const databaseUrl = database === "sqlite" ? `file:${path.join(folder, "arena.db")}` : withDatabase(options.postgresUrl, `arena_bench_${randomBytes(5).toString("hex")}`);
  const loadBefore = os.loadavg();
  const app = await startApp({
    databaseUrl,
    distDir: options.distDir,
    env: {
      DEMO_TOKENS_PER_SECOND: "1000000",
      RATE_LIMIT_BATTLES_PER_MINUTE: "100000000",
      RATE_LIMIT_VOTES_PER_MINUTE: "100000000",
      DAILY_VOTE_CAP: "100000000",
      // Simulated annotators vote the moment the answers are ready; a floor of 0 keeps every vote counted
      // (and the leaderboard recompute it schedules), as in the figures measured before the floor existed.
      MIN_READ_SECONDS: "0",
      MEDIA_DIR: path.join(folder, "media"),
      RELEASE_DIR: path.join(folder, "releases"),
    },
    nodeFlags: options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`] : [],
  });
  try {
    const serverCpuBefore = app.cpuSeconds();
    const clientCpuBefore = process.cpuUsage();
    // The server's CPU inside the measurement window (no sign-ins, no warmup): per vote, the figure that
    // stays comparable when other work on the machine slows every run down.
    const windowCpu = { start: Number.NaN, end: Number.NaN };
    const load = await runVoteLoad({
      baseUrl: app.url,
      annotators: options.annotators,
      durationMs: (options.warmupSeconds + options.durationSeconds) * 1000,
      warmupMs: options.warmupSeconds * 1000,
      onWindow: (edge) => (windowCpu[edge] = app.cpuSeconds()),
    });
    const serverCpuSeconds = app.cpuSeconds() - serverCpuBefore;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const stored = await checkStoredVotes(databaseUrl, load.acknowledged);
    // Requests the fast lane served (0 with FAST_LANE=false: Next served everything).
    const fastLaneRequests = Object.values(await counterByLabel(app.url, "fast_lane_requests_total", "route")).reduce((sum, count) => sum + count, 0);
    const votes = [...load.voteLatenciesMs].sort((a, b) => a - b);
    const cycles = [...load.cycleLatenciesMs].sort((a, b) => a - b);
    const failures = Object.values(load.failures).reduce((sum, count) => sum + count, 0);
    if (load.failureSamples.length > 0) console.error(`[bench:load] ${database} failure samples:\n  ${load.failureSamples.slice(0, 5).join("\n  ")}`);
    return {
      database,
      servedBy: fastLaneRequests > 0 ? "fast lane" : "next",
      measuredSeconds: round(load.measuredSeconds, 2),
      votesPerSecond: round(load.measuredVotes / load.measuredSeconds),
      measuredVotes: load.measuredVotes,
      voteLatencyMs: { p50: round(percentile(votes, 0.5)), p90: round(percentile(votes, 0.9)), p99: round(percentile(votes, 0.99)), max: round(votes.at(-1) ?? Number.NaN) },
      cycleLatencyMs: { p50: round(percentile(cycles, 0.5)), p99: round(percentile(cycles, 0.99)) },
      requestsPerSecond: round(Object.values(load.measuredRequests).reduce((sum, count) => sum + count, 0) / load.measuredSeconds),
      // HTTP requests per acknowledged vote inside the window, by kind ("trpc", "stream").
      requestsPerVote: Object.fromEntries(Object.entries(load.measuredRequests).map(([kind, count]) => [kind, round(count / Math.max(1, load.measuredVotes), 2)])),
      acknowledgedVotes: stored.acknowledged,
      acknowledgedVotesInDatabase: stored.stored,
      lostVotes: stored.missing.length + stored.wrongOutcome.length,
      battlesWithSeveralVotes: stored.battlesWithSeveralVotes,
      serverCpuSeconds: round(serverCpuSeconds, 2),
      serverCpuMsPerVote: round(((windowCpu.end - windowCpu.start) * 1000) / Math.max(1, load.measuredVotes), 2),
      loadGeneratorCpuSeconds: round((clientCpu.user + clientCpu.system) / 1e6, 2),
      failures,
      failureKinds: load.failures,
      fastLaneRequests,
      loadAverageBefore: loadBefore.map((value) => round(value, 2)),
      loadAverageAfter: os.loadavg().map((value) => round(value, 2)),
    };
  } finally {
    await app.stop();
    if (database === "postgres") await dropPostgresDatabase(databaseUrl);
    rmSync(folder, { recursive: true, force: true });
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const runs = [];
  for (const database of options.databases) runs.push(await benchmarkDatabase(database, options));
  const summary = {
    benchmark: "load-vote-path",
    shape: "browser",
    annotators: options.annotators,
    warmupSeconds: options.warmupSeconds,
    ...Object.fromEntries(runs.map((run) => [run.database, run])),
    cpus: os.cpus().length,
    node: process.version,
  };
  console.log(JSON.stringify(summary));
  if (runs.some((run) => run.lostVotes > 0 || run.battlesWithSeveralVotes > 0)) process.exitCode = 1;
}

await main();
