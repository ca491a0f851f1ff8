import { describe, expect, it } from "vitest";

import { ConcurrencyLimiter, limiterForModel } from "@/lib/server/providers/concurrency";

describe("ConcurrencyLimiter", () => {
  it("grants up to maxConcurrency slots at once", async () => {
    const limiter = new ConcurrencyLimiter(2);
    await limiter.acquire();
    await limiter.acquire();
    expect(limiter.inFlight).toBe(2);
    let third = false;
    void limiter.acquire().then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
    expect(limiter.queued).toBe(1);
  });

  it("serves waiters in arrival order", async () => {
    const limiter = new ConcurrencyLimiter(1);
    const release = await limiter.acquire();
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) => limiter.acquire().then((next) => (order.push(n), next())));
    release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
  });

  it("ignores a second release of the same slot", async () => {
    const limiter = new ConcurrencyLimiter(1);
    const release = await limiter.acquire();
    release();
    release();
    expect(limiter.inFlight).toBe(0);
  });

  it("removes an aborted waiter from the queue without taking a slot", async () => {
    const limiter = new ConcurrencyLimiter(1);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeDefined();
    expect(limiter.queued).toBe(0);
    release();
    expect(limiter.inFlight).toBe(0);
  });

  it("releases the slot when a task throws", async () => {
    const limiter = new ConcurrencyLimiter(1);
    await expect(limiter.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(limiter.inFlight).toBe(0);
  });

  it("never runs more than the limit among many tasks", async () => {
    const limiter = new ConcurrencyLimiter(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setImmediate(resolve));
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it("rejects a non-positive limit", () => {
    expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError);
  });
});

describe("limiterForModel", () => {
  it("shares one limiter per slug and replaces it when the limit changes", () => {
    const first = limiterForModel("model-a", 2);
    expect(limiterForModel("model-a", 2)).toBe(first);
    expect(limiterForModel("model-a", 3)).not.toBe(first);
  });
});
