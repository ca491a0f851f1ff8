/**
 * The recomputation's fitting thread (started by ./board-fitter.ts): it receives fit jobs (cells and
 * settings, ./boards.ts) and answers each with its boards, so that the bootstraps, the shrinkage
 * searches, the rating histories and the style fit never hold the request loop.
 */
import { parentPort } from "node:worker_threads";

import { runFitJob, type TFitJob } from "./boards";
import type { TFitReply } from "./board-fitter";

const port = parentPort;
if (!port) throw new Error("fit.worker runs as a worker thread");

port.on("message", ({ id, job }: { id: number; job: TFitJob }) => {
  let reply: TFitReply;
  try {
    reply = { id, boards: runFitJob(job) };
  } catch (error) {
    reply = { id, failed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
});
