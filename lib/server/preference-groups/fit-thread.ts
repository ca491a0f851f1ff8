import "server-only";
import { prepareWorker, startWorker } from "@/lib/server/workers/start-worker";
import type { TPreferenceFitInput, TPreferenceFitOutput } from "./compute";

const FIT_WORKER = "lib/server/preference-groups/fit.worker.ts";

/** Runs the fit on a thread of its own and resolves with its result (rejects if the thread fails). */
export async function fitOnThread(input: TPreferenceFitInput): Promise<TPreferenceFitOutput> {
  await prepareWorker(FIT_WORKER);
  return new Promise((resolve, reject) => {
    const worker = startWorker(FIT_WORKER, { workerData: input, background: true });
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
