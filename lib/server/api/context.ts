import "server-only";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/server/auth/options";
import { db } from "@/lib/server/db";
import type { TrpcContext } from "@/lib/server/api/trpc";
import { loadSessionUser } from "@/lib/server/services/accounts";

/** The client address as seen by the first trusted proxy, for rate limits only. */
export function clientIp(headers: Headers): string | null {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || null;
}

export async function createRequestContext(headers: Headers): Promise<TrpcContext> {
  const session = await getServerSession(authOptions);
  const user = session?.user?.id ? await loadSessionUser(db, session.user.id) : null;
  return { db, user, ip: clientIp(headers) };
}
