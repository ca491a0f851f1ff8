import "server-only";

import { numberParam } from "./adapter-support";
import { callGenericMediaModel } from "./media-http";
import type { ImageProvider, ModelConfig, ProviderDependencies } from "./types";

/**
 * Generic HTTP image model (contract in docs/providers.md): `POST {endpoint}` with JSON
 * `{prompt, persona_context, width, height, model}`, answered by image bytes or JSON `{url}` / `{b64}`.
 * The key, if any, goes out as `Authorization: Bearer`.
 */
export function createHttpImageProvider(config: ModelConfig, deps: ProviderDependencies): ImageProvider {
  return {
    async generateImage({ prompt, personaContext, signal }) {
      return callGenericMediaModel(config, deps, signal, "image", {
        prompt,
        persona_context: personaContext,
        width: numberParam(config.extraParams, "width") ?? 512,
        height: numberParam(config.extraParams, "height") ?? 512,
        model: config.providerModelId,
      });
    },
  };
}
