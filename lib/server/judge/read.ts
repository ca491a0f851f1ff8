import "server-only";
import type { Db } from "@/lib/server/db";
import { notFound } from "@/lib/server/errors";
import { ZJudgeRunSummarySchema } from "./schema";

const RUN_FIELDS = {
  id: true,
  judgeModelId: true,
  judgeLabel: true,
  promptVersion: true,
  sampleSize: true,
  seed: true,
  tokenBudget: true,
  status: true,
  total: true,
  done: true,
  abstained: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

/** Active text models, by name: the judges an admin may start a run with. */
export function listJudgeModels(db: Db) {
  return db.arenaModel.findMany({ where: { modality: "text", status: "active" }, select: { id: true, displayName: true }, orderBy: { displayName: "asc" } });
}

/** The newest judge runs with their progress. */
export async function listJudgeRuns(db: Db, limit = 50) {
  return db.judgeRun.findMany({ orderBy: { createdAt: "desc" }, take: limit, select: RUN_FIELDS });
}

/** One run with its summary (null until completed) and a few abstentions to show why. */
export async function getJudgeRun(db: Db, runId: string) {
  const run = await db.judgeRun.findUnique({ where: { id: runId }, select: { ...RUN_FIELDS, summary: true } });
  if (!run) throw notFound("The judge run");
  const parsed = ZJudgeRunSummarySchema.safeParse(run.summary);
  const abstentions = await db.judgeItem.findMany({ where: { runId, abstention: { not: null } }, select: { withPersona: true, abstention: true, detail: true }, take: 20, orderBy: { createdAt: "asc" } });
  return { ...run, summary: parsed.success ? parsed.data : null, abstentions };
}
