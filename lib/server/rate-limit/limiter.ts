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
 * Exact sliding window (a log of request times per key) for one process. Invariant: in any interval of
 * length `windowMs`, at most `limit` requests of a key are allowed. A log can be long (a per-IP key of
 * many users behind one address holds every request of the last minute), so expired times are skipped
 * with a start index and the array is compacted only once most of it has expired: each request costs
 * amortized constant time, not a copy of the whole log.
 */
export function createInMemoryRateLimiter({ now = Date.now, maxKeys = 50_000 }: InMemoryRateLimiterOptions = {}): RateLimiter {
  /** hits[start..] are the live request times, oldest first. */
  const logs = new Map<string, { hits: number[]; start: number; windowMs: number }>();

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
        log = { hits: [], start: 0, windowMs };
        logs.set(key, log);
      }
      log.windowMs = windowMs;
      const { hits } = log;
      while (log.start < hits.length && hits[log.start]! <= at - windowMs) log.start += 1;
      if (log.start > 0 && log.start * 2 >= hits.length) {
        hits.splice(0, log.start);
        log.start = 0;
      }
      const live = hits.length - log.start;
      if (live < limit) {
        hits.push(at);
        return { allowed: true, remaining: limit - live - 1, retryAfterMs: 0 };
      }
      return { allowed: false, remaining: 0, retryAfterMs: Math.max(1, hits[log.start]! + windowMs - at) };
    },
  };
}
