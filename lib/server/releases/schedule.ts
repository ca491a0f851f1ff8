import "server-only";
import { env } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { registerBackgroundJob, type BackgroundJob } from "@/lib/server/jobs/registry";
import { publishRelease, releasableFrom, type PublishReleaseOptions, type TReleaseSummary } from "@/lib/server/services/releases";
import { periodContaining, previousPeriod, type ReleaseCadence } from "./window";

const RELEASE_JOB_NAME = "release.publish";
/** The job checks hourly; a period is published on the first check after its embargo has passed. */
const RELEASE_JOB_INTERVAL_MS = 60 * 60 * 1000;

export interface PublishDueReleaseOptions extends Omit<PublishReleaseOptions, "window"> {
  now: Date;
  cadence: ReleaseCadence | "off";
}

/**
 * Publishes the previous period's release when its embargo has passed and it is not published yet;
 * null when there is nothing to do (cadence off, embargo running, already published or being published,
 * no releasable votes). Safe to call from several instances: the Release row is claimed atomically.
 */
export async function publishDueRelease(db: Db, options: PublishDueReleaseOptions): Promise<TReleaseSummary | null> {
  if (options.cadence === "off") return null;
  const period = previousPeriod(options.now, options.cadence);
  if (releasableFrom(period, options.embargoDays ?? env.RELEASE_EMBARGO_DAYS) > options.now) return null;
  const existing = await db.release.findUnique({ where: { version: period.version }, select: { status: true } });
  if (existing && existing.status !== "failed") return null;
  try {
    return await publishRelease(db, { ...options, window: period.version });
  } catch (error) {
    if (error instanceof AppError && (error.code === "CONFLICT" || error.code === "BAD_REQUEST")) return null;
    throw error;
  }
}

export type TNextRelease =
  | { scheduled: false }
  | { scheduled: true; cadence: ReleaseCadence; version: string; windowStart: Date; windowEnd: Date; dueAt: Date };

/**
 * The next release the schedule will publish: the previous period when it is not published yet
 * (due when its embargo ends, or at the job's next hourly run if that has passed), else the running
 * period. `scheduled: false` when releases are published on demand only (RELEASE_CADENCE=off).
 */
export async function nextScheduledRelease(
  db: Db,
  { now = new Date(), cadence = env.RELEASE_CADENCE, embargoDays = env.RELEASE_EMBARGO_DAYS }: { now?: Date; cadence?: ReleaseCadence | "off"; embargoDays?: number } = {},
): Promise<TNextRelease> {
  if (cadence === "off") return { scheduled: false };
  const previous = previousPeriod(now, cadence);
  const published = await db.release.findUnique({ where: { version: previous.version }, select: { status: true } });
  const period = published?.status === "published" ? periodContaining(now, cadence) : previous;
  const releasable = releasableFrom(period, embargoDays);
  const nextRun = new Date(Math.ceil(now.getTime() / RELEASE_JOB_INTERVAL_MS) * RELEASE_JOB_INTERVAL_MS);
  return { scheduled: true, cadence, version: period.version, windowStart: period.start, windowEnd: period.end, dueAt: releasable > now ? releasable : nextRun };
}

const releaseScheduleJob: BackgroundJob = {
  name: RELEASE_JOB_NAME,
  intervalMs: RELEASE_JOB_INTERVAL_MS,
  leaseMs: 5 * 60 * 1000,
  run: async ({ db, now, signal }) => {
    await publishDueRelease(db, { now, cadence: env.RELEASE_CADENCE, signal });
  },
};

registerBackgroundJob(releaseScheduleJob);
