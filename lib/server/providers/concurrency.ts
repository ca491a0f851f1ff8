import "server-only";

/**
 * In-process FIFO concurrency limiter, one per model. Requests over `maxConcurrency` wait in arrival
 * order; a waiter whose signal aborts leaves the queue without taking a slot. Limits are per process:
 * several app instances each allow `maxConcurrency`.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiters: Array<{ grant: () => void }> = [];

  constructor(readonly maxConcurrency: number) {
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
      throw new RangeError(`maxConcurrency must be a positive integer, got ${maxConcurrency}`);
    }
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.active < this.maxConcurrency) {
      this.active++;
      return Promise.resolve(this.releaseOnce());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          this.active++;
          resolve(this.releaseOnce());
        },
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(abortReason(signal!));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Runs `task` inside a slot, releasing it whatever happens. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  private releaseOnce(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiters.shift()?.grant();
    };
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("Aborted", "AbortError");
}

const limitersBySlug = new Map<string, ConcurrencyLimiter>();

/** Shared limiter for a model slug; replaced when the configured limit changes (in-flight calls finish on the old one). */
export function limiterForModel(slug: string, maxConcurrency: number): ConcurrencyLimiter {
  const existing = limitersBySlug.get(slug);
  if (existing && existing.maxConcurrency === maxConcurrency) return existing;
  const limiter = new ConcurrencyLimiter(maxConcurrency);
  limitersBySlug.set(slug, limiter);
  return limiter;
}
