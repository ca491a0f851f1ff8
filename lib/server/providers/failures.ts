import "server-only";

import { APICallError, RetryError } from "ai";

import type { ProviderFailure, ProviderFailureKind } from "./types";

export function providerFailure(kind: ProviderFailureKind, message: string, status?: number): ProviderFailure {
  return status === undefined ? { kind, message } : { kind, message, status };
}

/** Removes every secret value from a message; upstream error bodies are echoed only after this. */
function redactSecrets(message: string, secrets: readonly string[]): string {
  let redacted = message;
  for (const secret of secrets) {
    if (secret.length >= 4) redacted = redacted.split(secret).join("[redacted]");
  }
  return redacted;
}

const MAX_UPSTREAM_DETAIL_CHARS = 200;

/** A short, single-line, secret-free excerpt of what the upstream said. */
function upstreamDetail(text: string | undefined, secrets: readonly string[]): string {
  if (!text) return "";
  const oneLine = redactSecrets(text, secrets).replace(/\s+/g, " ").trim();
  if (!oneLine) return "";
  const clipped = oneLine.length > MAX_UPSTREAM_DETAIL_CHARS ? `${oneLine.slice(0, MAX_UPSTREAM_DETAIL_CHARS)}…` : oneLine;
  return `: ${clipped}`;
}

/** 429 is rate limiting (the breaker may treat it differently); any other status is an HTTP error. */
export function failureForStatus(
  status: number,
  providerLabel: string,
  body: string | undefined,
  secrets: readonly string[],
): ProviderFailure {
  const detail = upstreamDetail(extractErrorMessage(body), secrets);
  if (status === 429) return providerFailure("rate_limited", `${providerLabel} is rate limiting requests (HTTP 429)${detail}`, status);
  return providerFailure("http_error", `${providerLabel} answered HTTP ${status}${detail}`, status);
}

/** Prefers the `error.message` of a JSON error body (OpenAI and Anthropic shapes) over the raw body. */
function extractErrorMessage(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object" && "error" in parsed) {
      const error = (parsed as { error: unknown }).error;
      if (typeof error === "string") return error;
      if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") {
        return (error as { message: string }).message;
      }
    }
  } catch {
    return body;
  }
  return body;
}

export interface ErrorContext {
  providerLabel: string;
  /** Whether any answer text arrived before the error: then a broken connection is a cut stream. */
  receivedText: boolean;
  secrets: readonly string[];
}

/** Maps anything thrown or emitted by fetch / the AI SDK into a ProviderFailure. */
export function failureFromError(error: unknown, context: ErrorContext): ProviderFailure {
  const { providerLabel, receivedText, secrets } = context;
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode;
    if (status !== undefined && (status < 200 || status >= 300)) {
      return failureForStatus(status, providerLabel, cause.responseBody, secrets);
    }
    // A socket dropped while the body streams surfaces as an API call error, with a 2xx status or none.
    if (receivedText) return providerFailure("stream_cut", `${providerLabel} closed the connection before the answer was complete`);
    if (status !== undefined) return providerFailure("bad_response", `${providerLabel} closed the connection without sending an answer`);
    return providerFailure("http_error", `Could not reach ${providerLabel}${upstreamDetail(connectionDetail(cause), secrets)}`);
  }
  const name = cause instanceof Error ? cause.name : "";
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/ended without a finish reason|terminated|socket|ECONNRESET|premature close|other side closed/i.test(message)) {
    return receivedText
      ? providerFailure("stream_cut", `${providerLabel} closed the connection before the answer was complete`)
      : providerFailure("bad_response", `${providerLabel} closed the connection without sending an answer`);
  }
  if (/JSONParse|TypeValidation|InvalidResponseData/i.test(name) || /JSON|parse|validation/i.test(message)) {
    return providerFailure("bad_response", `${providerLabel} sent a response that could not be understood`);
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|fetch failed|connect/i.test(message)) {
    return providerFailure("http_error", `Could not reach ${providerLabel}${upstreamDetail(message, secrets)}`);
  }
  return providerFailure("bad_response", `${providerLabel} call failed${upstreamDetail(message, secrets)}`);
}

function connectionDetail(error: APICallError): string {
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause && typeof cause.code === "string") return cause.code;
  return error.message;
}
