import "server-only";

import { getMediaStorage, type MediaStorage } from "@/lib/server/media/storage";
import type { MediaResult, ProviderFailure } from "@/lib/server/providers";
import { providerFailure } from "@/lib/server/providers/failures";

import { getRuntimeProvider, type TRuntimeModel } from "./models-runtime";

const DEFAULT_MUSIC_DURATION_SECONDS = 10;
const MIN_MUSIC_DURATION_SECONDS = 5;
const MAX_MUSIC_DURATION_SECONDS = 30;

export interface GenerateMediaInput {
  /** The ArenaModel row of an image or audio model. */
  model: TRuntimeModel;
  prompt: string;
  personaContext: string | null;
  signal: AbortSignal;
  /** The battle turn's seed (see lib/domain/battle/seed.ts). */
  seed?: number;
  /** Defaults to the configured storage (MEDIA_DIR or S3). */
  storage?: MediaStorage;
}

export type GenerateMediaResult =
  | { ok: true; sha256: string; mime: string; bytes: number; width?: number; height?: number; durationSeconds?: number; latencyMs: number }
  | { ok: false; error: ProviderFailure; latencyMs: number };

/** Clip length asked of a music model: `extraParams.durationSeconds`, else 10 s, always within 5–30 s. */
export function musicDurationFor(extraParams: unknown): number {
  const requested = (extraParams as { durationSeconds?: unknown } | null)?.durationSeconds;
  const seconds = typeof requested === "number" && Number.isFinite(requested) ? requested : DEFAULT_MUSIC_DURATION_SECONDS;
  return Math.min(MAX_MUSIC_DURATION_SECONDS, Math.max(MIN_MUSIC_DURATION_SECONDS, seconds));
}

/**
 * Generates one side of an image or music battle and stores the bytes content-addressed.
 * Every model problem (HTTP error, timeout, undecodable or oversized media, abort) comes back as
 * `{ ok: false, error }`: a failed side, as for text. Only a storage outage throws
 * (`MediaStorageError`, an AppError "INTERNAL"), because it is not the model's fault.
 */
export async function generateMediaResponse({ model, prompt, personaContext, signal, seed, storage }: GenerateMediaInput): Promise<GenerateMediaResult> {
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  const runtime = getRuntimeProvider(model);

  let result: MediaResult;
  if (runtime.modality === "image") {
    result = await runtime.provider.generateImage({ prompt, personaContext, signal, seed });
  } else if (runtime.modality === "audio") {
    result = await runtime.provider.generateMusic({ prompt, personaContext, durationSeconds: musicDurationFor(model.extraParams), signal, seed });
  } else {
    return { ok: false, error: providerFailure("config", `Model ${model.slug} generates text, not media`), latencyMs: elapsed() };
  }
  // The model's latency: storing the bytes is ours.
  const latencyMs = elapsed();
  if (!result.ok) return { ok: false, error: result.error, latencyMs };

  const stored = await (storage ?? getMediaStorage()).put(result.bytes, result.mime);
  return {
    ok: true,
    sha256: stored.sha256,
    mime: stored.mime,
    bytes: stored.bytes,
    ...(result.width === undefined ? {} : { width: result.width }),
    ...(result.height === undefined ? {} : { height: result.height }),
    ...(result.durationSeconds === undefined ? {} : { durationSeconds: result.durationSeconds }),
    latencyMs,
  };
}
