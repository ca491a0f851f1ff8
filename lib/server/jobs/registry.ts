import "server-only";
import type { Db } from "@/lib/server/db";

interface JobContext {
  db: Db;
  /** Aborted when this instance lost the lease mid-run or the scheduler stops: stop early. */
  signal: AbortSignal;
  now: Date;
}

export interface BackgroundJob {
  /** Unique across the app; also the lease name. */
  name: string;
  /** The job runs once per interval across all instances. */
  intervalMs: number;
  run: (context: JobContext) => Promise<void>;
  /**
   * How long a silent holder keeps the job before another instance may take over (default 60 s). The
   * holder renews it while the job runs, so a run may take longer than this.
   */
  leaseMs?: number;
}

const JOB_NAME = /^[a-z0-9][a-z0-9:._-]{0,99}$/;

/** On globalThis: instrumentation and route handlers are separate bundles but must share one registry. */
const globalForJobs = globalThis as unknown as { arenaBackgroundJobs?: Map<string, BackgroundJob> };
const registry = (globalForJobs.arenaBackgroundJobs ??= new Map());

/**
 * Adds a job the scheduler runs (picked up on its next poll, also when registered after start). A job
 * with the same name replaces the old one, so dev hot reload does not duplicate jobs. Returns an
 * unregister function.
 */
export function registerBackgroundJob(job: BackgroundJob): () => void {
  if (!JOB_NAME.test(job.name)) throw new Error(`Invalid background job name "${job.name}"`);
  if (!(job.intervalMs >= 1)) throw new Error(`Background job ${job.name} needs a positive intervalMs`);
  registry.set(job.name, job);
  return () => {
    if (registry.get(job.name) === job) registry.delete(job.name);
  };
}

export function listBackgroundJobs(): BackgroundJob[] {
  return [...registry.values()];
}
