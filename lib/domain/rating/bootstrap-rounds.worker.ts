/**
 * Bootstrap rounds on a thread of their own (started by scripts/ratings.ts through
 * lib/server/workers/start-worker.ts): runs the job's rounds, writes the samples into the shared
 * buffer after its status word, then sets the status (BOOTSTRAP_HELPER_STATUS) and wakes the waiting thread.
 */
import { workerData } from "node:worker_threads";
import { BOOTSTRAP_HELPER_STATUS, bootstrapRoundSamples, type BootstrapJob } from "./bootstrap";

export interface TBootstrapRoundsData {
  job: BootstrapJob;
  /** Int32 status (BOOTSTRAP_HELPER_STATUS) at byte 0, then seeds.length × models float64 samples from byte 8. */
  shared: SharedArrayBuffer;
}

const { job, shared } = workerData as TBootstrapRoundsData;
const status = new Int32Array(shared, 0, 1);
try {
  const samples = bootstrapRoundSamples(job);
  new Float64Array(shared, 8, samples.length).set(samples);
  Atomics.store(status, 0, BOOTSTRAP_HELPER_STATUS.done);
} catch {
  // The waiting thread runs these rounds itself (same seeds, same samples).
  Atomics.store(status, 0, BOOTSTRAP_HELPER_STATUS.failed);
}
Atomics.notify(status, 0);
