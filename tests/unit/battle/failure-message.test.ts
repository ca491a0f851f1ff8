import { describe, expect, it } from "vitest";
import { publicFailureMessage } from "@/lib/domain/battle/failure-message";

const IDENTITIES = ["local-llama-broken", "The provider", "127.0.0.1", "api.example.com", "9999", "sk-", "Llama"];

describe("publicFailureMessage", () => {
  it("says a refused connection in words naming no model, organization or host", () => {
    const message = publicFailureMessage("http_error", "Could not reach The provider of local-llama-broken: ECONNREFUSED 127.0.0.1:9999");
    expect(message).toBe("This model could not answer (connection refused).");
  });

  it.each([
    ["answered HTTP 503: upstream overloaded at api.example.com", "its service had an error"],
    ["answered HTTP 401: invalid key sk-abc", "its service refused the request"],
    ["Could not reach X: ENOTFOUND api.example.com", "its address could not be resolved"],
    ["Could not reach X: ECONNRESET", "connection reset"],
    ["Could not reach X: UND_ERR_CONNECT_TIMEOUT", "connection timed out"],
    ["Could not reach X: something odd", "its service could not be reached"],
  ])("maps the HTTP error %s to a fixed cause", (stored, cause) => {
    expect(publicFailureMessage("http_error", stored)).toBe(`This model could not answer (${cause}).`);
  });

  it.each(["timeout", "rate_limited", "stream_cut", "bad_response", "empty", "too_large", "config", "aborted", "interrupted", "internal", "something-new", null])(
    "never echoes the stored error for kind %s",
    (kind) => {
      const stored = `Llama of The provider at https://api.example.com:9999 (local-llama-broken, 127.0.0.1) said sk-secret`;
      const message = publicFailureMessage(kind, stored);
      for (const identity of IDENTITIES) expect(message).not.toContain(identity);
      expect(message.length).toBeGreaterThan(10);
    },
  );

  it("tells a server restart and our own faults apart from the model's", () => {
    expect(publicFailureMessage("interrupted", null)).toMatch(/server restart/);
    expect(publicFailureMessage("internal", null)).toMatch(/internal error/);
  });
});
