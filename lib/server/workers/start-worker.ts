/**
 * The one way this app starts a worker thread: every worker is a TypeScript module (`*.worker.ts`),
 * typed and linted like the rest, started the same way in the built app, in tsx scripts and in
 * vitest. The first start of a worker in a process compiles its source file with esbuild (tsx's own
 * compiler, a dependency of the app) into one CommonJS script, our modules inlined and packages
 * left to `require`; the thread evaluates that script.
 *
 * Why not Next's bundler: Turbopack compiles `new Worker(new URL("./x.ts", import.meta.url))` into a
 * worker chunk only in some call shapes and otherwise copies the .ts file as an asset, which Node
 * cannot run; and registering tsx inside each thread costs about a second per start on a busy
 * machine (Node 20 does not apply `--import tsx` to a worker's entry).
 *
 * Paths are relative to the app's root, the working directory of every process that runs it
 * (`npm start`, the Docker image, scripts, tests), as for libsqlModulePath. Workers import nothing
 * heavy of ours (no lib/env.js): a thread pays for every module it loads when it starts.
 * No "server-only" here: scripts start workers too (lib/server/db/wal-checkpointer.ts). A worker may
 * import modules marked "server-only" (the text adapters): a thread is server code, so the marker is
 * bundled as its react-server variant, the empty module, instead of being required at run time.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { Worker, type WorkerOptions } from "node:worker_threads";

export type TWorkerOptions = Pick<WorkerOptions, "workerData" | "transferList"> & {
  /**
   * When `entry` is not compiled yet in this process, compile it in the new thread instead of before
   * starting it: the starter goes on at once (≈ 75 ms of esbuild on a quiet machine, several times that
   * on a busy one) while the thread compiles, but a module that fails to compile then fails as the
   * thread's "error" event rather than a throw here, and the compiled code is not kept for the next start.
   * For a process that starts one long-lived thread and has work of its own meanwhile (scripts/ratings.ts).
   */
  compileInThread?: boolean;
  /**
   * Background work (leaderboard reads and fits, release files, preference-group fits): the thread runs
   * at nice BACKGROUND_NICE, so that when it and the request thread (or the text-provider thread) both
   * want one of our two cores, the request thread gets it: a recomputation's threads then hold no
   * request back (the event loop waited for a core behind them), and take the cores the requests leave.
   * "serial": background work the rest of its job waits for (the leaderboard's read-ahead thread, the
   * full read's serial path): nice SERIAL_BACKGROUND_NICE, still below the request thread and above the
   * background threads that fill in around it (the fits and grouped scans of the same read).
   * On Linux a nice value is a thread's own (setpriority on the calling thread); elsewhere the call
   * may apply to the process or fail, and the thread then runs at its normal priority.
   */
  background?: boolean | "serial";
};

/** The nice value of background threads (0 is normal, 19 the lowest): CFS gives a nice-0 thread ~10× its CPU share. */
export const BACKGROUND_NICE = 10;
/**
 * The nice value of a background job's serial thread: CFS gives it ~3× the share of a BACKGROUND_NICE thread
 * and a nice-0 thread ~3× its own. The full read of 1M votes on the 2-core bench machine: the read-ahead thread
 * had ~40 % of a core at BACKGROUND_NICE (0.58 CPU s in 1.4 s), and the read took 1.92 s against 2.01 s in the
 * mean of 4 alternating pairs at nice 5 against 10 (BENCHMARKS.md, "stop 36").
 */
export const SERIAL_BACKGROUND_NICE = 5;

const appRoot = () => /* turbopackIgnore: true */ process.cwd();
const compiled = new Map<string, string>();

const esbuild = () => createRequire(path.join(appRoot(), "package.json"))("esbuild") as typeof import("esbuild");

const buildOptions = (entry: string) =>
  ({
    entryPoints: [path.join(appRoot(), entry)],
    absWorkingDir: appRoot(),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    alias: { "server-only": "./node_modules/server-only/empty.js" },
    write: false,
    logLevel: "silent",
  }) satisfies import("esbuild").BuildOptions;

/** `entry` compiled for an eval'd thread, once per process; synchronous, so starting stays synchronous. */
function compiledSource(entry: string): string {
  let code = compiled.get(entry);
  if (code === undefined) {
    code = esbuild().buildSync(buildOptions(entry)).outputFiles[0].text;
    compiled.set(entry, code);
  }
  return code;
}

/**
 * An eval'd script that compiles `entry` in the thread it runs in and runs the result as the thread's
 * module (the same CommonJS scope the eval'd compiled code gets when the starter compiles it).
 */
function compilingInThread(entry: string): string {
  return `const code = require("node:module").createRequire(${JSON.stringify(path.join(appRoot(), "package.json"))})("esbuild").buildSync(${JSON.stringify(buildOptions(entry))}).outputFiles[0].text;
new Function("exports", "require", "module", "__filename", "__dirname", code)(exports, require, module, __filename, __dirname);`;
}

const compiling = new Map<string, Promise<void>>();

/**
 * A thread of its own runs esbuild's synchronous compile of each entry in turn and posts each code
 * back as it is done: the calling thread neither compiles nor starts esbuild's service process
 * (spawning it from a process that holds a million votes' state took 60–75 ms of this thread, in fork).
 */
const COMPILER_THREAD = `const { parentPort, workerData } = require("node:worker_threads");
const esbuild = require("node:module").createRequire(workerData.root)("esbuild");
for (const options of workerData.options) parentPort.postMessage(esbuild.buildSync(options).outputFiles[0].text);`;

/**
 * Compiles `entries` ahead of `startWorker` without blocking the calling thread (ONE thread of its own
 * compiles those not compiled or compiling yet, COMPILER_THREAD): a first synchronous compile held the
 * event loop 170–340 ms on our busy 2-core machine (BENCHMARKS.md, "Worker threads"), and a compiler
 * thread per entry cost a thread start each (~0.07 CPU s). Callers on the request process await this
 * before the first start; concurrent callers share one compile. Settles when every entry is compiled.
 */
export function prepareWorker(...entries: string[]): Promise<void> {
  const fresh = entries.filter((entry, index) => !compiled.has(entry) && !compiling.has(entry) && entries.indexOf(entry) === index);
  if (fresh.length > 0) {
    const settlers = new Map<string, { resolve: () => void; reject: (error: unknown) => void }>();
    for (const entry of fresh) {
      const pending = new Promise<void>((resolve, reject) => settlers.set(entry, { resolve, reject })).finally(() => compiling.delete(entry));
      // A caller may await only some of them; each is awaited (or not) by its callers.
      pending.catch(() => undefined);
      compiling.set(entry, pending);
    }
    const failAll = (error: unknown) => {
      for (const entry of fresh) if (!compiled.has(entry)) settlers.get(entry)!.reject(error);
    };
    let received = 0;
    const thread = new Worker(COMPILER_THREAD, { eval: true, execArgv: [], workerData: { root: path.join(appRoot(), "package.json"), options: fresh.map(buildOptions) } });
    thread.on("message", (code: string) => {
      const entry = fresh[received++];
      compiled.set(entry, code);
      settlers.get(entry)!.resolve();
    });
    thread.once("error", failAll);
    thread.once("exit", (code) => failAll(new Error(`compiling ${fresh.filter((entry) => !compiled.has(entry)).join(", ")} failed (the compiler thread exited with code ${code})`)));
  }
  return Promise.all(entries.map((entry) => (compiled.has(entry) ? undefined : compiling.get(entry)))).then(() => undefined);
}

/**
 * For a starter that blocks in Atomics.wait and so never sees the thread's "exit" event
 * (scripts/ratings.ts): a `workerData` with an `exitSignal` field gets -1 stored (and notified) at
 * `exitSignal.index` of `exitSignal.signal` when the thread exits, however it exits — including a
 * module that fails to compile or throws while loading.
 */
export interface TExitSignal {
  signal: Int32Array;
  index: number;
}

const EXIT_SIGNAL_HOOK = `{ const exitSignal = require("node:worker_threads").workerData?.exitSignal;
if (exitSignal) process.on("exit", () => { Atomics.store(exitSignal.signal, exitSignal.index, -1); Atomics.notify(exitSignal.signal, exitSignal.index); }); }
`;

/**
 * Lowers the calling thread's priority to `nice`, never raising it (a server started at a higher nice keeps
 * it): a background thread's first statement. Refused or unsupported: left as it is.
 */
const backgroundHook = (nice: number) => `try { const os = require("node:os"); os.setPriority(Math.max(os.getPriority(), ${nice})); } catch {}
`;

/**
 * The Node options a thread gets: only the profiler's, when the process runs with them (`node
 * --cpu-prof [--cpu-prof-dir=D] [--cpu-prof-interval=N]`, and the same for --heap-prof), so that a
 * profiled process profiles its threads too, each into a file of its own in the same directory. The
 * rest of the process's options stay out (a thread given `--import tsx` loads tsx again, about a
 * second per start on a busy machine), and so does a profile's file name (--cpu-prof-name), which
 * every thread would write over. An option's value may follow it as the next argument.
 */
export function workerExecArgv(parentExecArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let k = 0; k < parentExecArgv.length; k++) {
    const option = parentExecArgv[k];
    const name = option.split("=", 1)[0];
    if (!/^--(cpu|heap)-prof(-dir|-interval)?$/.test(name)) continue;
    kept.push(option);
    const takesValue = name !== "--cpu-prof" && name !== "--heap-prof";
    if (takesValue && !option.includes("=") && k + 1 < parentExecArgv.length) kept.push(parentExecArgv[++k]);
  }
  return kept;
}

/** Starts the worker module at `entry` (a path from the app's root, e.g. "lib/server/db/wal-checkpoint.worker.ts"). */
export function startWorker(entry: string, { compileInThread = false, background = false, ...options }: TWorkerOptions = {}): Worker {
  const code = compileInThread && !compiled.has(entry) ? compilingInThread(entry) : compiledSource(entry);
  const hook = background === false ? "" : backgroundHook(background === "serial" ? SERIAL_BACKGROUND_NICE : BACKGROUND_NICE);
  return new Worker(hook + EXIT_SIGNAL_HOOK + code, { ...options, eval: true, execArgv: workerExecArgv() });
}
