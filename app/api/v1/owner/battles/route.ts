import { z } from "zod";
import { AppError } from "@/lib/server/errors";
import { db } from "@/lib/server/db";
import { contentDisposition } from "@/lib/server/http/content-disposition";
import { exportOrganizationBattles, organizationExportFileName } from "@/lib/server/services/owner-dashboard";
import { getCurrentUser } from "@/lib/server/session";

export const dynamic = "force-dynamic";

const ZQuerySchema = z.object({ organizationId: z.string().min(1).max(100) });

function error(status: number, code: string, message: string) {
  return Response.json({ error: { code, message } }, { status });
}

/** JSONL export of an organization's battles for its model owners and admins (session auth). */
export async function GET(request: Request) {
  const user = await getCurrentUser(request.headers);
  if (!user) return error(401, "UNAUTHORIZED", "Please sign in first.");
  const parsed = ZQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
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
