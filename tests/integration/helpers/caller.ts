import { db } from "@/lib/server/db";
import { createCaller } from "@/lib/server/api/root";
import { loadSessionUser, type SessionUser } from "@/lib/server/services/accounts";

/** A tRPC caller exactly as a request from `user` (or an anonymous visitor) would get it. */
export async function callerFor(user: SessionUser | string | null, ip = "127.0.0.1") {
  const sessionUser = typeof user === "string" ? await loadSessionUser(db, user) : user;
  return createCaller({ db, user: sessionUser, ip });
}

export async function createUserWithRole(role: "annotator" | "researcher" | "model_owner" | "admin", email = `${role}-${Math.random().toString(36).slice(2)}@example.com`) {
  const user = await db.user.create({ data: { email, role } });
  return (await loadSessionUser(db, user.id))!;
}

export { db };
