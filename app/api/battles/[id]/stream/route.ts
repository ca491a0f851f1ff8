import { respondWithBattleStream } from "@/lib/server/battles/event-stream";

export const dynamic = "force-dynamic";

/** Server-Sent Events of one battle's answers, for its owner (see lib/server/battles/event-stream.ts). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return respondWithBattleStream(request.headers, id, request.signal);
}
