import "server-only";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { runsInNextBundle } from "@/lib/env";
import type { TPreferenceFitInput, TPreferenceFitOutput } from "./compute";

/**
 * The worker runs the TypeScript source through tsx, also in the production server: Next's bundle
 * copies a `new Worker(new URL("./x.ts"))` entry as a raw .ts asset, which Node 20 cannot load. In the
 * bundle `import.meta.url` is the chunk's, so the source is found from the app's root (the cwd).
 */
function startFitWorker(input: TPreferenceFitInput): Worker {
  const directory = runsInNextBundle ? path.join(process.cwd(), "lib", "server", "preference-groups") : path.dirname(fileURLToPath(import.meta.url));
  const entry = pathToFileURL(path.join(directory, "fit.worker.ts"));
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
