import "server-only";
import { env, readProviderSecret } from "@/lib/env";
import type { ArenaModel } from "@/lib/generated/sqlite/client";
import type { Db } from "@/lib/server/db";
import { forgetActiveModels } from "@/lib/server/battles/model-pool";
import {
  circuitBreakerVerdict,
  createProvider,
  type AnyProvider,
  type ModelConfig,
  type ProviderFailure,
  type ProviderKind,
  type TCircuitBreakerPolicy,
} from "@/lib/server/providers";

/** The registry columns a provider needs; any ArenaModel row fits. */
export type TRuntimeModel = Pick<
  ArenaModel,
  "id" | "slug" | "providerKind" | "endpoint" | "providerModelId" | "apiKeyEnvVar" | "extraParams" | "timeoutMs" | "maxTokens" | "maxConcurrency"
>;

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * A registry row as the provider layer's `ModelConfig`. Demo text models stream at
 * DEMO_TOKENS_PER_SECOND unless their own `extraParams.tokensPerSecond` says otherwise, so e2e runs
 * and benchmarks can speed every demo model up at once.
 */
function toModelConfig(model: TRuntimeModel): ModelConfig {
  const extraParams = { ...asRecord(model.extraParams) };
  if (model.providerKind === "demo_text" && typeof extraParams.tokensPerSecond !== "number") {
    extraParams.tokensPerSecond = env.DEMO_TOKENS_PER_SECOND;
  }
  return {
    slug: model.slug,
    providerKind: model.providerKind as ProviderKind,
    endpoint: model.endpoint,
    providerModelId: model.providerModelId,
    apiKeyEnvVar: model.apiKeyEnvVar,
    extraParams,
    timeoutMs: model.timeoutMs,
    maxTokens: model.maxTokens,
    maxConcurrency: model.maxConcurrency,
  };
}

/** The model's provider, with API keys read by env var name (never stored, never returned). */
export function getRuntimeProvider(model: TRuntimeModel): AnyProvider {
  return createProvider(toModelConfig(model), { getSecret: readProviderSecret });
}

/** Models whose stored consecutiveFailures this process knows to be 0, so successes need no write. */
const knownHealthy = new Set<string>();
/** Failure records older than this (or the window, if longer) are pruned as new ones arrive. */
const FAILURE_RETENTION_MS = 24 * 3600_000;

function circuitBreakerPolicy(): TCircuitBreakerPolicy {
  return { failures: env.CIRCUIT_BREAKER_FAILURES, windowMs: env.CIRCUIT_BREAKER_WINDOW_SECONDS * 1000, failureRate: env.CIRCUIT_BREAKER_FAILURE_RATE };
}

/**
 * Feeds one finished answer of a real battle to the model's circuit breaker (lib/server/providers/circuit-breaker.ts)
 * and keeps `consecutiveFailures` current. Caller aborts are not the model's fault and are ignored.
 * A failure is recorded (ModelFailure, with the full error); when the failures in the window trip the
 * breaker, the model is paused with the reason (it leaves matchmaking; admins see why) and an audit row
 * `model.auto_paused` (actor null: the system did it) is written. Successes cost no query once the
 * stored count is known to be 0. Returns whether it paused the model.
 */
export async function recordModelCallOutcome(db: Db, modelId: string, failure: ProviderFailure | null): Promise<{ paused: boolean }> {
  if (failure?.kind === "aborted") return { paused: false };
  if (!failure) {
    if (!knownHealthy.has(modelId)) {
      await db.arenaModel.updateMany({ where: { id: modelId, consecutiveFailures: { gt: 0 } }, data: { consecutiveFailures: 0 } });
      knownHealthy.add(modelId);
    }
    return { paused: false };
  }
  knownHealthy.delete(modelId);
  const policy = circuitBreakerPolicy();
  const now = new Date();
  const since = new Date(now.getTime() - policy.windowMs);
  const message = failure.message.slice(0, 1000);
  await db.$transaction([
    db.modelFailure.create({ data: { modelId, kind: failure.kind, message, createdAt: now } }),
    db.modelFailure.deleteMany({ where: { modelId, createdAt: { lt: new Date(now.getTime() - Math.max(policy.windowMs, FAILURE_RETENTION_MS)) } } }),
    db.arenaModel.update({ where: { id: modelId }, data: { consecutiveFailures: { increment: 1 } } }),
  ]);
  // Everything from the database, so every instance judges the same answers (`consecutiveFailures`, kept
  // for the admin list, is reset lazily per instance and could run ahead when several instances serve).
  const [failures, successes, lastSuccess] = await Promise.all([
    db.modelFailure.count({ where: { modelId, createdAt: { gte: since } } }),
    db.response.count({ where: { modelId, status: "complete", startedAt: { gte: since } } }),
    db.response.findFirst({ where: { modelId, status: "complete", startedAt: { gte: since } }, orderBy: { completedAt: "desc" }, select: { completedAt: true } }),
  ]);
  const consecutive = lastSuccess?.completedAt
    ? await db.modelFailure.count({ where: { modelId, createdAt: { gt: lastSuccess.completedAt } } })
    : failures;
  const verdict = circuitBreakerVerdict({ failures, successes, consecutive }, policy, `${failure.kind}: ${message}`);
  if (!verdict.trip) return { paused: false };
  const pausedReason = `Paused automatically: ${verdict.reason}`.slice(0, 1000);
  // The pause and its audit row commit together: whoever sees the model paused also sees why.
  const paused = await db.$transaction(async (tx) => {
    const updated = await tx.arenaModel.updateMany({ where: { id: modelId, status: "active" }, data: { status: "paused", pausedReason, pausedAt: now } });
    if (updated.count === 0) return false;
    await tx.auditLog.create({
      data: { actorId: null, action: "model.auto_paused", targetType: "ArenaModel", targetId: modelId, details: { reason: pausedReason, failureKind: failure.kind } },
    });
    return true;
  });
  if (!paused) return { paused: false };
  forgetActiveModels();
  return { paused: true };
}
