/**
 * What an annotator is told about a failed side. The stored error (errorMessage) names the provider,
 * the host and whatever the upstream said, which would tell a blind annotator which model failed; the
 * public text is chosen from a fixed vocabulary by the failure's kind, with a short cause read from the
 * stored error (connection refused, an HTTP status class, ...). Nothing of the stored text is copied,
 * so no model, organization, host or endpoint can reach the page. Admins read the stored error.
 */

/** errorKind of a side whose generation failed through our own fault (not the model's). */
export const INTERNAL_FAILURE_KIND = "internal";
/** errorKind of a side cut off by a server restart (lib/server/battles/event-stream.ts). */
export const INTERRUPTED_FAILURE_KIND = "interrupted";

const CONNECTION_CAUSES: ReadonlyArray<[RegExp, string]> = [
  [/ECONNREFUSED/, "connection refused"],
  [/ENOTFOUND|EAI_AGAIN/, "its address could not be resolved"],
  [/ECONNRESET|EPIPE/, "connection reset"],
  [/ETIMEDOUT|CONNECT_TIMEOUT/i, "connection timed out"],
  [/CERT|TLS|SSL/i, "secure connection failed"],
];

function httpErrorCause(stored: string): string {
  const status = /\bHTTP (\d{3})\b/.exec(stored)?.[1];
  if (status) return status.startsWith("5") ? "its service had an error" : "its service refused the request";
  for (const [pattern, cause] of CONNECTION_CAUSES) if (pattern.test(stored)) return cause;
  return "its service could not be reached";
}

/**
 * The annotator-facing sentence for a failed side; `storedMessage` is only matched against, never
 * echoed. Invariant: the result is one of a fixed set of sentences, whatever the inputs.
 */
export function publicFailureMessage(kind: string | null, storedMessage: string | null): string {
  const stored = storedMessage ?? "";
  switch (kind) {
    case "timeout":
      return "This model could not answer (it did not finish in time).";
    case "rate_limited":
      return "This model could not answer (it is receiving too many requests right now).";
    case "http_error":
      return `This model could not answer (${httpErrorCause(stored)}).`;
    case "stream_cut":
      return "This model's answer was cut off before it was complete.";
    case "bad_response":
      return "This model could not answer (its response could not be read).";
    case "empty":
      return "This model returned an empty answer.";
    case "too_large":
      return "This model could not answer (its output was too large).";
    case "config":
      return "This model could not answer (it is not set up correctly).";
    case "aborted":
      return "The answer was interrupted. Retry this side.";
    case INTERRUPTED_FAILURE_KIND:
      return "The answer was interrupted by a server restart. Retry this side.";
    case INTERNAL_FAILURE_KIND:
      return "The answer could not be generated because of an internal error. Retry this side.";
    default:
      return "This model could not answer.";
  }
}
