import "server-only";
import { recordAudit } from "@/lib/server/audit";
import type { Db } from "@/lib/server/db";
import { AppError, notFound } from "@/lib/server/errors";
import { forgetSessionUser } from "@/lib/server/services/accounts";

type TActor = { id: string };

/** Roles an admin can give; guests are visitors without an account and are never assigned. */
export const ASSIGNABLE_ROLES = ["annotator", "researcher", "model_owner", "admin"] as const;
export type TAssignableRole = (typeof ASSIGNABLE_ROLES)[number];

export interface TAdminUser {
  id: string;
  email: string | null;
  name: string | null;
  role: string;
  isGuest: boolean;
  bannedAt: Date | null;
  deletedAt: Date | null;
  votesExcludedAt: Date | null;
  votesExcludedReason: string | null;
  createdAt: Date;
  memberships: { organizationId: string; organizationSlug: string; organizationName: string; role: "owner" | "member" }[];
}

const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  isGuest: true,
  bannedAt: true,
  deletedAt: true,
  votesExcludedAt: true,
  votesExcludedReason: true,
  createdAt: true,
  memberships: { include: { organization: { select: { slug: true, name: true } } }, orderBy: { createdAt: "asc" as const } },
} as const;

type TUserRow = { memberships: { organizationId: string; role: "owner" | "member"; organization: { slug: string; name: string } }[] } & Omit<TAdminUser, "memberships">;

function toAdminUser({ memberships, ...user }: TUserRow): TAdminUser {
  return {
    ...user,
    memberships: memberships.map((membership) => ({
      organizationId: membership.organizationId,
      organizationSlug: membership.organization.slug,
      organizationName: membership.organization.name,
      role: membership.role,
    })),
  };
}

/** How admins see a user: email, else name, else a short pseudonymous id for guests. */
export function userLabel(user: { id: string; email: string | null; name: string | null }): string {
  return user.email ?? user.name ?? `Guest ${user.id.slice(-6)}`;
}

const USER_SEARCH_LIMIT = 50;

/**
 * Accounts whose email contains `query` (emails are stored lowercase, so the match is
 * case-insensitive on every database). An empty query lists the newest accounts. Guests have no
 * email and are not listed.
 */
export async function searchUsers(db: Db, { query, limit = USER_SEARCH_LIMIT }: { query: string; limit?: number }): Promise<TAdminUser[]> {
  const needle = query.trim().toLowerCase();
  const users = await db.user.findMany({
    where: { isGuest: false, email: needle ? { contains: needle } : { not: null } },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(1, limit), USER_SEARCH_LIMIT),
    select: userSelect,
  });
  return users.map(toAdminUser);
}

async function getAdminUser(db: Db, userId: string): Promise<TAdminUser> {
  const user = await db.user.findUnique({ where: { id: userId }, select: userSelect });
  if (!user) throw notFound("The user");
  return toAdminUser(user);
}

/** Loads a user an admin may act on: it exists, is not deleted and is a real account. */
async function loadManageableUser(db: Db, userId: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, role: true, isGuest: true, deletedAt: true, bannedAt: true } });
  if (!user) throw notFound("The user");
  if (user.deletedAt) throw new AppError("CONFLICT", "This account was deleted and cannot be changed.");
  if (user.isGuest) throw new AppError("BAD_REQUEST", "Guests have no account yet; they must sign up first.");
  return user;
}

/** Changes a user's role. Admins cannot demote themselves, so an instance always keeps the admin who acts. */
export async function changeUserRole(db: Db, actor: TActor, { userId, role }: { userId: string; role: TAssignableRole }): Promise<TAdminUser> {
  if (userId === actor.id && role !== "admin") throw new AppError("FORBIDDEN", "You cannot remove your own administrator role. Ask another administrator.");
  const user = await loadManageableUser(db, userId);
  if (user.role !== role) {
    await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: userId }, data: { role } });
      await recordAudit(tx, { actorId: actor.id, action: "user.role_change", targetType: "User", targetId: userId, details: { from: user.role, to: role } });
    });
    forgetSessionUser(userId);
  }
  return getAdminUser(db, userId);
}

/** Adds the user to an organization, or changes their role in it. */
export async function setOrganizationMembership(
  db: Db,
  actor: TActor,
  { userId, organizationId, role }: { userId: string; organizationId: string; role: "owner" | "member" },
): Promise<TAdminUser> {
  await loadManageableUser(db, userId);
  const organization = await db.organization.findUnique({ where: { id: organizationId }, select: { slug: true } });
  if (!organization) throw notFound("The organization");
  await db.$transaction(async (tx) => {
    await tx.membership.upsert({
      where: { userId_organizationId: { userId, organizationId } },
      create: { userId, organizationId, role },
      update: { role },
    });
    await recordAudit(tx, { actorId: actor.id, action: "membership.set", targetType: "User", targetId: userId, details: { organizationId, organization: organization.slug, role } });
  });
  return getAdminUser(db, userId);
}

export async function removeOrganizationMembership(db: Db, actor: TActor, { userId, organizationId }: { userId: string; organizationId: string }): Promise<TAdminUser> {
  await loadManageableUser(db, userId);
  await db.$transaction(async (tx) => {
    const removed = await tx.membership.deleteMany({ where: { userId, organizationId } });
    if (removed.count === 0) throw notFound("The membership");
    await recordAudit(tx, { actorId: actor.id, action: "membership.remove", targetType: "User", targetId: userId, details: { organizationId } });
  });
  return getAdminUser(db, userId);
}

/** Bans (ends every session at its next request; an unban does not bring them back) or unbans a user. */
export async function setUserBanned(db: Db, actor: TActor, { userId, banned, reason }: { userId: string; banned: boolean; reason?: string }): Promise<TAdminUser> {
  if (userId === actor.id) throw new AppError("FORBIDDEN", "You cannot ban yourself.");
  const user = await loadManageableUser(db, userId);
  if (Boolean(user.bannedAt) !== banned) {
    await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: userId }, data: banned ? { bannedAt: new Date(), sessionVersion: { increment: 1 } } : { bannedAt: null } });
      await recordAudit(tx, { actorId: actor.id, action: banned ? "user.ban" : "user.unban", targetType: "User", targetId: userId, details: reason ? { reason } : null });
    });
    forgetSessionUser(userId);
  }
  return getAdminUser(db, userId);
}
