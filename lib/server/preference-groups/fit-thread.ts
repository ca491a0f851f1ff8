import "server-only";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { runsInNextBundle } from "@/lib/env";
import type { TPreferenceFitInput, TPreferenceFitOutput } from "./compute";

function startFitWorker(input: TPreferenceFitInput): Worker {
  // In Next's bundle, Turbopack compiles the entry of this literal `new Worker(new URL(…))` into a
  // chunk of its own; scripts and tests run the TypeScript source through tsx.
  if (runsInNextBundle) return new Worker(new URL("./fit.worker.ts", import.meta.url), { workerData: input });
  const entry = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "fit.worker.ts"));
  const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: ["--conditions=react-server"], workerData: input });
}

/** Runs the fit on a thread of its own and resolves with its result (rejects if the thread fails). */
export function fitOnThread(input: TPreferenceFitInput): Promise<TPreferenceFitOutput> {
  return new Promise((resolve, reject) => {
    const worker = startFitWorker(input);
    let settled = false;
    worker.once("message", (output: TPreferenceFitOutput) => {
      settled = true;
      resolve(output);
      void worker.terminate();
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`the preference-group fit thread exited with code ${code}`));
    });
  });
}
