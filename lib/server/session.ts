import "server-only";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { decodeSessionToken } from "@/lib/server/auth/session-jwt";
import { db } from "@/lib/server/db";
import { promiseCache } from "@/lib/server/promise-cache";
import { loadSessionUser, type SessionUser } from "@/lib/server/services/accounts";

/**
 * next-auth's session cookie (its default name; "__Secure-" when the site is served over HTTPS, as
 * next-auth decides from NEXTAUTH_URL). Large tokens are split into `<name>.0`, `<name>.1`, ….
 */
export const SESSION_COOKIE = `${env.NEXTAUTH_URL?.startsWith("https://") ? "__Secure-" : ""}next-auth.session-token`;

/**
 * Without NEXTAUTH_URL the scheme follows each request (lib/domain/auth/trusted-origin.ts), so a site
 * behind TLS gets next-auth's "__Secure-" cookie: both names are read, the secure one first.
 */
const SESSION_COOKIE_NAMES = env.NEXTAUTH_URL ? [SESSION_COOKIE] : [`__Secure-${SESSION_COOKIE}`, SESSION_COOKIE];

function tokenNamed(pairs: ReadonlyArray<[string, string]>, cookieName: string): string | null {
  const chunks: Array<[number, string]> = [];
  for (const [name, value] of pairs) {
    if (name === cookieName) chunks.push([-1, value]);
    else if (name.startsWith(`${cookieName}.`)) chunks.push([Number.parseInt(name.slice(cookieName.length + 1), 10), value]);
  }
  if (chunks.length === 0) return null;
  return chunks
    .sort((a, b) => a[0] - b[0])
    .map(([, value]) => value)
    .join("");
}

/** The session token from cookies, joining next-auth's chunks in order; null when there is none. */
export function sessionTokenFrom(cookiePairs: Iterable<[string, string]>): string | null {
  const pairs = [...cookiePairs];
  for (const name of SESSION_COOKIE_NAMES) {
    const token = tokenNamed(pairs, name);
    if (token) return token;
  }
  return null;
}

/** name → value pairs of a Cookie request header. */
export function* cookiePairs(header: string | null): Generator<[string, string]> {
  for (const part of header?.split(";") ?? []) {
    const separator = part.indexOf("=");
    if (separator <= 0) continue;
    const value = part.slice(separator + 1).trim();
    try {
      yield [part.slice(0, separator).trim(), decodeURIComponent(value)];
    } catch {
      yield [part.slice(0, separator).trim(), value];
    }
  }
}

/**
 * Tokens already decoded by this process: a token's content never changes, so each browser's token is
 * decrypted once, not on every request; its expiry is still checked on every use. Bounded, and
 * forgotten after a minute, so rotated secrets and old tokens do not linger.
 */
const decodedTokens = promiseCache<string, { id: string; expiresAt: number } | null>("session-tokens", { ttlMs: 60_000, maxEntries: 20_000 });

/**
 * The signed-in user for server components and route handlers, fresh from the database. Route handlers
 * pass their request's headers; server components read the request's cookies from Next.
 */
export async function getCurrentUser(requestHeaders?: Headers): Promise<SessionUser | null> {
  const pairs = requestHeaders ? cookiePairs(requestHeaders.get("cookie")) : (await cookies()).getAll().map((cookie): [string, string] => [cookie.name, cookie.value]);
  const id = await sessionUserId(sessionTokenFrom(pairs));
  return id ? loadSessionUser(db, id) : null;
}

/**
 * The signed-in user's id from the session token, as next-auth's session callback gives it (lib/server/auth/options.ts),
 * or null for no token or a token that does not decode (tampered, expired, another secret). This is what
 * getServerSession answers in the App Router, where it cannot refresh the cookie either, without its
 * per-call setup (options, CSRF token) and the re-encoded token it throws away.
 */
export async function sessionUserId(token: string | null): Promise<string | null> {
  if (!token) return null;
  const decoded = await decodedTokens.get(token, async () => {
    const payload = await decodeSessionToken({ token, secret: env.AUTH_SECRET }).catch(() => null);
    const id = typeof payload?.uid === "string" ? payload.uid : payload?.sub;
    return id ? { id, expiresAt: typeof payload?.exp === "number" ? payload.exp * 1000 : Number.POSITIVE_INFINITY } : null;
  });
  return decoded && decoded.expiresAt > Date.now() ? decoded.id : null;
}
