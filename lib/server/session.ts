import "server-only";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/server/auth/options";
import { db } from "@/lib/server/db";
import { loadSessionUser, type SessionUser } from "@/lib/server/services/accounts";

/** The signed-in user for server components and route handlers, fresh from the database. */
export async function getCurrentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  return session?.user?.id ? loadSessionUser(db, session.user.id) : null;
}
