import "server-only";
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { RateLimiter } from "./limiter";

/**
 * Sliding window log in a sorted set, atomic in one script. Time comes from the Redis server so every
 * app instance uses the same clock. Returns { allowed (1|0), remaining, retryAfterMs }.
 */
const SLIDING_WINDOW_SCRIPT = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local member = ARGV[3]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
  return {1, limit - count - 1, 0}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local retry = tonumber(oldest[2]) + window - now
if retry < 1 then retry = 1 end
return {0, 0, retry}
`;

export interface RedisRateLimiterOptions {
  /** Prepended to every key; tests use a random one. */
  prefix?: string;
  /** Used while Redis fails, so users are never blocked because Redis is down. */
  fallback: RateLimiter;
  warn?: (message: string, error: unknown) => void;
  /** At most one warning per this many milliseconds. */
  warnEveryMs?: number;
}

export function createRedisRateLimiter(
  redis: Redis,
  { prefix = "arena:rl:", fallback, warn = (message, error) => console.warn(message, error), warnEveryMs = 60_000 }: RedisRateLimiterOptions,
): RateLimiter {
  let lastWarningAt = -Infinity;
  const warnThrottled = (error: unknown) => {
    const at = Date.now();
    if (at - lastWarningAt < warnEveryMs) return;
    lastWarningAt = at;
    warn("[rate-limit] Redis is unavailable; using the in-process limiter until it is back.", error);
  };
  redis.on("error", warnThrottled);

  return {
    async consume(key, options) {
      try {
        const member = `${Date.now()}-${randomBytes(6).toString("hex")}`;
        const [allowed, remaining, retryAfterMs] = (await redis.eval(
          SLIDING_WINDOW_SCRIPT,
          1,
          prefix + key,
          options.limit,
          options.windowMs,
          member,
        )) as [number, number, number];
        return { allowed: allowed === 1, remaining, retryAfterMs };
      } catch (error) {
        warnThrottled(error);
        return fallback.consume(key, options);
      }
    },
  };
}
