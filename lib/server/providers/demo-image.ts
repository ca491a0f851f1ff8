import "server-only";

import { isDemoImageStyle, renderDemoImage } from "@/lib/domain/demo/image";

import { numberParam } from "./adapter-support";
import { providerFailure } from "./failures";
import { encodePng } from "./png";
import type { ImageProvider, ModelConfig } from "./types";

/**
 * Offline demo image model: renders a PNG in-process, deterministic for (prompt, persona, seed). Style from `extraParams.style`
 * or else `providerModelId` (geometric, gradient-stripes, pixel-mosaic, concentric); size from
 * `extraParams.width`/`height` (default 512x512).
 */
export function createDemoImageProvider(config: ModelConfig): ImageProvider {
  const style = typeof config.extraParams.style === "string" ? config.extraParams.style : config.providerModelId;
  const width = numberParam(config.extraParams, "width") ?? 512;
  const height = numberParam(config.extraParams, "height") ?? 512;
  return {
    async generateImage({ prompt, personaContext, signal, seed }) {
      if (!isDemoImageStyle(style)) return { ok: false, error: providerFailure("config", `Unknown demo image style "${style}" for model ${config.slug}`) };
      if (signal.aborted) return { ok: false, error: providerFailure("aborted", "The request was cancelled") };
      const image = renderDemoImage(style, prompt, personaContext, width, height, seed);
      return { ok: true, bytes: encodePng(image), mime: "image/png", width, height };
    },
  };
}
