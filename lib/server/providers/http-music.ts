import "server-only";

import { callGenericMediaModel } from "./media-http";
import type { ModelConfig, MusicProvider, ProviderDependencies } from "./types";

/**
 * Generic HTTP text-to-music model (contract in docs/providers.md): `POST {endpoint}` with JSON
 * `{prompt, duration_seconds, lyrics?, persona_context, model}`, answered by audio bytes (WAV, MP3,
 * Ogg, FLAC) or JSON `{url}` / `{b64}`. The key, if any, goes out as `Authorization: Bearer`.
 */
export function createHttpMusicProvider(config: ModelConfig, deps: ProviderDependencies): MusicProvider {
  return {
    async generateMusic({ prompt, personaContext, durationSeconds, lyrics, signal }) {
      return callGenericMediaModel(config, deps, signal, "audio", {
        prompt,
        duration_seconds: durationSeconds,
        ...(lyrics ? { lyrics } : {}),
        persona_context: personaContext,
        model: config.providerModelId,
      });
    },
  };
}
