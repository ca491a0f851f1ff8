import "server-only";

import { numberParam, providerLabelOf, requireEndpoint, resolveApiKey, secretsOf } from "./adapter-support";
import { CallDeadline } from "./deadline";
import { failureForStatus, failureFromError, providerFailure } from "./failures";
import { DEFAULT_MAX_AUDIO_BYTES, DEFAULT_MAX_IMAGE_BYTES, tooLarge, validateAudioBytes, validateImageBytes } from "./media-validation";
import type { MediaResult, ModelConfig, ProviderDependencies, ProviderFailure } from "./types";

export class MediaCallFailure extends Error {
  constructor(readonly failure: ProviderFailure) {
    super(failure.message);
  }
}

export interface MediaCallContext {
  signal: AbortSignal;
  providerLabel: string;
  secrets: readonly string[];
  maxBytes: number;
}

/** `extraParams.maxResponseBytes` when set, else the modality's default. */
function maxBytesFor(config: ModelConfig, fallback: number): number {
  return numberParam(config.extraParams, "maxResponseBytes") ?? fallback;
}

/**
 * Runs one media call under the model's total timeout (media has no stream, so no idle timeout)
 * and turns whatever it throws into a failed MediaResult.
 */
async function runMediaCall(
  config: ModelConfig,
  callerSignal: AbortSignal,
  context: Omit<MediaCallContext, "signal">,
  call: (context: MediaCallContext) => Promise<MediaResult>,
): Promise<MediaResult> {
  const deadline = new CallDeadline(callerSignal, config.timeoutMs, null);
  try {
    return await call({ ...context, signal: deadline.signal });
  } catch (error) {
    if (deadline.timedOut) return { ok: false, error: providerFailure("timeout", deadline.describeTimeout(context.providerLabel)) };
    if (deadline.callerAborted) return { ok: false, error: providerFailure("aborted", "The request was cancelled") };
    if (error instanceof MediaCallFailure) return { ok: false, error: error.failure };
    return { ok: false, error: failureFromError(error, { providerLabel: context.providerLabel, receivedText: false, secrets: context.secrets }) };
  } finally {
    deadline.dispose();
  }
}

/** Reads a body, stopping as soon as it exceeds `maxBytes` (a lying or missing Content-Length cannot bypass it). */
export async function readBodyWithLimit(response: Response, context: MediaCallContext, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > context.maxBytes) {
    await response.body?.cancel();
    throw new MediaCallFailure(tooLarge(context.providerLabel, what, context.maxBytes));
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      total += next.value.length;
      if (total > context.maxBytes) {
        await reader.cancel();
        throw new MediaCallFailure(tooLarge(context.providerLabel, what, context.maxBytes));
      }
      parts.push(next.value);
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** Throws a MediaCallFailure for any non-2xx answer, with the upstream's error message (secrets removed). */
async function assertOk(response: Response, context: MediaCallContext): Promise<void> {
  if (response.ok) return;
  const body = await response.text().catch(() => "");
  throw new MediaCallFailure(failureForStatus(response.status, context.providerLabel, body, context.secrets));
}

export async function postJson(url: string, body: unknown, headers: Record<string, string>, context: MediaCallContext): Promise<Response> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal: context.signal,
  });
  await assertOk(response, context);
  return response;
}

/** Downloads media the provider answered with a URL; only http(s) URLs, same size limit. */
export async function downloadMedia(url: string, context: MediaCallContext, what: string): Promise<Uint8Array> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MediaCallFailure(providerFailure("bad_response", `${context.providerLabel} returned an invalid ${what} URL`));
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new MediaCallFailure(providerFailure("bad_response", `${context.providerLabel} returned a non-HTTP ${what} URL`));
  }
  const response = await fetch(parsed, { signal: context.signal });
  await assertOk(response, context);
  return readBodyWithLimit(response, context, what);
}

/** Base64 decoded size is known before decoding: check the limit first. */
export function decodeBase64Media(b64: string, context: MediaCallContext, what: string): Uint8Array {
  if (Math.floor((b64.length * 3) / 4) > context.maxBytes + 3) throw new MediaCallFailure(tooLarge(context.providerLabel, what, context.maxBytes));
  return new Uint8Array(Buffer.from(b64, "base64"));
}

/**
 * Our generic HTTP media contract: the answer is either the media bytes themselves, or JSON with
 * `url` (downloaded) or `b64` (decoded). See docs/providers.md.
 */
async function readGenericMediaAnswer(response: Response, context: MediaCallContext, what: string): Promise<Uint8Array> {
  const contentType = response.headers.get("content-type") ?? "";
  const bytes = await readBodyWithLimit(response, context, what);
  if (!contentType.includes("json")) return bytes;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new MediaCallFailure(providerFailure("bad_response", `${context.providerLabel} sent invalid JSON`));
  }
  const answer = (parsed ?? {}) as { url?: unknown; b64?: unknown };
  if (typeof answer.b64 === "string") return decodeBase64Media(answer.b64, context, what);
  if (typeof answer.url === "string") return downloadMedia(answer.url, context, what);
  throw new MediaCallFailure(providerFailure("bad_response", `${context.providerLabel} sent JSON without "url" or "b64"`));
}

const GENERIC_MEDIA = {
  image: { defaultMaxBytes: DEFAULT_MAX_IMAGE_BYTES, validate: validateImageBytes },
  audio: { defaultMaxBytes: DEFAULT_MAX_AUDIO_BYTES, validate: validateAudioBytes },
} as const;

/**
 * A media call to the model's endpoint with its key (runMediaCall): a missing or invalid endpoint or
 * an unset key fails before any request; `call` gets the endpoint, the key as `Authorization: Bearer`
 * (no header without a key) and the size limit (the model's maxResponseBytes, else `defaultMaxBytes`).
 */
export async function runEndpointMediaCall(
  config: ModelConfig,
  deps: ProviderDependencies,
  signal: AbortSignal,
  defaultMaxBytes: number,
  call: (context: MediaCallContext, target: { endpoint: string; headers: Record<string, string> }) => Promise<MediaResult>,
): Promise<MediaResult> {
  const endpoint = requireEndpoint(config);
  if (!endpoint.ok) return { ok: false, error: endpoint.error };
  const key = resolveApiKey(config, deps);
  if (!key.ok) return { ok: false, error: key.error };
  const maxBytes = maxBytesFor(config, defaultMaxBytes);
  const headers: Record<string, string> = key.apiKey ? { authorization: `Bearer ${key.apiKey}` } : {};
  return runMediaCall(config, signal, { providerLabel: providerLabelOf(config), secrets: secretsOf(key), maxBytes }, (context) =>
    call(context, { endpoint: endpoint.endpoint, headers }),
  );
}

/**
 * One call to a generic HTTP media model (docs/providers.md): `POST {endpoint}` with `body` as JSON;
 * the answer (our generic contract above) must be valid `kind` media within the size limit.
 */
export async function callGenericMediaModel(
  config: ModelConfig,
  deps: ProviderDependencies,
  signal: AbortSignal,
  kind: keyof typeof GENERIC_MEDIA,
  body: Record<string, unknown>,
): Promise<MediaResult> {
  const { defaultMaxBytes, validate } = GENERIC_MEDIA[kind];
  return runEndpointMediaCall(config, deps, signal, defaultMaxBytes, async (context, { endpoint, headers }) => {
    const response = await postJson(endpoint, body, headers, context);
    return validate(await readGenericMediaAnswer(response, context, kind), context.maxBytes, context.providerLabel);
  });
}
