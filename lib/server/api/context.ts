import "server-only";
import { db } from "@/lib/server/db";
import type { TrpcContext } from "@/lib/server/api/trpc";
import { getCurrentUser } from "@/lib/server/session";

/** What the context reads of a request's headers: a Web `Headers`, or the fast lane's view of Node's. */
export type TRequestHeaders = Pick<Headers, "get">;

/**
 * The client's address, for rate limits. scripts/serve.js has already replaced X-Forwarded-For with the
 * one address it believes (the socket's, or what TRUSTED_PROXIES vouch for: lib/server/http/request-edge.js).
 */
export function clientIp(headers: TRequestHeaders): string | null {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null;
}

export async function createRequestContext(headers: TRequestHeaders): Promise<TrpcContext> {
  return { db, user: await getCurrentUser(headers), ip: clientIp(headers) };
}
