/**
 * Roles and permissions as data. The server asserts a scope with one `assertAccess` built on
 * `hasAccess`; the UI hides what `hasAccess` denies. Org-scoped scopes additionally need
 * `canAccessOrganization` for the organization being touched.
 *
 * Invariants: every role's scopes are known scopes; admin holds every scope; each role holds at
 * least what guest holds; roles other than guest and admin never get admin-only scopes.
 */
export const ROLES = ["guest", "annotator", "researcher", "model_owner", "admin"] as const;
export type TRole = (typeof ROLES)[number];

export const SCOPES = [
  "leaderboard:view",
  "release:view",
  "battle:create",
  "vote:create",
  "persona:edit",
  "release:download",
  "token:manage",
  "owner:dashboard",
  "model:manage",
  "release:publish",
  "quality:view",
  "audit:view",
  "user:manage",
  "registry:manage",
] as const;
export type TScope = (typeof SCOPES)[number];

/** Scopes that apply to one organization at a time: holding the scope is not enough. */
export const ORGANIZATION_SCOPES: ReadonlySet<TScope> = new Set<TScope>(["owner:dashboard", "model:manage"]);

const GUEST_SCOPES: readonly TScope[] = ["leaderboard:view", "release:view"];
const ANNOTATOR_SCOPES: readonly TScope[] = [...GUEST_SCOPES, "battle:create", "vote:create", "persona:edit"];

export const ROLE_SCOPES: Readonly<Record<TRole, readonly TScope[]>> = {
  guest: GUEST_SCOPES,
  annotator: ANNOTATOR_SCOPES,
  researcher: [...ANNOTATOR_SCOPES, "release:download", "token:manage"],
  model_owner: [...ANNOTATOR_SCOPES, "release:download", "token:manage", "owner:dashboard", "model:manage"],
  admin: SCOPES,
};

export const ROLE_LABELS: Readonly<Record<TRole, string>> = {
  guest: "Guest",
  annotator: "Annotator",
  researcher: "Researcher",
  model_owner: "Model owner",
  admin: "Administrator",
};

export function isRole(value: unknown): value is TRole {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function isScope(value: unknown): value is TScope {
  return typeof value === "string" && (SCOPES as readonly string[]).includes(value);
}

/** Whether the role holds the scope (for org-scoped scopes, also check `canAccessOrganization`). */
export function hasAccess(role: TRole, scope: TScope): boolean {
  return ROLE_SCOPES[role].includes(scope);
}

interface TOrganizationMembership {
  organizationId: string;
}

export interface TOrganizationActor {
  role: TRole;
  memberships: readonly TOrganizationMembership[];
}

/**
 * Whether the actor may act on the organization's models and dashboard: admins on every
 * organization, model owners on the organizations they belong to, nobody else. Membership alone
 * (e.g. an annotator who was once added to an org) grants nothing.
 */
export function canAccessOrganization(actor: TOrganizationActor, organizationId: string): boolean {
  if (actor.role === "admin") return true;
  if (actor.role !== "model_owner") return false;
  return actor.memberships.some((membership) => membership.organizationId === organizationId);
}

/**
 * The full check for one action: the role holds the scope and, for an org-scoped scope, the
 * actor may access the organization. An org-scoped scope without an organizationId is denied.
 */
export function hasOrganizationAccess(actor: TOrganizationActor, scope: TScope, organizationId?: string): boolean {
  if (!hasAccess(actor.role, scope)) return false;
  if (!ORGANIZATION_SCOPES.has(scope)) return true;
  return organizationId !== undefined && canAccessOrganization(actor, organizationId);
}
