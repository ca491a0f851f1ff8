import "server-only";
import { interpretModerationResponse, type ProviderVerdict } from "@/lib/domain/moderation/policy";

/** A service that classifies a prompt; any failure (network, status, shape) rejects. */
export interface ModerationProvider {
  readonly name: string;
  moderate(text: string, options?: { signal?: AbortSignal }): Promise<ProviderVerdict>;
}

export class ModerationProviderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ModerationProviderError";
  }
}

export interface OpenAiModerationOptions {
  /** Base URL of an OpenAI-compatible API (…/v1) or the full …/moderations URL. */
  endpoint: string;
  apiKey?: string;
  model?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function moderationsUrl(endpoint: string): string {
  const trimmed = endpoint.replace(/\/+$/, "");
  return trimmed.endsWith("/moderations") ? trimmed : `${trimmed}/moderations`;
}

/** POST { model, input } to an OpenAI-compatible /v1/moderations endpoint. */
export function createOpenAiModerationProvider({
  endpoint,
  apiKey,
  model = "omni-moderation-latest",
  timeoutMs = 5000,
  fetch: fetchImpl = fetch,
}: OpenAiModerationOptions): ModerationProvider {
  const url = moderationsUrl(endpoint);
  return {
    name: `openai-compatible:${new URL(url).host}`,
    async moderate(text, options = {}) {
      const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}) },
          body: JSON.stringify({ model, input: text }),
          signal,
        });
      } catch (error) {
        throw new ModerationProviderError("moderation request failed", { cause: error });
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new ModerationProviderError(`moderation endpoint answered HTTP ${response.status}`);
      }
      try {
        return interpretModerationResponse(await response.json());
      } catch (error) {
        throw new ModerationProviderError("moderation endpoint sent an unreadable response", { cause: error });
      }
    },
  };
}
