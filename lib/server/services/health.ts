import "server-only";
import type { Db } from "@/lib/server/db";

export type HealthReport = { status: "ok" | "unavailable"; database: { ok: boolean; latencyMs: number; error?: string } };

/** Pings the database with a bounded wait so a hung connection reports unavailable instead of hanging. */
export async function checkHealth(db: Db, timeoutMs = 2000): Promise<HealthReport> {
  const started = performance.now();
  try {
    await Promise.race([
      // Prisma's tagged template (no string SQL): the app's own connection, the one requests use.
      db.$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { status: "ok", database: { ok: true, latencyMs: Math.round(performance.now() - started) } };
  } catch (error) {
    // Driver errors can start with blank lines or carry only a code: keep the first meaningful line.
    const firstLine = error instanceof Error ? error.message.split("\n").map((line) => line.trim()).find(Boolean) : undefined;
    const code = (error as { code?: unknown } | null)?.code;
    const message = (firstLine ?? (typeof code === "string" ? code : "database unreachable")).slice(0, 200);
    return { status: "unavailable", database: { ok: false, latencyMs: Math.round(performance.now() - started), error: message } };
  }
}
