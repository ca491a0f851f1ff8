import { z } from "zod";
import { leaderboardToCsv, ZPublicLeaderboardSchema } from "@/lib/domain/leaderboard/snapshot";
import { ZLeaderboardQuerySchema } from "@/lib/schemas/leaderboard";
import { createRequestContext } from "@/lib/server/api/context";
import { createCaller } from "@/lib/server/api/root";

export const dynamic = "force-dynamic";

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Expose-Headers": "X-Simulated-Votes",
};
const CACHE_CONTROL = "public, max-age=30, stale-while-revalidate=60";

const ZQuerySchema = ZLeaderboardQuerySchema.extend({
  format: z.enum(["json", "csv"], { message: "format must be json or csv" }).default("json"),
});

function badRequest(message: string) {
  return Response.json({ error: { code: "BAD_REQUEST", message } }, { status: 400, headers: CORS_HEADERS });
}

export function OPTIONS() {
  return new Response(null, { status: 204, headers: CORS_HEADERS });
}

export async function GET(request: Request) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = ZQuerySchema.safeParse(params);
  if (!parsed.success) return badRequest(parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("; "));
  const { modality, variant, format } = parsed.data;
  const api = createCaller(await createRequestContext(request.headers));
  const [{ data }, simulatedVotes] = await Promise.all([api.leaderboard.get({ modality, variant }), api.stats.simulatedVotes({ modality })]);
  const body = ZPublicLeaderboardSchema.parse({
    modality,
    variant,
    label: data?.label ?? null,
    computedAt: data?.computedAt ?? null,
    voteCount: data?.voteCount ?? 0,
    rows: (data?.rows ?? []).map(({ organizationId: _organizationId, ...row }) => row),
  });
  // Votes of the living demo's simulated annotators, so scripts can tell a demo board from a real one.
  const headers = { ...CORS_HEADERS, "Cache-Control": CACHE_CONTROL, "X-Simulated-Votes": String(simulatedVotes) };
  if (format === "csv") {
    return new Response(leaderboardToCsv(data?.rows ?? []), {
      headers: { ...headers, "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `inline; filename="leaderboard-${modality}-${variant.replace(/[^a-z0-9_-]+/giu, "-")}.csv"` },
    });
  }
  return Response.json(body, { headers });
}
