import { openBattleEventStream } from "@/lib/server/battles/event-stream";
import { db } from "@/lib/server/db";
import { getCurrentUser } from "@/lib/server/session";

export const dynamic = "force-dynamic";

/** Server-Sent Events of one battle's answers, for its owner (see lib/server/battles/event-stream.ts). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const [{ id }, user] = await Promise.all([params, getCurrentUser(request.headers)]);
  if (!user) return Response.json({ error: "Please sign in or continue as a guest first." }, { status: 401 });
  return openBattleEventStream({ db, userId: user.id, battleId: id, signal: request.signal });
}
