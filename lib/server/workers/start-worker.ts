/**
 * The one way this app starts a worker thread: every worker is a TypeScript module (`*.worker.ts`),
 * typed and linted like the rest.
 *
 * - In Next's server bundle, `bundled` runs. Write it at the call site exactly as
 *   `(options) => new Worker(new URL("./name.worker.ts", import.meta.url), options)`: Turbopack
 *   compiles the entry of that literal into a chunk of its own (a variable URL would not be).
 * - Everywhere else (tsx scripts, vitest), `entry` (the same file) is compiled once per process by
 *   esbuild (tsx's own compiler) into one CommonJS script with our modules inlined and packages left
 *   to `require`, and the thread evaluates it. Registering tsx inside each thread instead costs
 *   about a second per start on a busy machine; Node 20 does not apply `--import tsx` to a worker's
 *   entry itself.
 *
 * Workers import nothing heavy of ours (no lib/env.js): a thread pays for every module at its start.
 * No "server-only": scripts start workers too (lib/server/db/wal-checkpointer.ts).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

import { runsInNextBundle } from "@/lib/env";

export type TWorkerOptions = Pick<WorkerOptions, "workerData" | "transferList">;

const compiled = new Map<string, string>();

/** `entry` compiled for an eval'd thread; synchronous (once per entry and process) so starting stays synchronous. */
function compiledSource(entry: URL): string {
  let code = compiled.get(entry.href);
  if (code === undefined) {
    // Loaded at run time from the app's own packages: the server bundle never compiles from source.
    const esbuild = createRequire(path.join(/* turbopackIgnore: true */ process.cwd(), "package.json"))("esbuild") as typeof import("esbuild");
    const result = esbuild.buildSync({
      entryPoints: [fileURLToPath(entry)],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      packages: "external",
      write: false,
      logLevel: "silent",
    });
    code = result.outputFiles[0].text;
    compiled.set(entry.href, code);
  }
  return code;
}

export function startWorker(entry: URL, bundled: (options: WorkerOptions) => Worker, options: TWorkerOptions = {}): Worker {
  if (runsInNextBundle) return bundled({ ...options, execArgv: [] });
  return new Worker(compiledSource(entry), { ...options, eval: true, execArgv: [] });
}
