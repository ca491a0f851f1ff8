import "server-only";
import type { Db } from "@/lib/server/db";

export type HealthReport = { status: "ok" | "unavailable"; database: { ok: boolean; latencyMs: number; error?: string } };

/** Pings the database with a bounded wait so a hung connection reports unavailable instead of hanging. */
export async function checkHealth(db: Db, timeoutMs = 2000): Promise<HealthReport> {
  const started = performance.now();
  try {
    await Promise.race([
      db.$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { status: "ok", database: { ok: true, latencyMs: Math.round(performance.now() - started) } };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : "unreachable";
    return { status: "unavailable", database: { ok: false, latencyMs: Math.round(performance.now() - started), error: message } };
  }
}
