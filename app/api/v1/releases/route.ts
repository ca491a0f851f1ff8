import { createRequestContext } from "@/lib/server/api/context";
import { createCaller } from "@/lib/server/api/root";
import { releaseIndex } from "@/lib/server/releases/download";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const releases = await createCaller(await createRequestContext(request.headers)).release.list();
  return releaseIndex(releases, request.url);
}
