import "server-only";
import { buildJudgeMessages, parseJudgeOutput, summariseAgreement, verdictFromProbability, type TJudgedItem, type TJudgeChoice } from "@/lib/domain/judge";
import type { TVoteOutcome } from "@/lib/domain/vocabulary";
import type { Db } from "@/lib/server/db";
import { AppError, notFound } from "@/lib/server/errors";
import { createDemoJudgeProvider } from "@/lib/server/providers/demo-judge";
import type { TextProvider } from "@/lib/server/providers";
import { getRuntimeProvider } from "@/lib/server/services/models-runtime";
import { sampleJudgedBattles, statisticalPredictions, type TJudgeSampleItem } from "./sample";
import { JUDGE_MAX_OUTPUT_TOKENS, ZJudgeRunSummarySchema, ZStartJudgeRunSchema, type TJudgeRunSummary, type TStartJudgeRunInput } from "./schema";

const DEMO_JUDGE_LABEL = "Demo judge (offline)";
const DEMO_JUDGE_CONCURRENCY = 4;

/**
 * Queues a judge run (the judge model must be an active text model, or null for the demo judge).
 * The run itself happens in the background (`runQueuedJudgeRuns`), never on the request.
 */
export async function startJudgeRun(db: Db, actor: { id: string }, input: TStartJudgeRunInput) {
  const parsed = ZStartJudgeRunSchema.parse(input);
  let judgeLabel = DEMO_JUDGE_LABEL;
  if (parsed.judgeModelId) {
    const model = await db.arenaModel.findUnique({ where: { id: parsed.judgeModelId }, select: { displayName: true, modality: true, status: true } });
    if (!model) throw notFound("The judge model");
    if (model.modality !== "text") throw new AppError("BAD_REQUEST", "A judge must be a text model.");
    if (model.status !== "active") throw new AppError("BAD_REQUEST", "The judge model is not active.");
    judgeLabel = model.displayName;
  }
  return db.judgeRun.create({
    data: {
      judgeModelId: parsed.judgeModelId,
      judgeLabel,
      promptVersion: parsed.promptVersion,
      sampleSize: parsed.sampleSize,
      seed: parsed.seed,
      total: 0,
      tokenBudget: parsed.tokenBudget,
      createdById: actor.id,
    },
    select: { id: true, status: true, judgeLabel: true },
  });
}

async function judgeProvider(db: Db, judgeModelId: string | null): Promise<{ provider: TextProvider; concurrency: number }> {
  if (!judgeModelId) return { provider: createDemoJudgeProvider(), concurrency: DEMO_JUDGE_CONCURRENCY };
  const model = await db.arenaModel.findUnique({ where: { id: judgeModelId } });
  if (!model || model.modality !== "text") throw new AppError("BAD_REQUEST", "The judge model is gone or not a text model.");
  const runtime = getRuntimeProvider({ ...model, maxTokens: Math.min(model.maxTokens, JUDGE_MAX_OUTPUT_TOKENS) });
  if (runtime.modality !== "text") throw new AppError("BAD_REQUEST", "A judge must be a text model.");
  return { provider: runtime.provider, concurrency: Math.max(1, model.maxConcurrency) };
}

/** One judge call: the raw text, or the provider's failure message, and the tokens it used. */
async function callJudge(provider: TextProvider, messages: { system: string; user: string }, signal: AbortSignal): Promise<{ text: string | null; failure: string | null; tokens: number }> {
  for await (const event of provider.streamChat({ messages: [{ role: "system", content: messages.system }, { role: "user", content: messages.user }], signal })) {
    if (event.type === "done") return { text: event.text, failure: null, tokens: (event.inputTokens ?? 0) + (event.outputTokens ?? 0) };
    if (event.type === "error") return { text: null, failure: event.error.message, tokens: 0 };
  }
  return { text: null, failure: "The judge's stream ended without an answer.", tokens: 0 };
}

/**
 * Executes one queued run: claims it (so two instances never run it twice), samples the battles,
 * asks the judge about each one with and without the persona (`concurrency` calls in flight at
 * most, within the model's own limiter), stores every verdict or abstention with progress, stops at
 * the token budget, then stores the summary against the statistical predictors.
 */
export async function executeJudgeRun(db: Db, runId: string, options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<TJudgeRunSummary | null> {
  const claimed = await db.judgeRun.updateMany({ where: { id: runId, status: "queued" }, data: { status: "running", startedAt: new Date() } });
  if (claimed.count === 0) return null;
  const run = await db.judgeRun.findUniqueOrThrow({ where: { id: runId } });
  const tokenBudget = run.tokenBudget;
  const signal = options.signal ?? new AbortController().signal;
  try {
    const { provider, concurrency } = await judgeProvider(db, run.judgeModelId);
    const sample = await sampleJudgedBattles(db, run.sampleSize, run.seed);
    const tasks = sample.flatMap((item) => [{ item, withPersona: true }, { item, withPersona: false }]);
    await db.judgeRun.update({ where: { id: runId }, data: { total: tasks.length } });
    let next = 0;
    let done = 0;
    let abstained = 0;
    let tokens = 0;
    let stoppedEarly: string | null = null;
    const worker = async () => {
      while (next < tasks.length && !signal.aborted) {
        if (tokens >= tokenBudget) {
          stoppedEarly = `Stopped at the token budget (${tokenBudget} tokens).`;
          return;
        }
        const { item, withPersona } = tasks[next++];
        const messages = buildJudgeMessages({ personaText: withPersona ? item.personaText : null, prompt: item.prompt, answerA: item.answerA, answerB: item.answerB }, run.promptVersion as "judge-v1");
        const answer = await callJudge(provider, messages, signal);
        tokens += answer.tokens;
        const parsed = answer.text === null ? ({ ok: false, reason: "provider_error", detail: answer.failure ?? "" } as const) : parseJudgeOutput(answer.text);
        await db.judgeItem.create({
          data: {
            runId,
            voteId: item.voteId,
            withPersona,
            humanOutcome: item.human,
            ...(parsed.ok
              ? { choice: parsed.verdict.choice, certainty: parsed.verdict.certainty, rationale: parsed.verdict.rationale }
              : { abstention: parsed.reason, detail: parsed.detail.slice(0, 500) }),
          },
        });
        done++;
        if (!parsed.ok) abstained++;
        // Workers' progress writes can commit out of order on a pooled database: a write never lowers the count.
        await db.judgeRun.updateMany({ where: { id: runId, done: { lt: done } }, data: { done, abstained } });
        options.onProgress?.(done, tasks.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, tasks.length)) }, worker));
    if (signal.aborted) stoppedEarly = "Stopped: the server shut down or lost the job.";
    const summary = await summariseJudgeRun(db, runId, sample, tokens, stoppedEarly);
    await db.judgeRun.update({ where: { id: runId }, data: { status: "completed", finishedAt: new Date(), summary, done, abstained } });
    return summary;
  } catch (error) {
    const message = error instanceof AppError ? error.message : "The run failed; see the server log.";
    if (!(error instanceof AppError)) console.error("judge run failed", runId, error);
    await db.judgeRun.update({ where: { id: runId }, data: { status: "failed", finishedAt: new Date(), error: message } });
    return null;
  }
}

async function summariseJudgeRun(db: Db, runId: string, sample: TJudgeSampleItem[], tokens: number, stoppedEarly: string | null): Promise<TJudgeRunSummary> {
  const items = await db.judgeItem.findMany({ where: { runId }, select: { voteId: true, withPersona: true, humanOutcome: true, choice: true, certainty: true, rationale: true, abstention: true } });
  const judged = (withPersona: boolean): TJudgedItem[] =>
    items
      .filter((item) => item.withPersona === withPersona)
      .map((item) => ({
        human: item.humanOutcome as TVoteOutcome,
        verdict: item.choice && item.certainty ? { choice: item.choice as TJudgeChoice, certainty: item.certainty, rationale: item.rationale ?? "" } : null,
        abstention: (item.abstention ?? undefined) as TJudgedItem["abstention"],
      }));
  const judgedVotes = new Set(items.map((item) => item.voteId));
  const scored = sample.filter((item) => judgedVotes.has(item.voteId));
  const predictions = await statisticalPredictions(db, new Set(sample.map((item) => item.voteId)));
  const predicted = (probabilities: Map<string, number>, label: string): TJudgedItem[] =>
    scored.map((item) => {
      const p = probabilities.get(item.voteId);
      return p === undefined ? { human: item.human, verdict: null, abstention: "invalid_fields" } : { human: item.human, verdict: verdictFromProbability(p, label) };
    });
  return ZJudgeRunSummarySchema.parse({
    sampled: scored.length,
    methods: {
      judge_persona: summariseAgreement(judged(true)),
      judge_blind: summariseAgreement(judged(false)),
      group_model: summariseAgreement(predicted(predictions.groupModel, "Group model")),
      global_board: summariseAgreement(predicted(predictions.globalBoard, "Global board")),
    },
    groupCount: predictions.groupCount,
    tokens,
    stoppedEarly,
  });
}

const globalForJudge = globalThis as unknown as { arenaJudgeRunner?: Promise<void> | null };

/** Runs queued runs one after another in this process (one runner at a time); returns when none is left. */
export function runQueuedJudgeRuns(db: Db, signal?: AbortSignal): Promise<void> {
  if (globalForJudge.arenaJudgeRunner) return globalForJudge.arenaJudgeRunner;
  const runner = (async () => {
    for (;;) {
      if (signal?.aborted) return;
      const queued = await db.judgeRun.findFirst({ where: { status: "queued" }, orderBy: { createdAt: "asc" }, select: { id: true } });
      if (!queued) return;
      await executeJudgeRun(db, queued.id, { signal });
    }
  })().finally(() => {
    globalForJudge.arenaJudgeRunner = null;
  });
  globalForJudge.arenaJudgeRunner = runner;
  return runner;
}
