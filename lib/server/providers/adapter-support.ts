import "server-only";

import type { LanguageModelV3 } from "@ai-sdk/provider";

import { providerFailure } from "./failures";
import type { ModelConfig, ProviderDependencies, ProviderFailure } from "./types";

/**
 * Keys of `extraParams` our adapters consume themselves; they are never forwarded in API bodies.
 */
const ADAPTER_EXTRA_PARAM_KEYS = new Set([
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

/** How failure messages name a model's provider. */
export const providerLabelOf = (config: ModelConfig) => `The provider of ${config.slug}`;

/** What failure messages must never show: the resolved key, when the model has one. */
export const secretsOf = (key: { apiKey: string | undefined }): string[] => (key.apiKey ? [key.apiKey] : []);

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

const MAX_CACHED_LANGUAGE_MODELS = 256;
const languageModels = new Map<string, LanguageModelV3>();

/**
 * One AI SDK language model per distinct configuration (`key` must cover everything `create` reads,
 * API key included), reused across calls: building one compiles its response schemas, which would
 * otherwise sit in front of every request's first token. Registry edits make a new key; the cache
 * is simply emptied when it grows past MAX_CACHED_LANGUAGE_MODELS.
 */
export function cachedLanguageModel(key: string, create: () => LanguageModelV3): LanguageModelV3 {
  let model = languageModels.get(key);
  if (!model) {
    if (languageModels.size >= MAX_CACHED_LANGUAGE_MODELS) languageModels.clear();
    model = create();
    languageModels.set(key, model);
  }
  return model;
}
