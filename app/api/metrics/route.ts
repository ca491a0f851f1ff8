import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { metricsRegistry } from "@/lib/server/metrics";

export const dynamic = "force-dynamic";

/**
 * Always behind a token: per-model series (requests, errors, latency by model) read before and after a
 * battle would tell an annotator which models were in it. Without METRICS_TOKEN nobody may read them.
 */
function isAuthorized(req: Request): boolean {
  if (!env.METRICS_TOKEN) return false;
  const presented = Buffer.from(req.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${env.METRICS_TOKEN}`);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

export async function GET(req: Request) {
  if (!isAuthorized(req)) return Response.json({ error: "A valid metrics token is required." }, { status: 401 });
  return new Response(await metricsRegistry.metrics(), { headers: { "Content-Type": metricsRegistry.contentType, "Cache-Control": "no-store" } });
}
