import { db } from "@/lib/server/db";
import { serveMedia } from "@/lib/server/media/serve-media";
import { getMediaStorage } from "@/lib/server/media/storage";

export const dynamic = "force-dynamic";

async function mimeFromResponses(sha256: string): Promise<string | null> {
  const response = await db.response.findFirst({ where: { mediaSha256: sha256, mediaMime: { not: null } }, select: { mediaMime: true } });
  return response?.mediaMime ?? null;
}

/** Generated images and audio by content hash (HEAD is answered by this handler too). */
export async function GET(request: Request, { params }: { params: Promise<{ sha256: string }> }) {
  const { sha256 } = await params;
  return serveMedia(request, sha256, { storage: getMediaStorage(), lookupMime: mimeFromResponses });
}
