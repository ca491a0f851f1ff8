import { TRPCError } from "@trpc/server";
import { beforeEach, describe, expect, it } from "vitest";
import { authenticateWithPassword, createGuestUser, ensureAdmin } from "@/lib/server/services/accounts";
import { callerFor, db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";

async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"]) {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}

describe("accounts", () => {
  beforeEach(() => resetDatabase(db));

  it("signs up with email and password and stores only a scrypt hash", async () => {
    const caller = await callerFor(null);
    const user = await caller.auth.signUp({ email: "Ada@Example.com", password: "long enough password" });
    expect(user).toMatchObject({ email: "ada@example.com", role: "annotator", isGuest: false });
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, omit: { passwordHash: false } });
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.passwordHash).not.toContain("long enough password");
  });

  it("never selects the password hash by default", async () => {
    const caller = await callerFor(null);
    const user = await caller.auth.signUp({ email: "hash@example.com", password: "long enough password" });
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).not.toHaveProperty("passwordHash");
  });

  it("rejects an invalid email with a field error and creates nothing", async () => {
    const caller = await callerFor(null);
    const error = await expectTrpcError(caller.auth.signUp({ email: "not-an-email", password: "long enough password" }), "BAD_REQUEST");
    expect(error.message).toContain("Enter a valid email address.");
    expect(await db.user.count()).toBe(0);
  });

  it("rejects a short password and creates nothing", async () => {
    const caller = await callerFor(null);
    const error = await expectTrpcError(caller.auth.signUp({ email: "short@example.com", password: "short" }), "BAD_REQUEST");
    expect(error.message).toContain("at least 10 characters");
    expect(await db.user.count()).toBe(0);
  });

  it("rejects an existing email as a conflict and changes nothing", async () => {
    const caller = await callerFor(null);
    await caller.auth.signUp({ email: "taken@example.com", password: "long enough password" });
    const before = await db.user.findMany({ omit: { passwordHash: false } });
    const error = await expectTrpcError(caller.auth.signUp({ email: "TAKEN@example.com", password: "another password!" }), "CONFLICT");
    expect(error.message).toBe("An account with this email already exists.");
    expect(await db.user.findMany({ omit: { passwordHash: false } })).toEqual(before);
  });

  it("lets a guest claim their account, keeping the same user row", async () => {
    const guest = await createGuestUser(db);
    const caller = await callerFor(guest);
    const claimed = await caller.auth.signUp({ email: "guest@example.com", password: "long enough password" });
    expect(claimed.id).toBe(guest.id);
    expect(claimed).toMatchObject({ isGuest: false, role: "annotator" });
    expect(await db.user.count()).toBe(1);
  });

  it("authenticates only with the right password", async () => {
    await (await callerFor(null)).auth.signUp({ email: "login@example.com", password: "long enough password" });
    expect(await authenticateWithPassword(db, { email: "login@example.com", password: "long enough password" })).toMatchObject({ email: "login@example.com" });
    expect(await authenticateWithPassword(db, { email: "login@example.com", password: "wrong password" })).toBeNull();
    expect(await authenticateWithPassword(db, { email: "nobody@example.com", password: "long enough password" })).toBeNull();
    expect(await authenticateWithPassword(db, { email: 42 })).toBeNull();
  });

  it("creates the first admin and promotes an existing account idempotently", async () => {
    const created = await ensureAdmin(db, "root@example.com", "admin password 1");
    expect(created.created).toBe(true);
    const again = await ensureAdmin(db, "root@example.com");
    expect(again).toEqual({ id: created.id, created: false });
    expect((await db.user.findUniqueOrThrow({ where: { id: created.id } })).role).toBe("admin");
  });

  it("answers a malformed input with BAD_REQUEST and the validation message, never a 500", async () => {
    const caller = await callerFor(null);
    const error = await expectTrpcError(caller.auth.signUp({ email: ["x"], password: 12 } as never), "BAD_REQUEST");
    expect(error.message).toMatch(/email/);
  });
});
