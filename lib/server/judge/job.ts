import "server-only";
import { registerBackgroundJob, type BackgroundJob } from "@/lib/server/jobs/registry";
import { runQueuedJudgeRuns } from "./run";

/** Picks up queued judge runs (started from the admin page) and runs them off the request path. */
const judgeRunsJob: BackgroundJob = {
  name: "judge.runs",
  intervalMs: 15_000,
  leaseMs: 5 * 60 * 1000,
  run: ({ db, signal }) => runQueuedJudgeRuns(db, signal),
};

registerBackgroundJob(judgeRunsJob);
