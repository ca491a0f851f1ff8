import "server-only";

import { createOpenAICompatible } from "@ai-sdk/openai-compatible";

import { cachedLanguageModel, failedTextStream, forwardableExtraParams, providerLabelOf, requireEndpoint, resolveApiKey, secretsOf } from "./adapter-support";
import { streamWithAiSdk } from "./ai-sdk-stream";
import { nodeFetch } from "./node-fetch";
import type { ModelConfig, ProviderDependencies, TextProvider } from "./types";

/** Body fields the AI SDK sets from the call itself; extraParams must not override them. */
const PROTECTED_BODY_FIELDS = new Set(["model", "messages", "stream", "stream_options", "max_tokens"]);

/**
 * OpenAI-compatible chat completions (OpenAI, OpenRouter, vLLM, Ollama, LM Studio, ...), streamed
 * via SSE. `endpoint` is the base URL (e.g. `http://localhost:11434/v1`); the key, when the model
 * names an env var, goes out as `Authorization: Bearer`. extraParams (temperature, top_p, seed,
 * ...) are merged into the request body as-is.
 */
export function createOpenAICompatibleTextProvider(config: ModelConfig, deps: ProviderDependencies): TextProvider {
  const providerLabel = providerLabelOf(config);
  return {
    streamChat({ messages, signal }) {
      const endpoint = requireEndpoint(config);
      if (!endpoint.ok) return failedTextStream(endpoint.error);
      const key = resolveApiKey(config, deps);
      if (!key.ok) return failedTextStream(key.error);
      const bodyExtras = Object.fromEntries(
        Object.entries(forwardableExtraParams(config.extraParams)).filter(([field]) => !PROTECTED_BODY_FIELDS.has(field)),
      );
      const modelKey = JSON.stringify(["openai_compatible", endpoint.endpoint, key.apiKey, config.providerModelId, bodyExtras]);
      const model = cachedLanguageModel(modelKey, () =>
        createOpenAICompatible({
          name: "upstream",
          baseURL: endpoint.endpoint,
          apiKey: key.apiKey,
          includeUsage: true,
          fetch: nodeFetch,
          transformRequestBody: (body) => ({ ...body, ...bodyExtras }),
        }).chatModel(config.providerModelId),
      );
      return streamWithAiSdk({
        model,
        config,
        messages,
        signal,
        providerLabel,
        secrets: secretsOf(key),
      });
    },
  };
}
