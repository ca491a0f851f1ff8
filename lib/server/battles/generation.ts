import "server-only";
import { INTERNAL_FAILURE_KIND, publicFailureMessage } from "@/lib/domain/battle/failure-message";
import type { TSide, TSideSnapshot } from "@/lib/domain/battle/stream-events";
import { countMarkdownStyle } from "@/lib/domain/rating";
import type { ArenaModel } from "@/lib/generated/sqlite/client";
import { battleHub, type LiveRound } from "@/lib/server/battles/stream-hub";
import { saveBattleWrites, type TBattleWrite, type TResponseFields } from "@/lib/server/battles/write-batcher";
import type { Db } from "@/lib/server/db";
import { battleRowsAfterWrites, type TBattleRows } from "@/lib/server/store";
import { providerErrors, providerLatency, providerRequests } from "@/lib/server/metrics";
import type { ChatMessage, ProviderFailure } from "@/lib/server/providers";
import { generateMediaResponse } from "@/lib/server/services/generate-media";
import { getRuntimeProvider, recordModelCallOutcome } from "@/lib/server/services/models-runtime";

/** Partial text is saved at most this often while a side streams, so a crash loses little. */
const PARTIAL_FLUSH_INTERVAL_MS = 1000;

export type TSideJob = {
  side: TSide;
  responseId: string;
  model: ArenaModel;
  /** The turn's seed, derived from the battle's stored seed (turnSeed). */
  seed: number;
} & ({ kind: "text"; messages: ChatMessage[] } | { kind: "media"; prompt: string; personaContext: string | null });

export interface TGenerationRoundInput {
  db: Db;
  userId: string;
  battleId: string;
  turnIndex: number;
  /** State of both sides when the round starts (a retried round keeps the other side's answer). */
  initialSides: Record<TSide, TSideSnapshot>;
  jobs: TSideJob[];
  /** Resolves once the battle, turn and response rows exist; saving waits for it, streaming does not. */
  rowsSaved: Promise<unknown>;
  /**
   * The battle's rows as they stand once `rowsSaved` resolves (the round's new turn or retried answer
   * included). Nothing else writes the battle while it generates (votes, reveals, retries and follow-ups
   * wait for the round), so these rows with the round's own writes are the battle at the round's end.
   */
  battle: TBattleRows;
}

interface TSideOutcome {
  snapshot: TSideSnapshot;
  data: TResponseFields;
  failure: ProviderFailure | null;
  /** False for our own faults (e.g. media storage down): they must not pause the model. */
  modelAtFault?: boolean;
}

/** Partial-text saves of one response, serialized; `idle()` resolves when none is in flight. `saved` sees each save that succeeded. */
function createPartialWriter(db: Db, responseId: string, rowsSaved: Promise<unknown>, saved: (write: TBattleWrite) => void) {
  let chain: Promise<unknown> = rowsSaved.catch(() => undefined);
  return {
    write(text: string) {
      const write: TBattleWrite = { kind: "response", id: responseId, data: { text } };
      chain = chain
        .then(() => saveBattleWrites(db, [write]))
        .then(() => saved(write))
        .catch((error: unknown) => console.error("[battles] could not save partial text", error));
    },
    idle: () => chain,
  };
}

/** What subscribers see of a failed side: its kind and a sentence naming no model; the full error is only stored. */
function failureSnapshot(attempt: number, text: string, failure: { kind: string; message: string }): TSideSnapshot {
  return { status: "error", text, errorKind: failure.kind, errorMessage: publicFailureMessage(failure.kind, failure.message), media: null, attempt };
}

async function runTextSide(job: Extract<TSideJob, { kind: "text" }>, round: LiveRound, attempt: number, partial: ReturnType<typeof createPartialWriter>): Promise<TSideOutcome> {
  const started = performance.now();
  const runtime = getRuntimeProvider(job.model);
  if (runtime.modality !== "text") {
    const failure: ProviderFailure = { kind: "config", message: `${job.model.slug} is not a text model` };
    return { snapshot: failureSnapshot(attempt, "", failure), data: {}, failure };
  }
  let text = "";
  let flushed = 0;
  let firstTokenMs: number | null = null;
  const flush = setInterval(() => {
    if (text.length === flushed) return;
    flushed = text.length;
    partial.write(text);
  }, PARTIAL_FLUSH_INTERVAL_MS);
  try {
    for await (const event of runtime.provider.streamChat({ messages: job.messages, signal: new AbortController().signal, seed: job.seed })) {
      if (event.type === "delta") {
        if (event.text === "") continue;
        firstTokenMs ??= Math.round(performance.now() - started);
        text += event.text;
        round.publish({ type: "delta", turnIndex: round.turnIndex, side: job.side, text: event.text });
      } else if (event.type === "done") {
        const finalText = event.text || text;
        return {
          snapshot: { status: "complete", text: finalText, errorKind: null, errorMessage: null, media: null, attempt },
          data: { text: finalText, inputTokens: event.inputTokens, outputTokens: event.outputTokens, firstTokenMs, styleFeatures: { ...countMarkdownStyle(finalText) } },
          failure: null,
        };
      } else {
        return { snapshot: failureSnapshot(attempt, text, event.error), data: { text, firstTokenMs }, failure: event.error };
      }
    }
    const failure: ProviderFailure = { kind: "stream_cut", message: "The answer ended without a finish signal" };
    return { snapshot: failureSnapshot(attempt, text, failure), data: { text, firstTokenMs }, failure };
  } finally {
    clearInterval(flush);
  }
}

async function runMediaSide(job: Extract<TSideJob, { kind: "media" }>, attempt: number): Promise<TSideOutcome> {
  const result = await generateMediaResponse({ model: job.model, prompt: job.prompt, personaContext: job.personaContext, signal: new AbortController().signal, seed: job.seed });
  if (!result.ok) return { snapshot: failureSnapshot(attempt, "", result.error), data: {}, failure: result.error };
  const media = { sha256: result.sha256, mime: result.mime, durationSeconds: result.durationSeconds ?? null };
  return {
    snapshot: { status: "complete", text: "", errorKind: null, errorMessage: null, media, attempt },
    data: { mediaSha256: result.sha256, mediaMime: result.mime, mediaBytes: result.bytes, durationSeconds: result.durationSeconds ?? null },
    failure: null,
  };
}

/** Runs one side and publishes its outcome at once; returns what to save. */
async function runSide(round: LiveRound, job: TSideJob, attempt: number, partial: ReturnType<typeof createPartialWriter>) {
  const started = performance.now();
  let outcome: TSideOutcome;
  try {
    outcome = job.kind === "text" ? await runTextSide(job, round, attempt, partial) : await runMediaSide(job, attempt);
  } catch (error) {
    console.error(`[battles] side ${job.side} of ${round.battleId} failed unexpectedly`, error);
    const failure: ProviderFailure = { kind: "bad_response", message: `The answer could not be generated because of an internal error: ${String(error).slice(0, 300)}` };
    outcome = { snapshot: failureSnapshot(attempt, "", { ...failure, kind: INTERNAL_FAILURE_KIND }), data: {}, failure, modelAtFault: false };
  }
  const latencyMs = Math.round(performance.now() - started);
  // Subscribers learn the outcome before it is saved; `ready` (votes allowed) waits for the save.
  round.publish({ type: "side", turnIndex: round.turnIndex, side: job.side, snapshot: outcome.snapshot });
  const { failure } = outcome;
  providerRequests.inc({ model: job.model.slug, status: failure ? "error" : "ok" });
  if (failure) providerErrors.inc({ model: job.model.slug, kind: failure.kind });
  providerLatency.observe({ model: job.model.slug }, latencyMs / 1000);
  return {
    job,
    outcome,
    data: {
      ...outcome.data,
      status: outcome.snapshot.status,
      latencyMs,
      errorKind: outcome.snapshot.errorKind,
      // The full error (provider, host, upstream text) is kept for admins; annotators get the snapshot's sentence.
      errorMessage: failure?.message ?? null,
      completedAt: new Date(),
    },
  };
}

/**
 * Starts one generation round on the server and returns at once. Both sides run concurrently and
 * independently (one side's failure never affects the other); every delta goes to the battle's
 * live round for SSE subscribers. When both sides are done, their answers, timings and errors and
 * the battle's `ready` status are saved together, group-committed with other battles' writes (with
 * SQLite every query blocks the event loop that streams the other battles, so a round writes as
 * little as it can: that save, plus partial text once a second for long answers); then the round publishes `ready` and `end`, and the
 * models' circuit breakers are fed. Nothing depends on a browser staying connected. If the rows
 * could not be saved, the round ends without `ready`. The round ends with the battle's rows as its
 * writes left them (LiveRound.end), so its event streams' `end` reads nothing.
 */
export function startGenerationRound(input: TGenerationRoundInput): LiveRound {
  const { db, userId, battleId, turnIndex, initialSides, jobs, rowsSaved } = input;
  const round = battleHub.open({ battleId, userId, turnIndex, sides: initialSides, rowsSaved });
  let battle = input.battle;
  const saved = (write: TBattleWrite) => (battle = battleRowsAfterWrites(battle, [write]));
  const finish = async () => {
    const partials = new Map(jobs.map((job) => [job.side, createPartialWriter(db, job.responseId, rowsSaved, saved)]));
    const results = await Promise.all(jobs.map((job) => runSide(round, job, initialSides[job.side].attempt, partials.get(job.side)!)));
    await rowsSaved;
    await Promise.all([...partials.values()].map((partial) => partial.idle()));
    const writes: TBattleWrite[] = [
      ...results.map((result): TBattleWrite => ({ kind: "response", id: result.job.responseId, data: result.data })),
      { kind: "battle-ready", id: battleId, completedAt: new Date() },
    ];
    await saveBattleWrites(db, writes);
    round.publish({ type: "ready", turnIndex });
    round.end(battleRowsAfterWrites(battle, writes));
    // The battle takes a retry or a follow-up from now on, while the breakers are fed.
    battleHub.close(round);
    for (const { job, outcome } of results) {
      if (outcome.modelAtFault === false) continue;
      await recordModelCallOutcome(db, job.model.id, outcome.failure).catch((error: unknown) => console.error("[battles] circuit breaker update failed", error));
    }
  };
  finish()
    .catch((error: unknown) => {
      console.error(`[battles] generation round of ${battleId} could not be saved`, error);
      round.abandon();
    })
    .finally(() => battleHub.close(round));
  return round;
}
