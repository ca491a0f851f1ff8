import "server-only";
import { z } from "zod";
import { adminProcedure, createTRPCRouter, scopedProcedure } from "@/lib/server/api/trpc";
import { getJudgeRun, listJudgeModels, listJudgeRuns } from "@/lib/server/judge/read";
import { attachJudgeRunToRelease } from "@/lib/server/judge/release";
import { runQueuedJudgeRuns, startJudgeRun } from "@/lib/server/judge/run";
import { ZStartJudgeRunSchema } from "@/lib/server/judge/schema";

/** Researchers (release:download) read judge results; only admins start runs. */
const researchProcedure = scopedProcedure("release:download");

export const judgeRouter = createTRPCRouter({
  list: researchProcedure.query(({ ctx }) => listJudgeRuns(ctx.db)),
  get: researchProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => getJudgeRun(ctx.db, input.id)),
  /** The active text models a run may use as its judge. */
  models: adminProcedure.query(({ ctx }) => listJudgeModels(ctx.db)),
  /** Queues a run and wakes the in-process runner; the run continues in the background. */
  start: adminProcedure.input(ZStartJudgeRunSchema).mutation(async ({ ctx, input }) => {
    const run = await startJudgeRun(ctx.db, ctx.user, input);
    void runQueuedJudgeRuns(ctx.db);
    return run;
  }),
  /** Adds a completed run's verdicts to a published release as judge.parquet. */
  attachToRelease: adminProcedure
    .input(z.object({ runId: z.string().min(1), version: z.string().min(1).max(20) }))
    .mutation(({ ctx, input }) => attachJudgeRunToRelease(ctx.db, ctx.user, input)),
});
