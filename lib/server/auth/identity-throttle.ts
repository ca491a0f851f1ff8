import "server-only";
import { createHash } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/server/errors";
import { rateLimited } from "@/lib/server/metrics";
import { getRateLimiter, type RateLimiter, type RateLimitOptions } from "@/lib/server/rate-limit";

/**
 * Limits on the endpoints that create identities or test passwords (sign-in, sign-up, guest sessions),
 * per client address and per account, plus an exponential backoff after repeated failed sign-ins.
 * The answers never depend on whether an account exists: the account key is the typed email, hashed.
 */
export type TIdentityAction = "sign_in" | "sign_up" | "guest";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

interface TLimit extends RateLimitOptions {
  scope: "ip" | "account";
}

function limitsOf(action: TIdentityAction): TLimit[] {
  switch (action) {
    case "sign_in":
      return [
        { scope: "ip", limit: env.RATE_LIMIT_SIGN_INS_PER_MINUTE, windowMs: MINUTE_MS },
        { scope: "account", limit: Math.max(1, Math.ceil(env.RATE_LIMIT_SIGN_INS_PER_MINUTE / 2)), windowMs: MINUTE_MS },
      ];
    case "sign_up":
      return [
        { scope: "ip", limit: env.RATE_LIMIT_SIGN_UPS_PER_HOUR, windowMs: HOUR_MS },
        { scope: "account", limit: 3, windowMs: HOUR_MS },
      ];
    case "guest":
      return [{ scope: "ip", limit: env.RATE_LIMIT_GUESTS_PER_HOUR, windowMs: HOUR_MS }];
  }
}

/** The account key: a digest of the normalized email, so no address is kept in memory or Redis. */
function accountKey(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("base64url").slice(0, 22);
}

function waitWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

export function tooManyAttemptsMessage(action: TIdentityAction, retryAfterMs: number): string {
  const what = action === "sign_in" ? "sign-in attempts" : action === "sign_up" ? "sign-ups" : "new guest sessions";
  return `Too many ${what} from here — try again in ${waitWords(retryAfterMs)}.`;
}

export interface TIdentityRequest {
  ip: string | null;
  /** The email typed (sign-in, sign-up). */
  email?: string | null;
}

function keysOf(action: TIdentityAction, { ip, email }: TIdentityRequest, scope: TLimit["scope"]): string | null {
  if (scope === "ip") return ip ? `${action}:ip:${ip}` : null;
  return email ? `${action}:account:${accountKey(email)}` : null;
}

/**
 * Counts one attempt of `action`; throws TOO_MANY_REQUESTS (with the wait) when the address or the
 * account is over its limit, or, for sign-in, still in a backoff after failed attempts.
 */
export async function throttleIdentityAction(action: TIdentityAction, request: TIdentityRequest, limiter: RateLimiter = getRateLimiter()): Promise<void> {
  if (action === "sign_in") {
    const waitMs = await backoffRemainingMs(request, limiter);
    if (waitMs > 0) {
      rateLimited.inc({ kind: action, scope: "backoff" });
      throw new AppError("TOO_MANY_REQUESTS", tooManyAttemptsMessage(action, waitMs));
    }
  }
  for (const limit of limitsOf(action)) {
    const key = keysOf(action, request, limit.scope);
    if (!key) continue;
    const result = await limiter.consume(key, limit);
    if (!result.allowed) {
      rateLimited.inc({ kind: action, scope: limit.scope });
      throw new AppError("TOO_MANY_REQUESTS", tooManyAttemptsMessage(action, result.retryAfterMs));
    }
  }
}

/** Failed sign-ins are counted for an hour; a success forgets them. */
const FAILURES: RateLimitOptions = { limit: Number.MAX_SAFE_INTEGER, windowMs: HOUR_MS };
const LOCKOUT: RateLimitOptions = { limit: 1, windowMs: HOUR_MS };

function backoffKeys(request: TIdentityRequest): string[] {
  return (["ip", "account"] as const).map((scope) => keysOf("sign_in", request, scope)).filter((key): key is string => key !== null);
}

/**
 * The backoff after the `failures`-th failed sign-in of a key: none for the first
 * SIGN_IN_FREE_FAILURES, then 1 s, 2 s, 4 s, … doubling up to SIGN_IN_MAX_BACKOFF_SECONDS.
 */
export function backoffSeconds(failures: number, free = env.SIGN_IN_FREE_FAILURES, max = env.SIGN_IN_MAX_BACKOFF_SECONDS): number {
  if (failures <= free) return 0;
  return Math.min(max, 2 ** Math.min(30, failures - free - 1));
}

async function backoffRemainingMs(request: TIdentityRequest, limiter: RateLimiter): Promise<number> {
  let waitMs = 0;
  for (const key of backoffKeys(request)) waitMs = Math.max(waitMs, await limiter.blockedForMs(`${key}:lockout`, LOCKOUT));
  return waitMs;
}

/** Records a failed sign-in for the address and the account, starting their backoff once past the free failures. */
export async function recordFailedSignIn(request: TIdentityRequest, limiter: RateLimiter = getRateLimiter()): Promise<void> {
  for (const key of backoffKeys(request)) {
    const failures = await limiter.penalize(`${key}:failures`, FAILURES);
    const seconds = backoffSeconds(failures);
    if (seconds > 0) await limiter.block(`${key}:lockout`, { ...LOCKOUT, seconds });
  }
}

/** A successful sign-in ends the account's backoff (the address keeps its own: it may be guessing other accounts). */
export async function recordSuccessfulSignIn(request: TIdentityRequest, limiter: RateLimiter = getRateLimiter()): Promise<void> {
  const key = keysOf("sign_in", request, "account");
  if (!key) return;
  await limiter.forget(`${key}:failures`, FAILURES);
  await limiter.forget(`${key}:lockout`, LOCKOUT);
}
