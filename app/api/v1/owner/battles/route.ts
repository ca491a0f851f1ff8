import { TRPCError } from "@trpc/server";
import { ZOrganizationQuerySchema } from "@/lib/schemas/owner";
import { createRequestContext } from "@/lib/server/api/context";
import { assertScope } from "@/lib/server/api/trpc";
import { AppError } from "@/lib/server/errors";
import { contentDisposition } from "@/lib/server/http/content-disposition";
import { exportOrganizationBattles, organizationExportFileName } from "@/lib/server/services/owner-dashboard";

export const dynamic = "force-dynamic";

function error(status: number, code: string, message: string) {
  return Response.json({ error: { code, message } }, { status });
}

/**
 * JSONL export of an organization's battles for its model owners and admins (session auth). A stream
 * is no tRPC answer, so this calls the service behind owner.dashboard with tRPC's context and input
 * schema, after the same checks: ownerProcedure's scope (assertScope), then the service's
 * assertOrganizationAccess.
 */
export async function GET(request: Request) {
  const { db, user } = await createRequestContext(request.headers);
  if (!user) return error(401, "UNAUTHORIZED", "Please sign in first.");
  try {
    assertScope(user, "owner:dashboard");
  } catch (caught) {
    if (caught instanceof TRPCError && caught.code === "FORBIDDEN") return error(403, "FORBIDDEN", caught.message);
    throw caught;
  }
  const parsed = ZOrganizationQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return error(400, "BAD_REQUEST", "organizationId is required.");
  const battles = exportOrganizationBattles(db, user, parsed.data.organizationId);
  // Pull the first item before answering so that a refused access is a 403, not a broken stream.
  let first: IteratorResult<unknown>;
  try {
    first = await battles.next();
  } catch (caught) {
    if (caught instanceof AppError && caught.code === "FORBIDDEN") return error(403, "FORBIDDEN", caught.message);
    throw caught;
  }
  const fileName = await organizationExportFileName(db, parsed.data.organizationId);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      if (!first.done) controller.enqueue(encoder.encode(JSON.stringify(first.value) + "\n"));
    },
    async pull(controller) {
      if (first.done) return controller.close();
      const next = await battles.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(JSON.stringify(next.value) + "\n"));
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": contentDisposition("attachment", fileName),
      "Cache-Control": "no-store",
    },
  });
}
