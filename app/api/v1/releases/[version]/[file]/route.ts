import { db } from "@/lib/server/db";
import { serveReleaseFile } from "@/lib/server/releases/download";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Params = { params: Promise<{ version: string; file: string }> };

async function handle(request: Request, { params }: Params) {
  const { version, file } = await params;
  return serveReleaseFile(db, request, version, file);
}

export const GET = handle;
export const HEAD = handle;
