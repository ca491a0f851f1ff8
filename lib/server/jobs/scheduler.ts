import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { env } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { backgroundJobRuns } from "@/lib/server/metrics";
import { releaseLease, renewLease, tryAcquireLease } from "./lease";
import { listBackgroundJobs, registerBackgroundJob, type BackgroundJob } from "./registry";

const DEFAULT_LEASE_MS = 60_000;

/**
 * Each job has two JobLease rows:
 * - `job:<name>`, the holder lease: only its holder runs the job, so runs never overlap; the holder keeps
 *   it across periods and renews it while running; when the holder dies, another instance takes over once
 *   it expires;
 * - `job:<name>:next`, the period marker: its expiresAt is when the next run is due and is only taken once
 *   expired (not re-entrant), so each period is claimed once across all instances, also across a takeover.
 * A run that fails or dies still used its period (at most once per period; the next period runs again).
 */
export const holderLeaseName = (job: string) => `job:${job}`;
const periodLeaseName = (job: string) => `job:${job}:next`;

export interface SchedulerOptions {
  db: Db;
  /** This instance's id in the leases (default: host, pid and a random suffix). */
  holder?: string;
  /** The jobs to consider on each tick (default: the registry, so late registrations are picked up). */
  jobs?: () => readonly BackgroundJob[];
  now?: () => Date;
  /** How often start()'s timer looks for due jobs. */
  pollMs?: number;
  /** How often a running job's holder lease is renewed (default: a third of its lease). */
  heartbeatMs?: (job: BackgroundJob) => number;
  log?: Pick<Console, "info" | "warn" | "error">;
}

export interface BackgroundScheduler {
  readonly holder: string;
  /** Runs every job that is due here and whose leases this instance gets; resolves with their names when they finish. */
  tick(): Promise<string[]>;
  start(): void;
  /** Stops polling, aborts and awaits running jobs, and releases this instance's holder leases. */
  stop(): Promise<void>;
}

/** Timers in Node never fire early, but clocks tick in whole milliseconds: allow a little. */
const PERIOD_TOLERANCE_MS = 5;

function defaultHolderId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

export function createBackgroundScheduler({
  db,
  holder = defaultHolderId(),
  jobs = listBackgroundJobs,
  now = () => new Date(),
  pollMs = 1000,
  heartbeatMs = (job) => (job.leaseMs ?? DEFAULT_LEASE_MS) / 3,
  log = console,
}: SchedulerOptions): BackgroundScheduler {
  const nextCheckAt = new Map<string, number>();
  const inProgress = new Map<string, { done: Promise<void>; abort: AbortController }>();
  const heldLeases = new Set<string>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped = false;

  async function runWithHeartbeat(job: BackgroundJob, abort: AbortController, startedAt: Date) {
    const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS;
    const heartbeat = setInterval(() => {
      renewLease(db, holderLeaseName(job.name), holder, leaseMs, now())
        .then((kept) => {
          if (!kept) {
            log.warn(`[jobs] ${job.name}: lost the lease while running; aborting this run.`);
            abort.abort();
          }
        })
        .catch((error: unknown) => log.warn(`[jobs] ${job.name}: could not renew the lease`, error));
    }, heartbeatMs(job));
    try {
      await job.run({ db, signal: abort.signal, now: startedAt });
      backgroundJobRuns.inc({ job: job.name, status: "ok" });
    } catch (error) {
      backgroundJobRuns.inc({ job: job.name, status: "error" });
      log.error(`[jobs] ${job.name} failed`, error);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** True when this instance ran the job in this tick. */
  async function considerJob(job: BackgroundJob): Promise<boolean> {
    const at = now();
    if (inProgress.has(job.name) || (nextCheckAt.get(job.name) ?? -Infinity) > at.getTime()) return false;
    nextCheckAt.set(job.name, at.getTime() + job.intervalMs);
    const abort = new AbortController();
    let finish!: () => void;
    inProgress.set(job.name, { done: new Promise<void>((resolve) => (finish = resolve)), abort });
    try {
      const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS;
      if (!(await tryAcquireLease(db, holderLeaseName(job.name), holder, leaseMs, { now: at }))) {
        heldLeases.delete(job.name);
        return false;
      }
      heldLeases.add(job.name);
      const claimAt = new Date(at.getTime() + PERIOD_TOLERANCE_MS);
      const claimed = await tryAcquireLease(db, periodLeaseName(job.name), holder, job.intervalMs - PERIOD_TOLERANCE_MS, { now: claimAt, reentrant: false });
      if (!claimed || stopped) return false;
      await runWithHeartbeat(job, abort, at);
      return true;
    } catch (error) {
      log.warn(`[jobs] ${job.name}: scheduling failed`, error);
      return false;
    } finally {
      inProgress.delete(job.name);
      finish();
    }
  }

  const scheduler: BackgroundScheduler = {
    holder,
    async tick() {
      if (stopped) return [];
      const candidates = [...jobs()];
      const ran = await Promise.all(candidates.map(considerJob));
      return candidates.filter((_, index) => ran[index]).map((job) => job.name);
    },
    start() {
      if (timer || stopped) return;
      void scheduler.tick();
      timer = setInterval(() => void scheduler.tick(), pollMs);
      timer.unref?.();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      for (const { abort } of inProgress.values()) abort.abort();
      await Promise.all([...inProgress.values()].map(({ done }) => done));
      await Promise.all([...heldLeases].map((name) => releaseLease(db, holderLeaseName(name), holder).catch(() => false)));
      heldLeases.clear();
    },
  };
  return scheduler;
}

const globalForScheduler = globalThis as unknown as { arenaScheduler?: BackgroundScheduler };

/**
 * Registers `jobs` and starts this process's scheduler once (Next dev hot reload calls register() again;
 * the scheduler on globalThis survives it). Returns null when BACKGROUND_JOBS is off.
 */
export async function startBackgroundJobs(jobs: readonly BackgroundJob[] = []): Promise<BackgroundScheduler | null> {
  for (const job of jobs) registerBackgroundJob(job);
  if (!env.BACKGROUND_JOBS) return null;
  if (!globalForScheduler.arenaScheduler) {
    const { db } = await import("@/lib/server/db");
    globalForScheduler.arenaScheduler = createBackgroundScheduler({ db });
    globalForScheduler.arenaScheduler.start();
  }
  return globalForScheduler.arenaScheduler;
}
