import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import {
  assertUnderDailyVoteCap,
  dailyVoteCapStatus,
  createInMemoryRateLimiter,
  createRedisRateLimiter,
  enforceRateLimit,
  IP_LIMIT_FACTOR,
  startOfUtcDay,
  tooFastMessage,
  type RateLimiter,
} from "@/lib/server/rate-limit";
import { storeOf } from "@/lib/server/store";
import { resetDatabase } from "../helpers/db";

const REDIS_URL = "redis://127.0.0.1:6379";

async function consumeTimes(limiter: RateLimiter, key: string, times: number, limit: number, windowMs: number) {
  const results = [];
  for (let i = 0; i < times; i++) results.push(await limiter.consume(key, { limit, windowMs }));
  return results;
}

describe("in-process fixed window (rate-limiter-flexible)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("allows `limit` requests and counts down remaining", async () => {
    const results = await consumeTimes(createInMemoryRateLimiter(), "k", 3, 3, 1000);
    expect(results.map((r) => [r.allowed, r.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
    ]);
  });

  it("refuses the request over the limit with the time until the window ends", async () => {
    const limiter = createInMemoryRateLimiter();
    await limiter.consume("k", { limit: 2, windowMs: 1000 });
    vi.advanceTimersByTime(300);
    await limiter.consume("k", { limit: 2, windowMs: 1000 });
    vi.advanceTimersByTime(100);
    expect(await limiter.consume("k", { limit: 2, windowMs: 1000 })).toEqual({ allowed: false, remaining: 0, retryAfterMs: 600 });
  });

  it("allows again once the window ended", async () => {
    const limiter = createInMemoryRateLimiter();
    await consumeTimes(limiter, "k", 2, 2, 1000);
    vi.advanceTimersByTime(999);
    expect((await limiter.consume("k", { limit: 2, windowMs: 1000 })).allowed).toBe(false);
    vi.advanceTimersByTime(1);
    expect((await limiter.consume("k", { limit: 2, windowMs: 1000 })).allowed).toBe(true);
  });

  it("does not let refused requests push the window's end", async () => {
    const limiter = createInMemoryRateLimiter();
    await consumeTimes(limiter, "k", 5, 1, 1000);
    vi.advanceTimersByTime(1000);
    expect((await limiter.consume("k", { limit: 1, windowMs: 1000 })).allowed).toBe(true);
  });

  it("keeps keys apart", async () => {
    const limiter = createInMemoryRateLimiter();
    await limiter.consume("a", { limit: 1, windowMs: 1000 });
    expect((await limiter.consume("b", { limit: 1, windowMs: 1000 })).allowed).toBe(true);
  });

  it("never allows more than `limit` in one window, on long irregular traffic (many users behind one address)", async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const limiter = createInMemoryRateLimiter();
    const [limit, windowMs] = [300, 1000];
    let windowStart: number | null = null;
    let allowedInWindow = 0;
    let refused = 0;
    for (let request = 0; request < 20_000; request++) {
      vi.advanceTimersByTime(random() < 0.3 ? Math.floor(random() * 20) : 0);
      if (windowStart === null || Date.now() >= windowStart + windowMs) {
        windowStart = Date.now();
        allowedInWindow = 0;
      }
      const result = await limiter.consume("203.0.113.9", { limit, windowMs });
      const expected = allowedInWindow < limit;
      expect(result.allowed).toBe(expected);
      if (expected) allowedInWindow += 1;
      else {
        refused += 1;
        expect(result.retryAfterMs).toBe(windowStart + windowMs - Date.now());
      }
    }
    expect(refused).toBeGreaterThan(1000);
    expect(refused).toBeLessThan(19_000);
  });

  it("blocks a key for a given time, reports how long, and forgets it", async () => {
    const limiter = createInMemoryRateLimiter();
    const options = { limit: 1, windowMs: 60_000 };
    expect(await limiter.blockedForMs("k", options)).toBe(0);
    await limiter.block("k", { ...options, seconds: 8 });
    expect(await limiter.blockedForMs("k", options)).toBe(8000);
    vi.advanceTimersByTime(3000);
    expect(await limiter.blockedForMs("k", options)).toBe(5000);
    await limiter.forget("k", options);
    expect(await limiter.blockedForMs("k", options)).toBe(0);
  });

  it("counts penalties without refusing", async () => {
    const limiter = createInMemoryRateLimiter();
    const options = { limit: 2, windowMs: 60_000 };
    expect(await limiter.penalize("k", options)).toBe(1);
    expect(await limiter.penalize("k", options)).toBe(2);
    expect(await limiter.penalize("k", options)).toBe(3);
  });
});

describe("Redis fixed window (rate-limiter-flexible)", () => {
  let redis: Redis;
  let prefix: string;
  let limiter: RateLimiter;
  const warnings: string[] = [];

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  beforeEach(() => {
    prefix = `test:rl:${randomBytes(6).toString("hex")}`;
    limiter = createRedisRateLimiter(redis, { prefix, warn: (message) => warnings.push(message) });
  });
  afterAll(async () => {
    const keys = await redis.keys("test:rl:*");
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it("allows `limit` requests, then refuses with a wait no longer than the window", async () => {
    const results = await consumeTimes(limiter, "k", 4, 3, 60_000);
    expect(results.slice(0, 3).map((r) => [r.allowed, r.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
    ]);
    expect(results[3]!.allowed).toBe(false);
    expect(results[3]!.retryAfterMs).toBeGreaterThan(59_000);
    expect(results[3]!.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(warnings).toEqual([]);
  });

  it("shares counts between limiters (instances) on one Redis", async () => {
    const otherInstance = createRedisRateLimiter(redis, { prefix });
    await limiter.consume("shared", { limit: 2, windowMs: 60_000 });
    await otherInstance.consume("shared", { limit: 2, windowMs: 60_000 });
    expect((await limiter.consume("shared", { limit: 2, windowMs: 60_000 })).allowed).toBe(false);
  });

  it("is atomic under concurrent requests", async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => limiter.consume("burst", { limit: 10, windowMs: 60_000 })));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });

  it("allows again after the advertised retry time", async () => {
    await limiter.consume("short", { limit: 1, windowMs: 1000 });
    const refused = await limiter.consume("short", { limit: 1, windowMs: 1000 });
    expect(refused.allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs + 5));
    expect((await limiter.consume("short", { limit: 1, windowMs: 1000 })).allowed).toBe(true);
  });

  it("sets an expiry so idle keys disappear", async () => {
    await limiter.consume("ttl", { limit: 5, windowMs: 30_000 });
    const ttl = await redis.pttl(`${prefix}:ttl`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it("shares a backoff block between instances", async () => {
    const otherInstance = createRedisRateLimiter(redis, { prefix });
    await limiter.block("locked", { limit: 1, windowMs: 3_600_000, seconds: 30 });
    const waitMs = await otherInstance.blockedForMs("locked", { limit: 1, windowMs: 3_600_000 });
    expect(waitMs).toBeGreaterThan(29_000);
    expect(waitMs).toBeLessThanOrEqual(30_000);
  });

  it("falls back to the in-process limiter, with one warning, while Redis is unreachable", async () => {
    const unreachable = new Redis("redis://127.0.0.1:1", { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    const warn = vi.fn();
    const fallingBack = createRedisRateLimiter(unreachable, { prefix, warn });
    const results = await consumeTimes(fallingBack, "down", 3, 2, 60_000);
    expect(results.map((r) => r.allowed)).toEqual([true, true, false]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/Redis is unavailable/);
    unreachable.disconnect();
  });
});

describe("enforceRateLimit", () => {
  it("throws TOO_MANY_REQUESTS with the wait in seconds when the user is over the limit", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const limiter = createInMemoryRateLimiter();
    await enforceRateLimit("battle", { userId: "u1", ip: null }, { limiter, perMinute: 2 });
    vi.advanceTimersByTime(15_000);
    await enforceRateLimit("battle", { userId: "u1", ip: null }, { limiter, perMinute: 2 });
    const error = await enforceRateLimit("battle", { userId: "u1", ip: null }, { limiter, perMinute: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("TOO_MANY_REQUESTS");
    expect((error as AppError).message).toBe("You're going a bit fast — try again in 45 seconds.");
    vi.useRealTimers();
  });

  it("counts battles and votes separately", async () => {
    const limiter = createInMemoryRateLimiter();
    await enforceRateLimit("battle", { userId: "u1", ip: null }, { limiter, perMinute: 1 });
    await expect(enforceRateLimit("vote", { userId: "u1", ip: null }, { limiter, perMinute: 1 })).resolves.toBeUndefined();
  });

  it("limits one address across many guest sessions", async () => {
    const limiter = createInMemoryRateLimiter();
    const perMinute = 2;
    for (let guest = 0; guest < IP_LIMIT_FACTOR; guest++) {
      for (let i = 0; i < perMinute; i++) await enforceRateLimit("vote", { userId: `guest-${guest}`, ip: "203.0.113.9" }, { limiter, perMinute });
    }
    await expect(enforceRateLimit("vote", { userId: "guest-new", ip: "203.0.113.9" }, { limiter, perMinute })).rejects.toThrow(/a bit fast/);
    await expect(enforceRateLimit("vote", { userId: "guest-new", ip: "198.51.100.1" }, { limiter, perMinute })).resolves.toBeUndefined();
  });

  it("words the wait in whole seconds, at least one", () => {
    expect(tooFastMessage(1)).toBe("You're going a bit fast — try again in 1 second.");
    expect(tooFastMessage(1001)).toBe("You're going a bit fast — try again in 2 seconds.");
  });
});

describe("daily vote cap", () => {
  beforeEach(() => resetDatabase(db));

  /** The user's votes since midnight UTC of `now`, as recordVote counts them (with a battle of theirs: the store's readBattleToVote). */
  const votesToday = async (userId: string, now: Date) => {
    const battle = await db.battle.findFirstOrThrow({ where: { userId }, select: { id: true } });
    return (await (await storeOf(db)).readBattleToVote(battle.id, startOfUtcDay(now)))!.counts.votesOfUserSince;
  };

  async function voteAt(userId: string, createdAt: Date) {
    const org = await db.organization.upsert({ where: { slug: "org" }, update: {}, create: { slug: "org", name: "Org" } });
    const model = (slug: string) =>
      db.arenaModel.upsert({
        where: { slug },
        update: {},
        create: { slug, displayName: slug, organizationId: org.id, modality: "text", providerKind: "demo", providerModelId: slug, extraParams: {} },
      });
    const [a, b] = [await model("model-a"), await model("model-b")];
    const battle = await db.battle.create({
      data: { publicId: randomBytes(8).toString("hex"), userId, modality: "text", modelAId: a.id, modelBId: b.id, status: "voted" },
    });
    await db.vote.create({ data: { battleId: battle.id, userId, modality: "text", modelAId: a.id, modelBId: b.id, outcome: "tie", createdAt } });
  }

  it("counts only today's (UTC) votes of that user", async () => {
    const user = await db.user.create({ data: { email: "cap@example.com" } });
    const other = await db.user.create({ data: { email: "other@example.com" } });
    const now = new Date("2026-03-10T00:30:00Z");
    await voteAt(user.id, new Date("2026-03-09T23:59:59Z"));
    await voteAt(user.id, new Date("2026-03-10T00:00:00Z"));
    await voteAt(user.id, new Date("2026-03-10T00:10:00Z"));
    await voteAt(other.id, new Date("2026-03-10T00:10:00Z"));
    expect(dailyVoteCapStatus(await votesToday(user.id, now), 3)).toEqual({ used: 2, cap: 3, remaining: 1, reached: false });
    expect(dailyVoteCapStatus(await votesToday(user.id, now), 2)).toEqual({ used: 2, cap: 2, remaining: 0, reached: true });
  });

  it("throws a friendly TOO_MANY_REQUESTS once the cap is reached", async () => {
    const user = await db.user.create({ data: { email: "cap2@example.com" } });
    const now = new Date("2026-03-10T12:00:00Z");
    await voteAt(user.id, new Date("2026-03-10T11:00:00Z"));
    expect(() => assertUnderDailyVoteCap(dailyVoteCapStatus(1, 2))).not.toThrow();
    expect(await votesToday(user.id, now)).toBe(1);
    expect(() => assertUnderDailyVoteCap(dailyVoteCapStatus(1, 1))).toThrow(expect.objectContaining({ code: "TOO_MANY_REQUESTS", message: expect.stringMatching(/today's limit of 1 vote —/) }));
  });

  it("starts the day at midnight UTC", () => {
    expect(startOfUtcDay(new Date("2026-03-10T23:59:59.999Z")).toISOString()).toBe("2026-03-10T00:00:00.000Z");
  });
});

