import "server-only";
import type { Db } from "@/lib/server/db";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { sqliteReaderFor } from "@/lib/server/db/sqlite-rows";
import { AppError } from "@/lib/server/errors";
import { hashPassword, verifyPassword } from "@/lib/server/auth/password";
import { ZSignInSchema, ZSignUpSchema } from "@/lib/schemas/auth";

export type SessionUser = { id: string; role: string; isGuest: boolean; email: string | null; name: string | null };

const toSessionUser = (user: { id: string; role: string; isGuest: boolean; email: string | null; name: string | null }): SessionUser => ({
  id: user.id,
  role: user.role,
  isGuest: user.isGuest,
  email: user.email,
  name: user.name,
});

/** A pseudonymous visitor: no email, no password, role guest. Claimed later by `registerAccount`. */
export async function createGuestUser(db: Db): Promise<SessionUser> {
  const user = await db.user.create({ data: { role: "guest", isGuest: true } });
  return toSessionUser(user);
}

/**
 * Creates an email + password account. When `guestUserId` names a guest, that guest row becomes the
 * account, so the visitor keeps their persona, battles and votes.
 */
export async function registerAccount(db: Db, input: unknown, guestUserId?: string | null): Promise<SessionUser> {
  const parsed = ZSignUpSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
    throw new AppError("BAD_REQUEST", Object.values(fieldErrors)[0] ?? "Invalid sign-up.", fieldErrors);
  }
  const { email, password, name } = parsed.data;
  const passwordHash = await hashPassword(password);
  const emailTaken = () => new AppError("CONFLICT", "An account with this email already exists.", { email: "An account with this email already exists." });
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken();
  try {
    const guest = guestUserId
      ? await db.user.findFirst({ where: { id: guestUserId, isGuest: true, deletedAt: null }, select: { id: true } })
      : null;
    const data = { email, passwordHash, name: name || null, role: "annotator" as const, isGuest: false };
    const user = guest ? await db.user.update({ where: { id: guest.id }, data }) : await db.user.create({ data });
    return toSessionUser(user);
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

/** Returns the user for valid credentials, null otherwise (one answer for unknown email and wrong password). */
export async function authenticateWithPassword(db: Db, input: unknown): Promise<SessionUser | null> {
  const parsed = ZSignInSchema.safeParse(input);
  if (!parsed.success) return null;
  const user = await db.user.findUnique({
    where: { email: parsed.data.email },
    omit: { passwordHash: false },
  });
  if (!user?.passwordHash || user.deletedAt || user.bannedAt) return null;
  if (!(await verifyPassword(parsed.data.password, user.passwordHash))) return null;
  return toSessionUser(user);
}

/** Creates the admin account, or promotes an existing account with that email. Idempotent. */
export async function ensureAdmin(db: Db, email: string, password?: string): Promise<{ id: string; created: boolean }> {
  const normalized = email.trim().toLowerCase();
  const existing = await db.user.findUnique({ where: { email: normalized }, select: { id: true } });
  if (existing) {
    await db.user.update({ where: { id: existing.id }, data: { role: "admin", isGuest: false } });
    return { id: existing.id, created: false };
  }
  if (!password) throw new AppError("BAD_REQUEST", "A password is needed to create a new admin account.");
  const user = await registerAccount(db, { email: normalized, password });
  await db.user.update({ where: { id: user.id }, data: { role: "admin" } });
  return { id: user.id, created: true };
}

const SESSION_USER_SQL = `SELECT "id", "role", "isGuest", "email", "name" FROM "User" WHERE "id" = ? AND "deletedAt" IS NULL AND "bannedAt" IS NULL`;

/**
 * The current user as the server sees it, fresh from the database on every request (role changes, bans
 * and deletions apply at once, not at token expiry): a prepared statement on SQLite, Prisma otherwise.
 */
export async function loadSessionUser(db: Db, userId: string): Promise<SessionUser | null> {
  const reader = await sqliteReaderFor(db);
  const user = reader
    ? reader.row<SessionUser>("User", SESSION_USER_SQL, [userId])
    : await db.user.findFirst({ where: { id: userId, deletedAt: null, bannedAt: null }, select: { id: true, role: true, isGuest: true, email: true, name: true } });
  return user ? toSessionUser(user) : null;
}
