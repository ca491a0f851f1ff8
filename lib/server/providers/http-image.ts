import "server-only";

import { numberParam, requireEndpoint, resolveApiKey } from "./adapter-support";
import { maxBytesFor, postJson, readGenericMediaAnswer, runMediaCall } from "./media-http";
import { DEFAULT_MAX_IMAGE_BYTES, validateImageBytes } from "./media-validation";
import type { ImageProvider, ModelConfig, ProviderDependencies } from "./types";

/**
 * Generic HTTP image model (contract in docs/providers.md): `POST {endpoint}` with JSON
 * `{prompt, persona_context, width, height, model}`, answered by image bytes or JSON `{url}` / `{b64}`.
 * The key, if any, goes out as `Authorization: Bearer`.
 */
export function createHttpImageProvider(config: ModelConfig, deps: ProviderDependencies): ImageProvider {
  const providerLabel = `The provider of ${config.slug}`;
  return {
    async generateImage({ prompt, personaContext, signal }) {
      const endpoint = requireEndpoint(config);
      if (!endpoint.ok) return { ok: false, error: endpoint.error };
      const key = resolveApiKey(config, deps);
      if (!key.ok) return { ok: false, error: key.error };
      const maxBytes = maxBytesFor(config, DEFAULT_MAX_IMAGE_BYTES);
      return runMediaCall(config, signal, { providerLabel, secrets: key.apiKey ? [key.apiKey] : [], maxBytes }, async (context) => {
        const body = {
          prompt,
          persona_context: personaContext,
          width: numberParam(config.extraParams, "width") ?? 512,
          height: numberParam(config.extraParams, "height") ?? 512,
          model: config.providerModelId,
        };
        const headers: Record<string, string> = key.apiKey ? { authorization: `Bearer ${key.apiKey}` } : {};
        const response = await postJson(endpoint.endpoint, body, headers, context);
        return validateImageBytes(await readGenericMediaAnswer(response, context, "image"), maxBytes, providerLabel);
      });
    },
  };
}
