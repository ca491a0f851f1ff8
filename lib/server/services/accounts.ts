import "server-only";
import type { Db } from "@/lib/server/db";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { storeOf } from "@/lib/server/store";
import { promiseCache } from "@/lib/server/promise-cache";
import { AppError } from "@/lib/server/errors";
import { hashPassword, verifyPassword, verifyNoPassword } from "@/lib/server/auth/password";
import { throttleIdentityAction } from "@/lib/server/auth/identity-throttle";
import type { TSessionUserRow } from "@/lib/server/store/types";
import { ZChangePasswordSchema, ZSignInSchema, ZSignUpSchema, type TSignUpInput } from "@/lib/schemas/auth";

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
async function registerAccount(db: Db, input: unknown, guestUserId?: string | null): Promise<SessionUser> {
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
    forgetSessionUser(user.id);
    return toSessionUser(user);
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

/**
 * Sign-up as the public endpoint does it: counted against the per-address and per-email limits first
 * (lib/server/auth/identity-throttle.ts), then `registerAccount`. The "already exists" answer stays (a
 * person who forgot their account needs to hear it); the limits bound how many emails one client can
 * test that way (README, "Abuse limits").
 */
export async function signUp(db: Db, input: TSignUpInput, { guestUserId, ip }: { guestUserId: string | null; ip: string | null }): Promise<SessionUser> {
  await throttleIdentityAction("sign_up", { ip, email: input.email });
  return registerAccount(db, input, guestUserId);
}

/**
 * Returns the user (with the session version a new token carries) for valid credentials, null otherwise:
 * one answer, and the same cost (a password hash is checked either way), for an unknown email, an account
 * without a password, a closed account and a wrong password.
 */
export async function authenticateWithPassword(db: Db, input: unknown): Promise<(SessionUser & { sessionVersion: number }) | null> {
  const parsed = ZSignInSchema.safeParse(input);
  if (!parsed.success) return null;
  const user = await db.user.findUnique({
    where: { email: parsed.data.email },
    omit: { passwordHash: false },
  });
  if (!user?.passwordHash) {
    await verifyNoPassword(parsed.data.password);
    return null;
  }
  const matches = await verifyPassword(parsed.data.password, user.passwordHash);
  if (!matches || user.deletedAt || user.bannedAt) return null;
  return { ...toSessionUser(user), sessionVersion: user.sessionVersion };
}

/**
 * Ends every session of the user: tokens carry the version they were issued at, and getCurrentUser
 * (lib/server/session.ts) accepts a token only while the user's version is unchanged.
 */
export async function endAllSessions(db: Pick<Db, "user">, userId: string): Promise<void> {
  await db.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  forgetSessionUser(userId);
}

/** Sets a new password after checking the current one; every session of the user ends (sign in again). */
export async function changePassword(db: Db, userId: string, input: unknown): Promise<void> {
  const { currentPassword, newPassword } = ZChangePasswordSchema.parse(input);
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user?.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new AppError("BAD_REQUEST", "The current password is not right.", { currentPassword: "The current password is not right." });
  }
  const passwordHash = await hashPassword(newPassword);
  await db.user.update({ where: { id: userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
  forgetSessionUser(userId);
}

/** Creates the admin account, or promotes an existing account with that email. Idempotent. */
export async function ensureAdmin(db: Db, email: string, password?: string): Promise<{ id: string; created: boolean }> {
  const normalized = email.trim().toLowerCase();
  const existing = await db.user.findUnique({ where: { email: normalized }, select: { id: true } });
  if (existing) {
    await db.user.update({ where: { id: existing.id }, data: { role: "admin", isGuest: false } });
    forgetSessionUser(existing.id);
    return { id: existing.id, created: false };
  }
  if (!password) throw new AppError("BAD_REQUEST", "A password is needed to create a new admin account.");
  const user = await registerAccount(db, { email: normalized, password });
  await db.user.update({ where: { id: user.id }, data: { role: "admin" } });
  forgetSessionUser(user.id);
  return { id: user.id, created: true };
}

/**
 * The user as the database holds it now, through the store; null when deleted or banned, or (with
 * `sessionVersion`, a token's) when that is no longer the user's version. Sign-in (next-auth's jwt
 * callback) and the services read it here; requests read it through `sessionUserOfRequest`.
 */
export async function loadSessionUser(db: Db, userId: string, sessionVersion?: number): Promise<SessionUser | null> {
  const user = await (await storeOf(db)).readSessionUser(userId);
  if (!user || (sessionVersion !== undefined && user.sessionVersion !== sessionVersion)) return null;
  return toSessionUser(user);
}

/**
 * How long this process answers requests with a session user it read (README, "Switching to PostgreSQL" and "Operations"): a read
 * serves every request of that user for this long after it started, instead of one query per request.
 * Sign-out, bans, role changes and deletions made by this process apply at its next request
 * (`forgetSessionUser`); made by another instance on the same database, within this bound.
 */
export const SESSION_USER_TTL_MS = 1_000;

/**
 * A request that finds its user's read at least this old is still answered from it and reads the user again in
 * the background (promiseCache's refreshAfterMs): an active user's requests never wait for the read, which
 * otherwise put one more round trip before every user's first request of each second (on PostgreSQL the votes
 * that waited for it were most of the slowest 1 %: BENCHMARKS.md, "stop 35, p99pg"). The margin to the TTL
 * covers the read's own time under load.
 */
export const SESSION_USER_REFRESH_MS = 750;

const sessionUsers = promiseCache<string, TSessionUserRow | null>("session-users", { ttlMs: SESSION_USER_TTL_MS, refreshAfterMs: SESSION_USER_REFRESH_MS, maxEntries: 50_000 });

const readSessionUserRow = async (db: Db, userId: string) => (await storeOf(db)).readSessionUser(userId);

/** Every write of a user's session fields (role, ban, deletion, session version, account details) calls this once it is committed. */
export function forgetSessionUser(userId: string): void {
  sessionUsers.delete(userId);
}

/**
 * The signed-in user of a request (getCurrentUser, lib/server/session.ts): `loadSessionUser`'s answer,
 * read at most SESSION_USER_TTL_MS ago by this process. A token newer than the user read (signed in
 * again after a sign-out elsewhere) reads the user again rather than refusing it.
 */
export async function sessionUserOfRequest(db: Db, userId: string, sessionVersion: number): Promise<SessionUser | null> {
  let user = await sessionUsers.get(userId, () => readSessionUserRow(db, userId));
  if (user && user.sessionVersion < sessionVersion) {
    sessionUsers.delete(userId);
    user = await sessionUsers.get(userId, () => readSessionUserRow(db, userId));
  }
  return user && user.sessionVersion === sessionVersion ? toSessionUser(user) : null;
}
