import { TRPCError } from "@trpc/server";
import { createRequestContext } from "@/lib/server/api/context";
import { createCaller } from "@/lib/server/api/root";
import { serveReleaseFile } from "@/lib/server/releases/download";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Params = { params: Promise<{ version: string; file: string }> };

/** The release is read through release.byVersion, as the release page reads it; a version it refuses as malformed is one that does not exist. */
async function handle(request: Request, { params }: Params) {
  const { version, file } = await params;
  const context = await createRequestContext(request.headers);
  const release = await createCaller(context)
    .release.byVersion({ version })
    .catch((error: unknown) => {
      if (error instanceof TRPCError && error.code === "BAD_REQUEST") return null;
      throw error;
    });
  return serveReleaseFile(context.db, request, release, version, file);
}

export const GET = handle;
export const HEAD = handle;
