import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/postgres/client";
import type { Db } from "@/lib/server/db";
import { createDriverAdapterFactory } from "@/lib/server/db/adapter";
import { checkHealth } from "@/lib/server/services/health";

describe("GET /api/health", () => {
  it("answers 200 with the database status when the database is up", async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ status: "ok", database: { ok: true } });
  });

  it("reports the database unavailable, with a short reason, when it cannot be reached", async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const unreachable = new PostgresPrismaClient({ adapter: createDriverAdapterFactory("postgresql://postgres@127.0.0.1:1/arena") }) as unknown as Db;
    try {
      const report = await checkHealth(unreachable, 2000);
      expect(report.status).toBe("unavailable");
      expect(report.database.ok).toBe(false);
      expect(report.database.error).toBeTruthy();
      expect(report.database.error!.length).toBeLessThanOrEqual(200);
    } finally {
      await unreachable.$disconnect();
    }
  });

  it("gives up on a database that does not answer within the time limit", async () => {
    const hanging = { $queryRaw: () => new Promise(() => {}) } as unknown as Db;
    const report = await checkHealth(hanging, 50);
    expect(report).toMatchObject({ status: "unavailable", database: { ok: false, error: "no answer within 50 ms" } });
  });
});
