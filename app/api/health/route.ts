import { db } from "@/lib/server/db";
import { checkHealth } from "@/lib/server/services/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await checkHealth(db);
  return Response.json(report, { status: report.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
