import { ZModalityQuerySchema } from "@/lib/schemas/leaderboard";
import { createRequestContext } from "@/lib/server/api/context";
import { createCaller } from "@/lib/server/api/root";

export const dynamic = "force-dynamic";

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
};

export function OPTIONS() {
  return new Response(null, { status: 204, headers: CORS_HEADERS });
}

/** The newest preference groups of a modality: per-group leaderboards with persona descriptions (aggregates only). */
export async function GET(request: Request) {
  const parsed = ZModalityQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const message = parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("; ");
    return Response.json({ error: { code: "BAD_REQUEST", message } }, { status: 400, headers: CORS_HEADERS });
  }
  const data = await createCaller(await createRequestContext(request.headers)).preferenceGroups.get({ modality: parsed.data.modality });
  return Response.json({ modality: parsed.data.modality, fit: data }, { headers: { ...CORS_HEADERS, "Cache-Control": "public, max-age=60, stale-while-revalidate=300" } });
}
