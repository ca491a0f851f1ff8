import "server-only";

import { requireEndpoint, resolveApiKey } from "./adapter-support";
import { maxBytesFor, postJson, readGenericMediaAnswer, runMediaCall } from "./media-http";
import { DEFAULT_MAX_AUDIO_BYTES, validateAudioBytes } from "./media-validation";
import type { ModelConfig, MusicProvider, ProviderDependencies } from "./types";

/**
 * Generic HTTP text-to-music model (contract in docs/providers.md): `POST {endpoint}` with JSON
 * `{prompt, duration_seconds, lyrics?, persona_context, model}`, answered by audio bytes (WAV, MP3,
 * Ogg, FLAC) or JSON `{url}` / `{b64}`. The key, if any, goes out as `Authorization: Bearer`.
 */
export function createHttpMusicProvider(config: ModelConfig, deps: ProviderDependencies): MusicProvider {
  const providerLabel = `The provider of ${config.slug}`;
  return {
    async generateMusic({ prompt, personaContext, durationSeconds, lyrics, signal }) {
      const endpoint = requireEndpoint(config);
      if (!endpoint.ok) return { ok: false, error: endpoint.error };
      const key = resolveApiKey(config, deps);
      if (!key.ok) return { ok: false, error: key.error };
      const maxBytes = maxBytesFor(config, DEFAULT_MAX_AUDIO_BYTES);
      return runMediaCall(config, signal, { providerLabel, secrets: key.apiKey ? [key.apiKey] : [], maxBytes }, async (context) => {
        const body = {
          prompt,
          duration_seconds: durationSeconds,
          ...(lyrics ? { lyrics } : {}),
          persona_context: personaContext,
          model: config.providerModelId,
        };
        const headers: Record<string, string> = key.apiKey ? { authorization: `Bearer ${key.apiKey}` } : {};
        const response = await postJson(endpoint.endpoint, body, headers, context);
        return validateAudioBytes(await readGenericMediaAnswer(response, context, "audio"), maxBytes, providerLabel);
      });
    },
  };
}
