import "server-only";

import { DEMO_SAMPLE_RATE, encodeWav, isDemoTimbre, synthesizeDemoMusic } from "@/lib/domain/demo/music";

import { providerFailure } from "./failures";
import type { ModelConfig, MusicProvider } from "./types";

/**
 * Offline demo music model: synthesises a WAV in-process, deterministic for (prompt, persona, seed). Timbre from
 * `extraParams.timbre` or else `providerModelId` (sine-pad, square-chiptune, plucked-string,
 * fm-bell); duration clamped to 5–30 s. Lyrics are ignored (instrumental only).
 */
export function createDemoMusicProvider(config: ModelConfig): MusicProvider {
  const timbre = typeof config.extraParams.timbre === "string" ? config.extraParams.timbre : config.providerModelId;
  return {
    async generateMusic({ prompt, personaContext, durationSeconds, signal, seed }) {
      if (!isDemoTimbre(timbre)) return { ok: false, error: providerFailure("config", `Unknown demo timbre "${timbre}" for model ${config.slug}`) };
      if (signal.aborted) return { ok: false, error: providerFailure("aborted", "The request was cancelled") };
      const samples = synthesizeDemoMusic(timbre, prompt, personaContext, durationSeconds, seed);
      return {
        ok: true,
        bytes: encodeWav(samples),
        mime: "audio/wav",
        durationSeconds: samples.length / DEMO_SAMPLE_RATE,
      };
    },
  };
}

