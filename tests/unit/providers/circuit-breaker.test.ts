import { describe, expect, it } from "vitest";

import { circuitBreakerVerdict, type TCircuitBreakerPolicy } from "@/lib/server/providers/circuit-breaker";

const policy: TCircuitBreakerPolicy = { failures: 3, windowMs: 10 * 60_000, failureRate: 0.5 };

describe("circuitBreakerVerdict", () => {
  it("stays closed below the failure count", () => {
    expect(circuitBreakerVerdict({ failures: 2, successes: 0, consecutive: 2 }, policy, "http_error: x")).toEqual({ trip: false });
  });

  it("trips at the failure count when every answer in the window failed, naming the count, window and last error", () => {
    const verdict = circuitBreakerVerdict({ failures: 3, successes: 0, consecutive: 3 }, policy, "http_error: Could not reach X: ECONNREFUSED");
    expect(verdict).toEqual({ trip: true, reason: "3 failed answers in the last 10 min (100% of 3; 3 in a row); last: http_error: Could not reach X: ECONNREFUSED" });
  });

  it("does not trip a busy model whose failures are a small share of its answers", () => {
    expect(circuitBreakerVerdict({ failures: 10, successes: 990, consecutive: 1 }, policy, "timeout: slow")).toEqual({ trip: false });
  });

  it("trips exactly at the failure rate", () => {
    expect(circuitBreakerVerdict({ failures: 4, successes: 4, consecutive: 1 }, policy, "x")).toMatchObject({ trip: true, reason: expect.stringContaining("50% of 8") });
    expect(circuitBreakerVerdict({ failures: 4, successes: 5, consecutive: 2 }, policy, "x")).toEqual({ trip: false });
  });

  it("trips a busy model whose last answers all failed (its provider went down)", () => {
    const verdict = circuitBreakerVerdict({ failures: 3, successes: 500, consecutive: 3 }, policy, "http_error: down");
    expect(verdict).toEqual({ trip: true, reason: "3 failed answers in the last 10 min (1% of 503; 3 in a row); last: http_error: down" });
  });

  it("does not count failures in a row that fall outside the window", () => {
    expect(circuitBreakerVerdict({ failures: 1, successes: 0, consecutive: 3 }, policy, "x")).toEqual({ trip: false });
  });

  it("with a failure rate of 0 trips on the count alone", () => {
    expect(circuitBreakerVerdict({ failures: 3, successes: 1000, consecutive: 1 }, { ...policy, failureRate: 0 }, "x").trip).toBe(true);
  });

  it("describes short and long windows in fitting units", () => {
    expect(circuitBreakerVerdict({ failures: 1, successes: 0, consecutive: 1 }, { failures: 1, windowMs: 30_000, failureRate: 0.5 }, "x")).toMatchObject({ reason: expect.stringContaining("last 30 s") });
    expect(circuitBreakerVerdict({ failures: 1, successes: 0, consecutive: 1 }, { failures: 1, windowMs: 6 * 3600_000, failureRate: 0.5 }, "x")).toMatchObject({ reason: expect.stringContaining("last 6 h") });
  });
});
