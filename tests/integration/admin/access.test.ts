import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/lib/server/api/root";
import { createGuestUser, loadSessionUser, type SessionUser } from "@/lib/server/services/accounts";
import { callerFor, createUserWithRole, db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { createOrganizationRow } from "./admin-test-support";

const ADMIN_ROUTERS = ["adminModels", "adminQuality", "adminUsers"];
const adminProcedurePaths = Object.keys(appRouter._def.procedures).filter((path) => ADMIN_ROUTERS.includes(path.split(".")[0]));

type TCallable = (input?: unknown) => Promise<unknown>;

/** Calls `path` ("adminModels.list") on a caller with an input that passes validation where it can. */
async function callPath(user: SessionUser | null, path: string): Promise<unknown> {
  const caller = (await callerFor(user)) as unknown as Record<string, Record<string, TCallable>>;
  const [router, procedure] = path.split(".");
  return caller[router][procedure]({});
}

async function errorCodeOf(promise: Promise<unknown>): Promise<string | null> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  return error instanceof TRPCError ? error.code : error === null ? null : "NOT_A_TRPC_ERROR";
}

describe("admin procedures: access", () => {
  const users: Record<string, SessionUser> = {};

  beforeAll(async () => {
    await resetDatabase(db);
    const guest = await createGuestUser(db);
    users.guest = (await loadSessionUser(db, guest.id))!;
    users.annotator = await createUserWithRole("annotator");
    users.researcher = await createUserWithRole("researcher");
    const organization = await createOrganizationRow("owner-org");
    users.model_owner = await createUserWithRole("model_owner");
    await db.membership.create({ data: { userId: users.model_owner.id, organizationId: organization.id, role: "owner" } });
    users.admin = await createUserWithRole("admin");
  });

  it("covers every admin procedure", () => {
    expect(adminProcedurePaths.length).toBeGreaterThanOrEqual(20);
    expect(adminProcedurePaths).toContain("adminModels.create");
    expect(adminProcedurePaths).toContain("adminQuality.excludeVotes");
    expect(adminProcedurePaths).toContain("adminUsers.changeRole");
  });

  for (const role of ["guest", "annotator", "researcher", "model_owner"]) {
    it(`refuses every admin procedure to a ${role} with FORBIDDEN`, async () => {
      const codes = await Promise.all(adminProcedurePaths.map(async (path) => [path, await errorCodeOf(callPath(users[role], path))] as const));
      expect(codes.filter(([, code]) => code !== "FORBIDDEN")).toEqual([]);
    });
  }

  it("refuses every admin procedure to an anonymous visitor with UNAUTHORIZED", async () => {
    const codes = await Promise.all(adminProcedurePaths.map(async (path) => [path, await errorCodeOf(callPath(null, path))] as const));
    expect(codes.filter(([, code]) => code !== "UNAUTHORIZED")).toEqual([]);
  });

  it("lets an admin through to input validation or the service for every procedure", async () => {
    const codes = await Promise.all(adminProcedurePaths.map(async (path) => [path, await errorCodeOf(callPath(users.admin, path))] as const));
    expect(codes.filter(([, code]) => code === "FORBIDDEN" || code === "UNAUTHORIZED" || code === "INTERNAL_SERVER_ERROR")).toEqual([]);
  });

  it("stops refusing a user the moment they are promoted, and refuses again once demoted", async () => {
    const user = await createUserWithRole("annotator");
    expect(await errorCodeOf(callPath(user, "adminModels.list"))).toBe("FORBIDDEN");
    await db.user.update({ where: { id: user.id }, data: { role: "admin" } });
    expect(await errorCodeOf(callPath((await loadSessionUser(db, user.id))!, "adminModels.list"))).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { role: "researcher" } });
    expect(await errorCodeOf(callPath((await loadSessionUser(db, user.id))!, "adminModels.list"))).toBe("FORBIDDEN");
  });
});
