import "server-only";
import { env, readProviderSecret } from "@/lib/env";
import type { ArenaModel } from "@/lib/generated/sqlite/client";
import type { Db } from "@/lib/server/db";
import { forgetActiveModels } from "@/lib/server/battles/model-pool";
import { CircuitBreaker, createProvider, type AnyProvider, type ModelConfig, type ProviderFailure, type ProviderKind } from "@/lib/server/providers";

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
export function toModelConfig(model: TRuntimeModel): ModelConfig {
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
  return createProvider(toModelConfig(model), { getSecret: readProviderSecret, textThread: env.TEXT_PROVIDER_THREAD });
}

const globalForBreakers = globalThis as unknown as { arenaCircuitBreakers?: Map<string, CircuitBreaker> };
const breakers = (globalForBreakers.arenaCircuitBreakers ??= new Map<string, CircuitBreaker>());
/** Models whose stored consecutiveFailures this process knows to be 0, so successes need no write. */
const knownHealthy = new Set<string>();

/** The model's in-process circuit breaker (one per model id and process). */
export function circuitBreakerFor(modelId: string): CircuitBreaker {
  let breaker = breakers.get(modelId);
  if (!breaker) {
    breaker = new CircuitBreaker();
    breakers.set(modelId, breaker);
  }
  return breaker;
}

/** Forgets the breaker's history, e.g. when an admin resumes a paused model. */
export function resetCircuitBreaker(modelId: string): void {
  breakers.get(modelId)?.reset();
}

/**
 * Feeds one finished call to the model's circuit breaker and keeps `consecutiveFailures` current.
 * Caller aborts are not the model's fault and are ignored. When the breaker opens, the model is
 * paused with the breaker's reason (so it leaves matchmaking and admins see why) and an audit row
 * `model.auto_paused` (actor null: the system did it) is written. Returns whether it paused the model.
 */
export async function recordModelCallOutcome(db: Db, modelId: string, failure: ProviderFailure | null): Promise<{ paused: boolean }> {
  if (failure?.kind === "aborted") return { paused: false };
  const breaker = circuitBreakerFor(modelId);
  if (!failure) {
    breaker.recordSuccess();
    if (!knownHealthy.has(modelId)) {
      await db.arenaModel.updateMany({ where: { id: modelId, consecutiveFailures: { gt: 0 } }, data: { consecutiveFailures: 0 } });
      knownHealthy.add(modelId);
    }
    return { paused: false };
  }
  knownHealthy.delete(modelId);
  const { opened, reason } = breaker.recordFailure(`${failure.kind}: ${failure.message}`);
  if (!opened) {
    await db.arenaModel.update({ where: { id: modelId }, data: { consecutiveFailures: { increment: 1 } } });
    return { paused: false };
  }
  const pausedReason = `Paused automatically: ${reason}`.slice(0, 1000);
  // The pause and its audit row commit together: whoever sees the model paused also sees why.
  const paused = await db.$transaction(async (tx) => {
    const updated = await tx.arenaModel.updateMany({
      where: { id: modelId, status: "active" },
      data: { status: "paused", pausedReason, pausedAt: new Date(), consecutiveFailures: { increment: 1 } },
    });
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
