import { env } from "@/lib/env";
import { answerTrpc } from "@/lib/server/api/handler";
import { readBodyWithin } from "@/lib/server/security/body";

/** tRPC under `next dev` or with FAST_LANE=false: the same handler the fast lane calls (lib/server/api/handler.ts). */
async function handler(req: Request) {
  let body: Uint8Array | null = null;
  if (req.method !== "GET" && req.method !== "HEAD") {
    const read = await readBodyWithin(req, env.MAX_JSON_BODY_BYTES);
    if (!read.ok) return read.response;
    body = read.bytes;
  }
  const url = new URL(req.url);
  const answer = await answerTrpc({ method: req.method, pathname: url.pathname, searchParams: url.searchParams, headers: req.headers, body });
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

export { handler as GET, handler as POST };
