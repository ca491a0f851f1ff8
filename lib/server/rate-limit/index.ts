import "server-only";
import { Redis } from "ioredis";
import { env } from "@/lib/env";
import { AppError } from "@/lib/server/errors";
import { rateLimited } from "@/lib/server/metrics";
import { createInMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from "./limiter";

export { createInMemoryRateLimiter, createRedisRateLimiter, type RateLimiter, type RateLimitOptions } from "./limiter";

/**
 * Redis-backed (shared by every instance) when REDIS_URL is set, otherwise in-process. Commands fail fast
 * while Redis is unreachable (no offline queue, short timeout) and fall back to the in-process limiter.
 */
function createRateLimiter(redisUrl: string | undefined = env.REDIS_URL): RateLimiter {
  if (!redisUrl) return createInMemoryRateLimiter();
  const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 });
  return createRedisRateLimiter(redis);
}

const globalForRateLimit = globalThis as unknown as { arenaRateLimiter?: RateLimiter };

/** One limiter per process (dev hot reload would otherwise open a Redis connection per edit). */
export function getRateLimiter(): RateLimiter {
  return (globalForRateLimit.arenaRateLimiter ??= createRateLimiter());
}

/** Drops this process's limiter and its in-process counts; the next request makes a new one (the integration tests share one process between files). */
export function forgetRateLimiter(): void {
  globalForRateLimit.arenaRateLimiter = undefined;
}

export type RateLimitedAction = "battle" | "vote";

const WINDOW_MS = 60_000;
/**
 * An address may carry several people (campus networks, carrier NAT), so its limit is this many users'
 * worth; it still stops one client from multiplying its budget by opening guest sessions.
 */
export const IP_LIMIT_FACTOR = 4;

function perMinuteLimit(kind: RateLimitedAction): number {
  return kind === "battle" ? env.RATE_LIMIT_BATTLES_PER_MINUTE : env.RATE_LIMIT_VOTES_PER_MINUTE;
}

export function tooFastMessage(retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `You're going a bit fast — try again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`;
}

export interface EnforceRateLimitOptions {
  limiter?: RateLimiter;
  /** Requests per minute for one user (guests are users too); defaults to the env limit of `kind`. */
  perMinute?: number;
}

/**
 * Counts one `kind` action for the user (guest sessions have a user id too) and for the client address;
 * throws TOO_MANY_REQUESTS with the wait time when either is over its per-minute limit.
 */
export async function enforceRateLimit(
  kind: RateLimitedAction,
  { userId, ip }: { userId: string; ip: string | null },
  { limiter = getRateLimiter(), perMinute = perMinuteLimit(kind) }: EnforceRateLimitOptions = {},
): Promise<void> {
  const checks = [{ scope: "user", key: `${kind}:user:${userId}`, limit: perMinute }];
  if (ip) checks.push({ scope: "ip", key: `${kind}:ip:${ip}`, limit: perMinute * IP_LIMIT_FACTOR });
  for (const { scope, key, limit } of checks) {
    const result = await limiter.consume(key, { limit, windowMs: WINDOW_MS });
    if (!result.allowed) {
      rateLimited.inc({ kind, scope });
      throw new AppError("TOO_MANY_REQUESTS", tooFastMessage(result.retryAfterMs));
    }
  }
}

export interface DailyVoteCapStatus {
  used: number;
  cap: number;
  remaining: number;
  reached: boolean;
}

export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** `used` votes since midnight UTC (startOfUtcDay; counted by the store's readBattleToVote) against DAILY_VOTE_CAP. */
export function dailyVoteCapStatus(used: number, cap: number = env.DAILY_VOTE_CAP): DailyVoteCapStatus {
  return { used, cap, remaining: Math.max(0, cap - used), reached: used >= cap };
}

/** Throws TOO_MANY_REQUESTS when the user already cast today's (UTC) cap of votes. */
export function assertUnderDailyVoteCap(status: DailyVoteCapStatus): void {
  if (status.reached) {
    throw new AppError("TOO_MANY_REQUESTS", `You've reached today's limit of ${status.cap} ${status.cap === 1 ? "vote" : "votes"} — thank you! You can vote again after midnight UTC.`);
  }
}
