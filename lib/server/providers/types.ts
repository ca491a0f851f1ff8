import "server-only";

/**
 * The one provider interface per modality. Services pick a provider with `createProvider(config, ...)`
 * (see ./index.ts) and never talk to an API directly. Providers never throw for upstream problems:
 * text streams end with an `error` event, media calls resolve to `{ ok: false }`. Both carry a
 * `ProviderFailure` whose message is safe to show and never contains an API key.
 */
export type ProviderKind =
  | "openai_compatible"
  | "anthropic"
  | "demo_text"
  | "openai_images"
  | "http_image"
  | "demo_image"
  | "http_music"
  | "demo_music";

/** A model's registry entry, as stored by the lead's model service. */
export interface ModelConfig {
  slug: string;
  providerKind: ProviderKind;
  /** Base URL (OpenAI-compatible, Anthropic, OpenAI images) or full URL (http_image, http_music). Null for demo kinds. */
  endpoint: string | null;
  providerModelId: string;
  /** Name of the environment variable holding the API key; null when the endpoint needs none (Ollama, vLLM). */
  apiKeyEnvVar: string | null;
  /** Passed through to the API body (temperature, top_p, ...) or read by demo/media adapters; see docs/providers.md. */
  extraParams: Record<string, unknown>;
  /** Budget for the whole call, measured from the moment a concurrency slot is acquired. */
  timeoutMs: number;
  maxTokens: number;
  /** Calls beyond this many in flight wait FIFO in-process. */
  maxConcurrency: number;
}

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

export type TextStreamEvent =
  | { type: "delta"; text: string }
  | { type: "done"; text: string; inputTokens: number | null; outputTokens: number | null; finishReason: string }
  | { type: "error"; error: ProviderFailure };

/**
 * `aborted`: the caller's signal fired (user left); not the model's fault, so circuit breakers ignore it.
 * `stream_cut`: the connection closed before the answer finished; partial text is never reported as done.
 */
export type ProviderFailureKind =
  | "timeout"
  | "http_error"
  | "bad_response"
  | "stream_cut"
  | "empty"
  | "rate_limited"
  | "config"
  | "too_large"
  | "aborted";

export interface ProviderFailure {
  kind: ProviderFailureKind;
  /** Clear, human, without secrets. */
  message: string;
  status?: number;
}

/**
 * `seed`: the battle's per-turn seed (lib/domain/battle/seed.ts). Deterministic providers (the demo
 * models) vary their output with it, so a repeated prompt does not identify the model, and the same
 * seed reproduces the same output. Real APIs ignore it.
 */
export interface TextProvider {
  streamChat(req: { messages: ChatMessage[]; signal: AbortSignal; seed?: number }): AsyncIterable<TextStreamEvent>;
}

export type MediaResult =
  | { ok: true; bytes: Uint8Array; mime: string; width?: number; height?: number; durationSeconds?: number }
  | { ok: false; error: ProviderFailure };

export interface ImageProvider {
  generateImage(req: { prompt: string; personaContext: string | null; signal: AbortSignal; seed?: number }): Promise<MediaResult>;
}

export interface MusicProvider {
  generateMusic(req: {
    prompt: string;
    personaContext: string | null;
    durationSeconds: number;
    lyrics?: string;
    signal: AbortSignal;
    seed?: number;
  }): Promise<MediaResult>;
}

export type AnyProvider =
  | { modality: "text"; provider: TextProvider }
  | { modality: "image"; provider: ImageProvider }
  | { modality: "audio"; provider: MusicProvider };

export interface ProviderDependencies {
  /** Reads a secret by environment variable name (the lead's env module). */
  getSecret: (envVarName: string) => string | undefined;
}
