import "server-only";
import type { Db } from "@/lib/server/db";
import { leaderboardStore } from "@/lib/server/store/leaderboard-store";
import { registerBackgroundJob, type BackgroundJob } from "@/lib/server/jobs/registry";
import { computeAndStoreLeaderboardsIfDue } from "./recompute";

/**
 * Background job body: recomputes when there is no snapshot yet or when counted votes were cast
 * after the newest snapshot (covers start-up and votes taken by another instance).
 */
export async function recomputeLeaderboardsIfStale(db: Db, now: Date = new Date()): Promise<boolean> {
  // Checked in the recompute lane: a run scheduled after votes may have made the snapshots current meanwhile.
  const stale = () => leaderboardStore(db).countedVoteAfterNewestSnapshot();
  return (await computeAndStoreLeaderboardsIfDue(db, stale, { now })) !== null;
}

/**
 * Recomputes on start and every minute when stale, once across instances. Registered when this
 * module loads, as lib/server/jobs/catalog.ts expects of every job module.
 */
const LEADERBOARD_JOB: BackgroundJob = {
  name: "leaderboards:recompute",
  intervalMs: 60_000,
  run: ({ db, now }) => recomputeLeaderboardsIfStale(db, now).then(() => undefined),
};
registerBackgroundJob(LEADERBOARD_JOB);
