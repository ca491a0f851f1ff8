import "server-only";
import type { Db } from "@/lib/server/db";

export interface AuditEntryInput {
  /** null for the system (background jobs, scripts). */
  actorId: string | null;
  /** Dotted verb, e.g. "model.pause", "user.votes_excluded", "release.publish". */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** JSON-serializable context; never secrets or personal data beyond ids. */
  details?: Record<string, unknown> | null;
}

export interface AuditEntry {
  id: string;
  actorId: string | null;
  actor: { id: string; name: string | null; email: string | null } | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** The target by name (a model's display name, a user's email, an organization's name), when it still exists. */
  targetLabel: string | null;
  details: unknown;
  createdAt: Date;
}

/** Names for the targets of a page of entries: one query per target type present. */
async function labelTargets(db: Db, rows: Array<{ targetType: string; targetId: string | null }>): Promise<Map<string, string>> {
  const idsOf = (...types: string[]) => [...new Set(rows.filter((row) => types.includes(row.targetType) && row.targetId).map((row) => row.targetId!))];
  const [models, users, organizations, battles] = await Promise.all([
    db.arenaModel.findMany({ where: { id: { in: idsOf("ArenaModel") } }, select: { id: true, displayName: true } }),
    db.user.findMany({ where: { id: { in: idsOf("User", "user") } }, select: { id: true, email: true, name: true, isGuest: true } }),
    db.organization.findMany({ where: { id: { in: idsOf("Organization") } }, select: { id: true, name: true } }),
    db.battle.findMany({ where: { id: { in: idsOf("Battle") } }, select: { id: true, publicId: true } }),
  ]);
  return new Map<string, string>([
    ...models.map((model) => [model.id, model.displayName] as const),
    ...users.map((user) => [user.id, user.email ?? user.name ?? (user.isGuest ? "a guest" : "an account")] as const),
    ...organizations.map((organization) => [organization.id, organization.name] as const),
    ...battles.map((battle) => [battle.id, `battle ${battle.publicId}`] as const),
  ]);
}

/** Appends one entry. Pass a transaction client as `db` to record it atomically with the change it describes. */
export async function recordAudit(db: Pick<Db, "auditLog">, { actorId, action, targetType, targetId = null, details = null }: AuditEntryInput): Promise<{ id: string }> {
  return db.auditLog.create({
    data: { actorId, action, targetType, targetId, ...(details ? { details: details as object } : {}) },
    select: { id: true },
  });
}

export interface ListAuditLogOptions {
  /** The `nextCursor` of the previous page. */
  cursor?: string | null;
  limit?: number;
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
}

export const MAX_AUDIT_PAGE = 200;

/** Newest first (ties broken by id), `limit` per page (1..200, default 50). */
export async function listAuditLog(
  db: Db,
  { cursor, limit = 50, actorId, action, targetType, targetId }: ListAuditLogOptions = {},
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const take = Math.min(Math.max(1, Math.floor(limit)), MAX_AUDIT_PAGE);
  const rows = await db.auditLog.findMany({
    where: { actorId, action, targetType, targetId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    include: { actor: { select: { id: true, name: true, email: true } } },
  });
  const page = rows.slice(0, take);
  const labels = await labelTargets(db, page);
  const items = page.map((row) => ({ ...row, targetLabel: row.targetId ? (labels.get(row.targetId) ?? null) : null }));
  return { items, nextCursor: rows.length > take ? items.at(-1)!.id : null };
}
