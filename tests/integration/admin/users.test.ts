import { beforeEach, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/server/services/accounts";
import { loadSessionUser } from "@/lib/server/services/accounts";
import { callerFor, createUserWithRole, db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { createOrganizationRow, expectTrpcError } from "./admin-test-support";

describe("admin users and organizations", () => {
  let admin: SessionUser;

  beforeEach(async () => {
    await resetDatabase(db);
    admin = await createUserWithRole("admin", "root@example.com");
  });

  it("searches accounts by part of the email, case-insensitively, without guests", async () => {
    await createUserWithRole("annotator", "ada@example.com");
    await createUserWithRole("researcher", "grace@sample.org");
    await db.user.create({ data: { role: "guest", isGuest: true } });
    const caller = await callerFor(admin);
    expect((await caller.adminUsers.search({ query: "EXAMPLE" })).map((user) => user.email).sort()).toEqual(["ada@example.com", "root@example.com"]);
    expect((await caller.adminUsers.search({ query: "" })).map((user) => user.email)).toHaveLength(3);
    expect(await caller.adminUsers.search({ query: "nobody" })).toEqual([]);
  });

  it("changes a role, audits the change, and the new role applies on the next request", async () => {
    const user = await createUserWithRole("annotator", "owner-to-be@example.com");
    const caller = await callerFor(admin);
    expect((await caller.adminUsers.changeRole({ userId: user.id, role: "model_owner" })).role).toBe("model_owner");
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "user.role_change" } });
    expect(audit).toMatchObject({ actorId: admin.id, targetType: "User", targetId: user.id, details: { from: "annotator", to: "model_owner" } });
    expect((await loadSessionUser(db, user.id))!.role).toBe("model_owner");
  });

  it("refuses an admin's own demotion and changes nothing", async () => {
    const caller = await callerFor(admin);
    const error = await expectTrpcError(caller.adminUsers.changeRole({ userId: admin.id, role: "annotator" }), "FORBIDDEN");
    expect(error.message).toContain("your own administrator role");
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");
    expect(await db.auditLog.count()).toBe(0);
  });

  it("refuses to touch deleted accounts and guests", async () => {
    const deleted = await db.user.create({ data: { email: null, role: "annotator", deletedAt: new Date() } });
    const guest = await db.user.create({ data: { role: "guest", isGuest: true } });
    const caller = await callerFor(admin);
    await expectTrpcError(caller.adminUsers.changeRole({ userId: deleted.id, role: "admin" }), "CONFLICT");
    await expectTrpcError(caller.adminUsers.setBanned({ userId: deleted.id, banned: true }), "CONFLICT");
    await expectTrpcError(caller.adminUsers.changeRole({ userId: guest.id, role: "researcher" }), "BAD_REQUEST");
    expect((await db.user.findUniqueOrThrow({ where: { id: deleted.id } })).role).toBe("annotator");
    expect(await db.auditLog.count()).toBe(0);
  });

  it("refuses roles outside the assignable list", async () => {
    const user = await createUserWithRole("annotator");
    const caller = await callerFor(admin);
    await expectTrpcError(caller.adminUsers.changeRole({ userId: user.id, role: "guest" as never }), "BAD_REQUEST");
  });

  it("adds, changes and removes an organization membership, audited", async () => {
    const user = await createUserWithRole("model_owner", "owner@example.com");
    const organization = await createOrganizationRow("acme");
    const caller = await callerFor(admin);
    const added = await caller.adminUsers.setMembership({ userId: user.id, organizationId: organization.id, role: "member" });
    expect(added.memberships).toEqual([{ organizationId: organization.id, organizationSlug: "acme", organizationName: "Organization acme", role: "member" }]);
    const promoted = await caller.adminUsers.setMembership({ userId: user.id, organizationId: organization.id, role: "owner" });
    expect(promoted.memberships.map((membership) => membership.role)).toEqual(["owner"]);
    expect((await caller.adminUsers.removeMembership({ userId: user.id, organizationId: organization.id })).memberships).toEqual([]);
    await expectTrpcError(caller.adminUsers.removeMembership({ userId: user.id, organizationId: organization.id }), "NOT_FOUND");
    const actions = (await db.auditLog.findMany({ orderBy: { createdAt: "asc" } })).map((row) => row.action);
    expect(actions).toEqual(["membership.set", "membership.set", "membership.remove"]);
  });

  it("bans and unbans: a banned user loses their session at once; admins cannot ban themselves", async () => {
    const user = await createUserWithRole("annotator", "spammer@example.com");
    const caller = await callerFor(admin);
    expect((await caller.adminUsers.setBanned({ userId: user.id, banned: true, reason: "spam" })).bannedAt).toBeInstanceOf(Date);
    expect(await loadSessionUser(db, user.id)).toBeNull();
    expect((await caller.adminUsers.setBanned({ userId: user.id, banned: false })).bannedAt).toBeNull();
    expect(await loadSessionUser(db, user.id)).not.toBeNull();
    await expectTrpcError(caller.adminUsers.setBanned({ userId: admin.id, banned: true }), "FORBIDDEN");
    const actions = (await db.auditLog.findMany({ orderBy: { createdAt: "asc" } })).map((row) => row.action);
    expect(actions).toEqual(["user.ban", "user.unban"]);
  });

  it("pages through the audit log newest first and filters by action", async () => {
    const user = await createUserWithRole("annotator");
    const caller = await callerFor(admin);
    for (const role of ["researcher", "model_owner", "annotator"] as const) await caller.adminUsers.changeRole({ userId: user.id, role });
    await caller.adminUsers.setBanned({ userId: user.id, banned: true });
    const first = await caller.adminUsers.auditLog({ limit: 3 });
    expect(first.items.map((item) => item.action)).toEqual(["user.ban", "user.role_change", "user.role_change"]);
    expect(first.items[0].actor).toMatchObject({ email: "root@example.com" });
    const second = await caller.adminUsers.auditLog({ limit: 3, cursor: first.nextCursor });
    expect(second.items.map((item) => item.action)).toEqual(["user.role_change"]);
    expect(second.nextCursor).toBeNull();
    expect((await caller.adminUsers.auditLog({ action: "user.ban" })).items).toHaveLength(1);
  });
});
