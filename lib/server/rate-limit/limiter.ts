import "server-only";

export interface RateLimitOptions {
  /** Most requests allowed in any window of `windowMs`. */
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Requests still allowed in the current window after this one. */
  remaining: number;
  /** 0 when allowed; otherwise how long until one more request would be allowed. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Counts one request against `key` (a refused request is not counted). */
  consume(key: string, options: RateLimitOptions): Promise<RateLimitResult>;
}

export interface InMemoryRateLimiterOptions {
  now?: () => number;
  /** Past this many tracked keys, expired ones are dropped, then the oldest, so memory stays bounded. */
  maxKeys?: number;
}

/**
 * Exact sliding window (a log of request times per key) for one process. Limits here are tens per
 * minute, so each log is short. Invariant: in any interval of length `windowMs`, at most `limit` requests
 * of a key are allowed.
 */
export function createInMemoryRateLimiter({ now = Date.now, maxKeys = 50_000 }: InMemoryRateLimiterOptions = {}): RateLimiter {
  const logs = new Map<string, { hits: number[]; windowMs: number }>();

  function evictIfFull(at: number) {
    if (logs.size < maxKeys) return;
    for (const [key, log] of logs) {
      if ((log.hits.at(-1) ?? -Infinity) <= at - log.windowMs) logs.delete(key);
    }
    for (const key of logs.keys()) {
      if (logs.size < maxKeys) break;
      logs.delete(key);
    }
  }

  return {
    async consume(key, { limit, windowMs }) {
      const at = now();
      let log = logs.get(key);
      if (!log) {
        evictIfFull(at);
        log = { hits: [], windowMs };
        logs.set(key, log);
      }
      log.windowMs = windowMs;
      const firstLive = log.hits.findIndex((time) => time > at - windowMs);
      log.hits = firstLive === -1 ? [] : log.hits.slice(firstLive);
      if (log.hits.length < limit) {
        log.hits.push(at);
        return { allowed: true, remaining: limit - log.hits.length, retryAfterMs: 0 };
      }
      return { allowed: false, remaining: 0, retryAfterMs: Math.max(1, log.hits[0]! + windowMs - at) };
    },
  };
}
