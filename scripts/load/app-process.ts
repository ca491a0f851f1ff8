/**
 * Runs the BUILT app as a child process for the load benchmark and the HTTP, fault and multi-instance
 * tests: builds once into a private dist dir when there is no build, prepares the database like
 * `npm start` (migrations, demo seed) and runs the app's server (scripts/serve.js, as `npm start` does) on a port. Unlike `npm start`, it never
 * rebuilds because sources changed: a test run must not pay a build for every edit in the tree.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { serveCommand } from "../serve-command.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");
const nextBin = path.join(repositoryRoot, "node_modules/next/dist/bin/next");

/** Fixed secrets for child apps: tests scan the client bundle for exactly these values. */
export const TEST_AUTH_SECRET = "load-test-auth-secret-0123456789abcdef";
export const TEST_PSEUDONYM_SECRET = "load-test-pseudonym-secret-0123456789abcdef";
/** The bearer token /api/metrics of a child app requires (`npm start` generates one into data/secrets.json). */
export const TEST_METRICS_TOKEN = "load-test-metrics-token-0123456789abcdef";
/** A provider API key in the environment at build and run time, as a real deployment would have one. */
export const TEST_PROVIDER_KEY_ENV = "LOAD_TEST_PROVIDER_API_KEY";
export const TEST_PROVIDER_KEY = "sk-load-test-provider-key-5f1d2c9a7b3e";
/** The database URL the build sees (nothing is built from the database, but it must not leak either). */
export const BUILD_DATABASE_URL = "file:./data/build-time-database-url-marker.db";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function baseEnvironment(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    AUTH_SECRET: TEST_AUTH_SECRET,
    PSEUDONYM_SECRET: TEST_PSEUDONYM_SECRET,
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    // Benchmarks and tests measure the app's own data: no simulated demo history (it is on by default).
    DEMO_HISTORY: "false",
    [TEST_PROVIDER_KEY_ENV]: TEST_PROVIDER_KEY,
    // The load client and the HTTP tests are many people on one address: the identity limits are
    // raised here, and tests of those limits set their own.
    RATE_LIMIT_GUESTS_PER_HOUR: "100000",
    RATE_LIMIT_SIGN_UPS_PER_HOUR: "100000",
    RATE_LIMIT_SIGN_INS_PER_MINUTE: "100000",
    ...extra,
  };
}

/** Written next to BUILD_ID once a build made by `ensureBuild` (with the test secrets in its environment) succeeds. */
export const BUILD_MARKER = "built-with-test-secrets";

/**
 * Builds the app into `distDir` unless `ensureBuild` already built it there. The build sees the test
 * secrets, so the client-bundle scan can look for their values. `next build` adds the dist dir's type
 * folders to tsconfig.json; that edit is undone so a test run leaves the tree as it found it.
 */
export function ensureBuild(distDir: string): void {
  if (existsSync(path.join(repositoryRoot, distDir, BUILD_MARKER))) return;
  const tsconfigPath = path.join(repositoryRoot, "tsconfig.json");
  const tsconfig = readFileSync(tsconfigPath, "utf8");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: repositoryRoot,
    env: baseEnvironment({ NEXT_DIST_DIR: distDir, DATABASE_URL: BUILD_DATABASE_URL }),
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (readFileSync(tsconfigPath, "utf8") !== tsconfig) writeFileSync(tsconfigPath, tsconfig);
  if (result.status !== 0) throw new Error(`next build into ${distDir} failed:\n${result.stdout}\n${result.stderr}`);
  writeFileSync(path.join(repositoryRoot, distDir, BUILD_MARKER), `${new Date().toISOString()}\n`);
}

/** Migrations, demo models and (with ADMIN_EMAIL) the first admin, exactly as `npm start` does. */
export function prepareDatabase(databaseUrl: string, extraEnv: Record<string, string | undefined> = {}): void {
  const result = spawnSync(process.execPath, ["--conditions=react-server", "scripts/run-bundled.mjs", "scripts/db/prepare.ts"], {
    cwd: repositoryRoot,
    env: baseEnvironment({ ...extraEnv, DATABASE_URL: databaseUrl }),
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`database preparation failed:\n${result.stdout}\n${result.stderr}`);
}

export interface TAppProcessOptions {
  databaseUrl: string;
  distDir: string;
  port?: number;
  /** Extra environment (rate limits, DEMO_TOKENS_PER_SECOND, BACKGROUND_JOBS, ...). */
  env?: Record<string, string | undefined>;
  /** Extra node flags for the server process, e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"]. */
  nodeFlags?: string[];
  /** Skip migrations and seeding (a restart of an instance whose database is ready). */
  skipPrepare?: boolean;
  healthTimeoutMs?: number;
}

export interface TAppProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the server printed (stdout and stderr), for assertions and failure messages. */
  output: () => string;
  /** SIGTERM (or the given signal), then waits for the process to exit. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  /** CPU time (user + system) the server process has used so far, from /proc (Linux); NaN elsewhere. */
  cpuSeconds: () => number;
}

/** utime + stime of a Linux process in seconds (fields 14 and 15 of /proc/<pid>/stat, in clock ticks). */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const clockTicksPerSecond = 100;
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
  } catch {
    return Number.NaN;
  }
}

export async function waitForHealth(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`the app process exited before ${url}/api/health answered`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url}/api/health did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}

/**
 * One counter of a running app's `/api/metrics` (Prometheus text), summed by the value of `label`:
 * `{ trpc: 12, battle_stream: 3 }` for `fast_lane_requests_total` by `route`. Series without the label
 * are left out.
 */
export async function counterByLabel(url: string, metric: string, label: string): Promise<Record<string, number>> {
  const response = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
  if (response.status !== 200) throw new Error(`${url}/api/metrics: HTTP ${response.status}`);
  const text = await response.text();
  const totals: Record<string, number> = {};
  for (const match of text.matchAll(new RegExp(`^${metric}\\{([^}]*)\\} (\\d+(?:\\.\\d+)?)$`, "gm"))) {
    const value = new RegExp(`(?:^|,)${label}="([^"]*)"`).exec(match[1]!)?.[1];
    if (value !== undefined) totals[value] = (totals[value] ?? 0) + Number(match[2]);
  }
  return totals;
}

/** Starts the built app's server (scripts/serve.js) and resolves once /api/health answers 200. */
export async function startApp(options: TAppProcessOptions): Promise<TAppProcess> {
  ensureBuild(options.distDir);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const environment = { NEXTAUTH_URL: url, ...options.env, NEXT_DIST_DIR: options.distDir, PORT: String(port) };
  if (!options.skipPrepare) prepareDatabase(options.databaseUrl, environment);
  const child = spawn(process.execPath, serveCommand(["--port", String(port), "--hostname", "127.0.0.1"], options.nodeFlags), {
    cwd: repositoryRoot,
    env: baseEnvironment({ ...environment, DATABASE_URL: options.databaseUrl }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-200_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  try {
    await waitForHealth(url, options.healthTimeoutMs ?? 60_000, () => child.exitCode === null && child.signalCode === null);
  } catch (error) {
    await stop("SIGKILL");
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`);
  }
  return { url, port, child, output: () => output, stop, cpuSeconds: () => processCpuSeconds(child.pid) };
}
