import { db } from "@/lib/server/db";
import { releaseIndex } from "@/lib/server/releases/download";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return releaseIndex(db, request.url);
}
