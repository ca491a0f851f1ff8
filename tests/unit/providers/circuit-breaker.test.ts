import { describe, expect, it } from "vitest";

import { CircuitBreaker } from "@/lib/server/providers/circuit-breaker";

function breakerWithClock(options: Partial<ConstructorParameters<typeof CircuitBreaker>[0]> = {}) {
  const clock = { now: 0 };
  const breaker = new CircuitBreaker({ now: () => clock.now, ...options });
  return { breaker, clock };
}

describe("CircuitBreaker", () => {
  it("starts closed and allows requests", () => {
    const { breaker } = breakerWithClock();
    expect(breaker.state).toBe("closed");
    expect(breaker.canRequest()).toBe(true);
  });

  it("opens after five consecutive failures with a reason", () => {
    const { breaker } = breakerWithClock();
    for (let i = 0; i < 4; i++) expect(breaker.recordFailure("HTTP 500").opened).toBe(false);
    const result = breaker.recordFailure("HTTP 500");
    expect(result.opened).toBe(true);
    expect(result.reason).toMatch(/5 consecutive failures; last: HTTP 500/);
    expect(breaker.state).toBe("open");
    expect(breaker.canRequest()).toBe(false);
  });

  it("resets the consecutive count on success", () => {
    const { breaker } = breakerWithClock();
    for (let i = 0; i < 4; i++) breaker.recordFailure("x");
    breaker.recordSuccess();
    for (let i = 0; i < 4; i++) expect(breaker.recordFailure("x").opened).toBe(false);
  });

  it("opens when half of at least ten calls in the window failed", () => {
    const { breaker } = breakerWithClock({ consecutiveFailures: 100 });
    let opened = false;
    for (let i = 0; i < 10; i++) {
      if (i % 2 === 0) breaker.recordSuccess();
      else opened = breaker.recordFailure("timeout").opened;
    }
    expect(opened).toBe(true);
    expect(breaker.openReason).toMatch(/5 of 10 calls failed/);
  });

  it("forgets outcomes older than the window", () => {
    const { breaker, clock } = breakerWithClock({ consecutiveFailures: 100, windowMs: 1_000 });
    for (let i = 0; i < 9; i++) breaker.recordFailure("old");
    clock.now = 5_000;
    for (let i = 0; i < 5; i++) breaker.recordSuccess();
    expect(breaker.recordFailure("new").opened).toBe(false);
  });

  it("turns half-open after the cooldown and lets exactly one trial through", () => {
    const { breaker, clock } = breakerWithClock({ consecutiveFailures: 1, cooldownMs: 1_000 });
    breaker.recordFailure("x");
    clock.now = 999;
    expect(breaker.state).toBe("open");
    clock.now = 1_000;
    expect(breaker.state).toBe("half_open");
    expect(breaker.canRequest()).toBe(true);
    expect(breaker.canRequest()).toBe(false);
  });

  it("closes after a successful trial", () => {
    const { breaker, clock } = breakerWithClock({ consecutiveFailures: 1, cooldownMs: 10 });
    breaker.recordFailure("x");
    clock.now = 10;
    breaker.canRequest();
    breaker.recordSuccess();
    expect(breaker.state).toBe("closed");
    expect(breaker.openReason).toBeNull();
  });

  it("re-opens after a failed trial, restarting the cooldown", () => {
    const { breaker, clock } = breakerWithClock({ consecutiveFailures: 1, cooldownMs: 10 });
    breaker.recordFailure("x");
    clock.now = 10;
    breaker.canRequest();
    expect(breaker.recordFailure("still down").opened).toBe(true);
    expect(breaker.state).toBe("open");
    expect(breaker.openReason).toMatch(/Trial call after cooldown failed: still down/);
  });

  it("closes on manual reset", () => {
    const { breaker } = breakerWithClock({ consecutiveFailures: 1 });
    breaker.recordFailure("x");
    breaker.reset();
    expect(breaker.state).toBe("closed");
  });
});
