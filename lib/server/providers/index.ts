import "server-only";

import type { TModality } from "@/lib/domain/vocabulary";
import { limiterForModel, type ConcurrencyLimiter } from "./concurrency";
import { createDemoImageProvider } from "./demo-image";
import { createDemoMusicProvider } from "./demo-music";
import { providerFailure } from "./failures";
import { createHttpImageProvider } from "./http-image";
import { createHttpMusicProvider } from "./http-music";
import { createOpenAIImagesProvider } from "./openai-images";
import { createThreadedTextProvider } from "./text-thread";
import type {
  AnyProvider,
  ImageProvider,
  MediaResult,
  ModelConfig,
  MusicProvider,
  ProviderDependencies,
  ProviderKind,
  TextProvider,
  TextStreamEvent,
} from "./types";

export type * from "./types";
export { circuitBreakerVerdict, type TCircuitBreakerPolicy } from "./circuit-breaker";

const MODALITY_BY_KIND: Record<ProviderKind, TModality> = {
  openai_compatible: "text",
  anthropic: "text",
  demo_text: "text",
  openai_images: "image",
  http_image: "image",
  demo_image: "image",
  http_music: "audio",
  demo_music: "audio",
};

export function modalityOfProviderKind(kind: ProviderKind): TModality {
  return MODALITY_BY_KIND[kind];
}

const aborted = () => providerFailure("aborted", "The request was cancelled while waiting for a free slot");

function limitText(provider: TextProvider, limiter: ConcurrencyLimiter): TextProvider {
  return {
    async *streamChat(req): AsyncGenerator<TextStreamEvent> {
      let release: () => void;
      try {
        release = await limiter.acquire(req.signal);
      } catch {
        yield { type: "error", error: aborted() };
        return;
      }
      try {
        yield* provider.streamChat(req);
      } finally {
        release();
      }
    },
  };
}

async function limitMedia(limiter: ConcurrencyLimiter, signal: AbortSignal, call: () => Promise<MediaResult>): Promise<MediaResult> {
  let release: () => void;
  try {
    release = await limiter.acquire(signal);
  } catch {
    return { ok: false, error: aborted() };
  }
  try {
    return await call();
  } finally {
    release();
  }
}

/**
 * Picks the adapter from the registry entry's providerKind and wraps it in the model's shared
 * in-process concurrency limiter (`maxConcurrency`, FIFO; the timeout starts once a slot is held).
 * API keys are read only through `deps.getSecret(config.apiKeyEnvVar)`. Text adapters run on the
 * text-provider thread (the limiter and the caller stay on this one).
 */
export function createProvider(config: ModelConfig, deps: ProviderDependencies): AnyProvider {
  const limiter = limiterForModel(config.slug, config.maxConcurrency);
  switch (config.providerKind) {
    case "openai_compatible":
    case "anthropic":
    case "demo_text":
      return { modality: "text", provider: limitText(createThreadedTextProvider({ ...config, providerKind: config.providerKind }, deps), limiter) };
    case "openai_images":
      return { modality: "image", provider: limitImage(createOpenAIImagesProvider(config, deps), limiter) };
    case "http_image":
      return { modality: "image", provider: limitImage(createHttpImageProvider(config, deps), limiter) };
    case "demo_image":
      return { modality: "image", provider: limitImage(createDemoImageProvider(config), limiter) };
    case "http_music":
      return { modality: "audio", provider: limitMusic(createHttpMusicProvider(config, deps), limiter) };
    case "demo_music":
      return { modality: "audio", provider: limitMusic(createDemoMusicProvider(config), limiter) };
  }
}


function limitImage(provider: ImageProvider, limiter: ConcurrencyLimiter): ImageProvider {
  return { generateImage: (req) => limitMedia(limiter, req.signal, () => provider.generateImage(req)) };
}

function limitMusic(provider: MusicProvider, limiter: ConcurrencyLimiter): MusicProvider {
  return { generateMusic: (req) => limitMedia(limiter, req.signal, () => provider.generateMusic(req)) };
}
