import "server-only";
import { decode } from "next-auth/jwt";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";
import { promiseCache } from "@/lib/server/promise-cache";
import { sessionUserOfRequest, type SessionUser } from "@/lib/server/services/accounts";

/**
 * next-auth's session cookie, by its default names: "__Secure-" in front when the cookie was set over
 * HTTPS (authOptionsFor in lib/server/auth/options.ts decides per request). Large tokens are split into `<name>.0`, `<name>.1`, ….
 */
export const SESSION_COOKIE = "next-auth.session-token";
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;

/**
 * The session token from cookies, joining next-auth's chunks in order; null when there is none. The
 * Secure cookie wins when both are present (a browser sets a "__Secure-" cookie only over HTTPS).
 */
export function sessionTokenFrom(cookiePairs: Iterable<[string, string]>): string | null {
  const chunksByName = new Map<string, Array<[number, string]>>([[SECURE_SESSION_COOKIE, []], [SESSION_COOKIE, []]]);
  for (const [name, value] of cookiePairs) {
    for (const [cookieName, found] of chunksByName) {
      if (name === cookieName) found.push([-1, value]);
      else if (name.startsWith(`${cookieName}.`)) found.push([Number.parseInt(name.slice(cookieName.length + 1), 10), value]);
    }
  }
  const chunks = [...chunksByName.values()].find((found) => found.length > 0);
  if (!chunks) return null;
  return chunks
    .sort((a, b) => a[0] - b[0])
    .map(([, value]) => value)
    .join("");
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

/** Cookie headers longer than this are parsed on every request rather than remembered. */
const REMEMBERED_HEADER_MAX_CHARS = 8 * 1024;
/** How many Cookie headers are remembered; past that the memo starts over. */
const REMEMBERED_HEADERS = 4096;
const tokensByCookieHeader = new Map<string, string | null>();

/**
 * The session token of a Cookie header (sessionTokenFrom of its cookiePairs). A browser sends the same
 * header with every request until one of its cookies changes, so each header is parsed once: the token
 * is a function of the header alone, so a remembered answer never goes stale (a new cookie is a new
 * header), and the memo is bounded in entries and in the length of the headers it keeps.
 */
export function sessionTokenOfCookieHeader(header: string | null): string | null {
  if (!header) return null;
  let token = tokensByCookieHeader.get(header);
  if (token === undefined) {
    token = sessionTokenFrom(cookiePairs(header));
    if (header.length <= REMEMBERED_HEADER_MAX_CHARS) {
      if (tokensByCookieHeader.size >= REMEMBERED_HEADERS) tokensByCookieHeader.clear();
      tokensByCookieHeader.set(header, token);
    }
  }
  return token;
}

/**
 * Tokens already decoded by this process: a token's content never changes, so each browser's token is
 * decrypted once, not on every request; its expiry is still checked on every use. Bounded, and
 * forgotten after a minute, so rotated secrets and old tokens do not linger.
 */
const decodedTokens = promiseCache<string, TSessionClaims | null>("session-tokens", { ttlMs: 60_000, maxEntries: 20_000 });

/** What the app reads from a session token: the user, the session version it was issued at, its expiry. */
export interface TSessionClaims {
  id: string;
  /** Tokens issued before session versions existed carry none: they count as version 0. */
  version: number;
  expiresAt: number;
}

/**
 * The signed-in user of a request, as the database held it at most SESSION_USER_TTL_MS ago (see
 * sessionUserOfRequest in services/accounts.ts): the tRPC context's (lib/server/api/context.ts), which
 * server components reach through lib/trpc/server.ts, and the event stream's.
 */
export async function getCurrentUser(requestHeaders: Pick<Headers, "get">): Promise<SessionUser | null> {
  const claims = await sessionClaims(sessionTokenOfCookieHeader(requestHeaders.get("cookie")));
  return claims ? sessionUserOfRequest(db, claims.id, claims.version) : null;
}

/**
 * The session token's claims, as next-auth's session callback reads them (lib/server/auth/options.ts),
 * or null for no token or a token that does not decode (tampered, expired, another secret): next-auth's
 * own `decode`, once per token (see decodedTokens), without getServerSession's per-call setup.
 */
export async function sessionClaims(token: string | null): Promise<TSessionClaims | null> {
  if (!token) return null;
  const claims = await decodedTokens.get(token, async () => {
    const payload = await decode({ token, secret: env.AUTH_SECRET }).catch(() => null);
    const id = typeof payload?.uid === "string" ? payload.uid : payload?.sub;
    if (!id) return null;
    return { id, version: typeof payload?.sv === "number" ? payload.sv : 0, expiresAt: typeof payload?.exp === "number" ? payload.exp * 1000 : Number.POSITIVE_INFINITY };
  });
  return claims && claims.expiresAt > Date.now() ? claims : null;
}
