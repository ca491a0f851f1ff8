import "server-only";

import { createAnthropic } from "@ai-sdk/anthropic";

import { cachedLanguageModel, failedTextStream, numberParam, providerLabelOf, requireEndpoint, resolveApiKey, secretsOf } from "./adapter-support";
import { streamWithAiSdk } from "./ai-sdk-stream";
import { nodeFetch } from "./node-fetch";
import type { ModelConfig, ProviderDependencies, TextProvider } from "./types";

const DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com/v1";

/**
 * Anthropic Messages API, streamed via SSE. `endpoint` is the base URL including `/v1` (null means
 * the public API). The key goes out as `x-api-key`. System messages become the top-level `system`
 * field. extraParams: temperature, top_p, top_k, stop_sequences.
 */
export function createAnthropicTextProvider(config: ModelConfig, deps: ProviderDependencies): TextProvider {
  const providerLabel = providerLabelOf(config);
  return {
    streamChat({ messages, signal }) {
      let baseURL = DEFAULT_ANTHROPIC_BASE_URL;
      if (config.endpoint !== null) {
        const endpoint = requireEndpoint(config);
        if (!endpoint.ok) return failedTextStream(endpoint.error);
        baseURL = endpoint.endpoint;
      }
      const key = resolveApiKey(config, deps);
      if (!key.ok) return failedTextStream(key.error);
      const apiKey = key.apiKey ?? "";
      const model = cachedLanguageModel(JSON.stringify(["anthropic", baseURL, apiKey, config.providerModelId]), () =>
        createAnthropic({ baseURL, apiKey, fetch: nodeFetch })(config.providerModelId),
      );
      const stopSequences = config.extraParams.stop_sequences;
      return streamWithAiSdk({
        model,
        config,
        messages,
        signal,
        providerLabel,
        secrets: secretsOf(key),
        callSettings: {
          temperature: numberParam(config.extraParams, "temperature"),
          topP: numberParam(config.extraParams, "top_p", "topP"),
          topK: numberParam(config.extraParams, "top_k", "topK"),
          stopSequences: Array.isArray(stopSequences) ? stopSequences.filter((s): s is string => typeof s === "string") : undefined,
        },
      });
    },
  };
}
