import { beforeEach, describe, expect, it } from "vitest";
import { listAuditLog, recordAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db";
import { resetDatabase } from "../helpers/db";

beforeEach(() => resetDatabase(db));

async function recordAt(action: string, createdAt: Date, actorId: string | null = null) {
  const { id } = await recordAudit(db, { actorId, action, targetType: "model", targetId: "m1", details: { reason: action } });
  await db.auditLog.update({ where: { id }, data: { createdAt } });
  return id;
}

describe("audit log", () => {
  it("records an entry with its actor and details", async () => {
    const admin = await db.user.create({ data: { email: "admin@example.com", name: "Ada", role: "admin" } });
    await recordAudit(db, { actorId: admin.id, action: "model.pause", targetType: "model", targetId: "m1", details: { reason: "outage" } });
    const { items } = await listAuditLog(db);
    expect(items).toEqual([
      expect.objectContaining({
        action: "model.pause",
        targetType: "model",
        targetId: "m1",
        details: { reason: "outage" },
        actor: { id: admin.id, name: "Ada", email: "admin@example.com" },
      }),
    ]);
  });

  it("records system entries without actor or details", async () => {
    await recordAudit(db, { actorId: null, action: "release.publish", targetType: "release" });
    expect((await listAuditLog(db)).items[0]).toMatchObject({ actorId: null, actor: null, targetId: null, details: null });
  });

  it("lists newest first and pages with the cursor without gaps or repeats", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await recordAt(`a${i}`, new Date(Date.UTC(2026, 0, 1, 0, i))));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listAuditLog>> = await listAuditLog(db, { cursor, limit: 3 });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it("orders entries with the same time by id", async () => {
    const sameTime = new Date(Date.UTC(2026, 0, 1));
    const ids = [await recordAt("x", sameTime), await recordAt("y", sameTime), await recordAt("z", sameTime)];
    const first = await listAuditLog(db, { limit: 2 });
    const second = await listAuditLog(db, { limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((item) => item.id)).toEqual([...ids].sort().reverse());
    expect(second.nextCursor).toBeNull();
  });

  it("filters by action and target", async () => {
    await recordAudit(db, { actorId: null, action: "model.pause", targetType: "model", targetId: "m1" });
    await recordAudit(db, { actorId: null, action: "model.resume", targetType: "model", targetId: "m2" });
    expect((await listAuditLog(db, { action: "model.resume" })).items.map((item) => item.targetId)).toEqual(["m2"]);
    expect((await listAuditLog(db, { targetType: "model", targetId: "m1" })).items.map((item) => item.action)).toEqual(["model.pause"]);
  });

  it("clamps the page size to 1..200", async () => {
    await recordAudit(db, { actorId: null, action: "a", targetType: "t" });
    await recordAudit(db, { actorId: null, action: "b", targetType: "t" });
    expect((await listAuditLog(db, { limit: 0 })).items).toHaveLength(1);
  });
});
