import "server-only";
import { db } from "@/lib/server/db";
import type { TrpcContext } from "@/lib/server/api/trpc";
import { getCurrentUser } from "@/lib/server/session";

/** The client address as seen by the first trusted proxy, for rate limits only. */
export function clientIp(headers: Headers): string | null {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || null;
}

export async function createRequestContext(headers: Headers): Promise<TrpcContext> {
  return { db, user: await getCurrentUser(headers), ip: clientIp(headers) };
}
