/**
 * The recomputation's fitting thread (started by ./board-fitter.ts): it receives fit jobs (cells and
 * settings, ./boards.ts) and answers each with its boards, and lift jobs (./lift.ts) with their
 * estimates, so that the bootstraps, the shrinkage searches, the rating histories, the style fit and
 * the personalization lift never hold the request loop.
 */
import { parentPort } from "node:worker_threads";

import { runFitJob, type TFitJob } from "./boards";
import { estimatePersonalizationLift } from "@/lib/domain/rating/personalization-lift";
import type { TFitReply, TLiftJob } from "./board-fitter";

const port = parentPort;
if (!port) throw new Error("fit.worker runs as a worker thread");

port.on("message", ({ id, job }: { id: number; job: TFitJob | TLiftJob }) => {
  let reply: TFitReply;
  try {
    reply = job.kind === "lift" ? { id, lifts: job.fits.map((fit) => estimatePersonalizationLift(fit.battles, { bootstrapRounds: fit.bootstrapRounds, seed: fit.seed })) } : { id, boards: runFitJob(job) };
  } catch (error) {
    reply = { id, failed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
});
