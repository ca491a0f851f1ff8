import "server-only";

import { providerFailure } from "./failures";
import type { ModelConfig, ProviderDependencies, ProviderFailure } from "./types";

/**
 * Keys of `extraParams` our adapters consume themselves; they are never forwarded in API bodies.
 */
export const ADAPTER_EXTRA_PARAM_KEYS = new Set([
  "idleTimeoutMs",
  "tokensPerSecond",
  "maxResponseBytes",
  "width",
  "height",
  "size",
  "style",
  "personality",
  "timbre",
]);

/** extraParams minus adapter-only keys: what an API body may receive (temperature, top_p, ...). */
export function forwardableExtraParams(extraParams: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(extraParams).filter(([key]) => !ADAPTER_EXTRA_PARAM_KEYS.has(key)));
}

export type ResolvedKey = { ok: true; apiKey: string | undefined } | { ok: false; error: ProviderFailure };

/**
 * Reads the model's API key through `getSecret`. A model naming an env var that is unset is a
 * configuration error (reported by name, never by value); a model naming none needs no key.
 */
export function resolveApiKey(config: ModelConfig, deps: ProviderDependencies): ResolvedKey {
  if (!config.apiKeyEnvVar) return { ok: true, apiKey: undefined };
  const apiKey = deps.getSecret(config.apiKeyEnvVar);
  if (!apiKey) {
    return { ok: false, error: providerFailure("config", `API key variable ${config.apiKeyEnvVar} is not set for model ${config.slug}`) };
  }
  return { ok: true, apiKey };
}

export function requireEndpoint(config: ModelConfig): { ok: true; endpoint: string } | { ok: false; error: ProviderFailure } {
  if (!config.endpoint) return { ok: false, error: providerFailure("config", `Model ${config.slug} has no endpoint configured`) };
  try {
    new URL(config.endpoint);
  } catch {
    return { ok: false, error: providerFailure("config", `Model ${config.slug} has an invalid endpoint URL`) };
  }
  return { ok: true, endpoint: config.endpoint.replace(/\/+$/, "") };
}

export function numberParam(extraParams: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = extraParams[key];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return undefined;
}

/** A failed text stream: one error event, nothing else. */
export async function* failedTextStream(error: ProviderFailure) {
  yield { type: "error" as const, error };
}
