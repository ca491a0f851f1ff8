import "server-only";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

export interface RateLimitOptions {
  /** Most requests allowed in one window of `windowMs` (whole seconds; shorter windows count as one second on Redis). */
  limit: number;
  windowMs: number;
}

interface RateLimitResult {
  allowed: boolean;
  /** Requests still allowed in the current window after this one. */
  remaining: number;
  /** 0 when allowed; otherwise how long until the window resets and one more request would be allowed. */
  retryAfterMs: number;
}

/**
 * Counters with a fixed window per key (rate-limiter-flexible): the first request of a key opens a window
 * of `windowMs`, at most `limit` requests pass in it, and the key starts afresh when it ends. Refused
 * requests do not move the window's end.
 */
export interface RateLimiter {
  /** Counts one request against `key`. */
  consume(key: string, options: RateLimitOptions): Promise<RateLimitResult>;
  /** Adds `points` to `key` without refusing anything; returns the key's count in its window. */
  penalize(key: string, options: RateLimitOptions & { points?: number }): Promise<number>;
  /** Refuses `key` for `seconds` (consume answers allowed: false until then). */
  block(key: string, options: RateLimitOptions & { seconds: number }): Promise<void>;
  /** How long `key` is still refused (0 when it is not over its limit). */
  blockedForMs(key: string, options: RateLimitOptions): Promise<number>;
  /** Forgets `key`. */
  forget(key: string, options: RateLimitOptions): Promise<void>;
}

type TLimiterFor = (options: RateLimitOptions) => RateLimiterAbstract;

/** rate-limiter-flexible configures limits per limiter object, ours per call: one object per (limit, window). */
function limiterCache(make: (points: number, durationSeconds: number) => RateLimiterAbstract): TLimiterFor {
  const limiters = new Map<string, RateLimiterAbstract>();
  return ({ limit, windowMs }) => {
    const key = `${limit}:${windowMs}`;
    let limiter = limiters.get(key);
    if (!limiter) {
      limiter = make(limit, windowMs / 1000);
      limiters.set(key, limiter);
    }
    return limiter;
  };
}

function wrap(limiterFor: TLimiterFor): RateLimiter {
  return {
    async consume(key, options) {
      try {
        const result = await limiterFor(options).consume(key);
        return { allowed: true, remaining: result.remainingPoints, retryAfterMs: 0 };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { allowed: false, remaining: 0, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
        throw rejection;
      }
    },
    async penalize(key, { points = 1, ...options }) {
      return (await limiterFor(options).penalty(key, points)).consumedPoints;
    },
    async block(key, { seconds, ...options }) {
      await limiterFor(options).block(key, seconds);
    },
    async blockedForMs(key, options) {
      const result = await limiterFor(options).get(key);
      return result && result.consumedPoints > options.limit ? Math.max(1, result.msBeforeNext) : 0;
    },
    async forget(key, options) {
      await limiterFor(options).delete(key);
    },
  };
}

/** Counts for this process only. */
export function createInMemoryRateLimiter(): RateLimiter {
  return wrap(limiterCache((points, duration) => new RateLimiterMemory({ points, duration })));
}

/** The in-process limiter that answers while Redis fails; a consume here means Redis just failed. */
class WarningInsurance extends RateLimiterMemory {
  constructor(
    options: { points: number; duration: number },
    private readonly onUse: (error: unknown) => void,
  ) {
    super(options);
  }

  override consume(...args: Parameters<RateLimiterMemory["consume"]>): ReturnType<RateLimiterMemory["consume"]> {
    this.onUse(new Error("Redis command failed"));
    return super.consume(...args);
  }
}

export interface RedisRateLimiterOptions {
  /** Prepended to every key; tests use a random one. */
  prefix?: string;
  warn?: (message: string, error: unknown) => void;
  /** At most one warning per this many milliseconds. */
  warnEveryMs?: number;
}

/**
 * Counts shared by every instance on one Redis. While Redis fails, the in-process limiter answers
 * (rate-limiter-flexible's insurance limiter), so users are never blocked because Redis is down.
 */
export function createRedisRateLimiter(
  redis: Redis,
  { prefix = "arena:rl", warn = (message, error) => console.warn(message, error), warnEveryMs = 60_000 }: RedisRateLimiterOptions = {},
): RateLimiter {
  let lastWarningAt = -Infinity;
  const warnThrottled = (error: unknown) => {
    const at = Date.now();
    if (at - lastWarningAt < warnEveryMs) return;
    lastWarningAt = at;
    warn("[rate-limit] Redis is unavailable; using the in-process limiter until it is back.", error);
  };
  redis.on("error", warnThrottled);
  return wrap(
    limiterCache((points, duration) => {
      const seconds = Math.max(1, Math.ceil(duration));
      const insuranceLimiter = new WarningInsurance({ points, duration: seconds }, warnThrottled);
      return new RateLimiterRedis({ storeClient: redis, keyPrefix: prefix, points, duration: seconds, insuranceLimiter });
    }),
  );
}
