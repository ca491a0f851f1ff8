import { describe, expect, it } from "vitest";
import {
  ORGANIZATION_SCOPES,
  ROLES,
  ROLE_LABELS,
  ROLE_SCOPES,
  SCOPES,
  canAccessOrganization,
  hasAccess,
  hasOrganizationAccess,
  isRole,
  isScope,
  type TRole,
  type TScope,
} from "@/lib/domain/auth/roles";

/** The whole matrix, spelled out so any change to ROLE_SCOPES is a deliberate test change. */
const EXPECTED: Record<TScope, readonly TRole[]> = {
  "leaderboard:view": ["guest", "annotator", "researcher", "model_owner", "admin"],
  "release:view": ["guest", "annotator", "researcher", "model_owner", "admin"],
  "battle:create": ["annotator", "researcher", "model_owner", "admin"],
  "vote:create": ["annotator", "researcher", "model_owner", "admin"],
  "persona:edit": ["annotator", "researcher", "model_owner", "admin"],
  "release:download": ["researcher", "model_owner", "admin"],
  "token:manage": ["researcher", "model_owner", "admin"],
  "owner:dashboard": ["model_owner", "admin"],
  "model:manage": ["model_owner", "admin"],
  "release:publish": ["admin"],
  "quality:view": ["admin"],
  "audit:view": ["admin"],
  "user:manage": ["admin"],
  "registry:manage": ["admin"],
};

describe("hasAccess: the role × scope matrix", () => {
  for (const scope of SCOPES) {
    for (const role of ROLES) {
      const allowed = EXPECTED[scope].includes(role);
      it(`${allowed ? "grants" : "denies"} ${scope} to ${role}`, () => {
        expect(hasAccess(role, scope)).toBe(allowed);
      });
    }
  }

  it("covers every scope in the expected matrix", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...SCOPES].sort());
  });
});

describe("role table invariants", () => {
  it("lists only known scopes, without duplicates", () => {
    for (const role of ROLES) {
      expect(ROLE_SCOPES[role].every(isScope)).toBe(true);
      expect(new Set(ROLE_SCOPES[role]).size).toBe(ROLE_SCOPES[role].length);
    }
  });

  it("gives admin every scope", () => {
    expect([...ROLE_SCOPES.admin].sort()).toEqual([...SCOPES].sort());
  });

  it("gives every role at least the guest scopes", () => {
    for (const role of ROLES) for (const scope of ROLE_SCOPES.guest) expect(hasAccess(role, scope)).toBe(true);
  });

  it("labels every role", () => {
    for (const role of ROLES) expect(ROLE_LABELS[role].length).toBeGreaterThan(0);
  });
});

describe("isRole and isScope", () => {
  it("accept known values only", () => {
    expect(isRole("model_owner")).toBe(true);
    expect(isRole("owner")).toBe(false);
    expect(isRole(null)).toBe(false);
    expect(isScope("vote:create")).toBe(true);
    expect(isScope("vote:delete")).toBe(false);
  });
});

describe("canAccessOrganization", () => {
  const memberships = [{ organizationId: "org-1" }];

  it("lets admins access any organization without membership", () => {
    expect(canAccessOrganization({ role: "admin", memberships: [] }, "org-9")).toBe(true);
  });

  it("lets a model owner access an organization they belong to", () => {
    expect(canAccessOrganization({ role: "model_owner", memberships }, "org-1")).toBe(true);
  });

  it("denies a model owner another organization", () => {
    expect(canAccessOrganization({ role: "model_owner", memberships }, "org-2")).toBe(false);
  });

  it("denies a model owner without memberships", () => {
    expect(canAccessOrganization({ role: "model_owner", memberships: [] }, "org-1")).toBe(false);
  });

  it.each(["guest", "annotator", "researcher"] as const)("denies %s even with a membership", (role) => {
    expect(canAccessOrganization({ role, memberships }, "org-1")).toBe(false);
  });
});

describe("hasOrganizationAccess", () => {
  const owner = { role: "model_owner" as const, memberships: [{ organizationId: "org-1" }] };

  it("marks exactly the owner scopes as org-scoped", () => {
    expect([...ORGANIZATION_SCOPES].sort()).toEqual(["model:manage", "owner:dashboard"]);
  });

  it("grants an org-scoped scope for the owner's organization", () => {
    expect(hasOrganizationAccess(owner, "model:manage", "org-1")).toBe(true);
  });

  it("denies an org-scoped scope for another organization", () => {
    expect(hasOrganizationAccess(owner, "model:manage", "org-2")).toBe(false);
  });

  it("denies an org-scoped scope without an organization", () => {
    expect(hasOrganizationAccess(owner, "owner:dashboard")).toBe(false);
  });

  it("ignores the organization for global scopes", () => {
    expect(hasOrganizationAccess(owner, "vote:create")).toBe(true);
    expect(hasOrganizationAccess(owner, "vote:create", "org-2")).toBe(true);
  });

  it("still requires the scope itself", () => {
    expect(hasOrganizationAccess(owner, "release:publish")).toBe(false);
    expect(hasOrganizationAccess({ role: "annotator", memberships: owner.memberships }, "model:manage", "org-1")).toBe(false);
  });

  it("lets an admin use org scopes on any organization", () => {
    expect(hasOrganizationAccess({ role: "admin", memberships: [] }, "model:manage", "org-7")).toBe(true);
  });
});
