import { env } from "@/lib/env";
import { respondToTrpc } from "@/lib/server/api/handler";
import { readBodyWithin } from "@/lib/server/security/body";

async function handler(req: Request) {
  if (req.method === "GET" || req.method === "HEAD") return respondToTrpc(req);
  const body = await readBodyWithin(req, env.MAX_JSON_BODY_BYTES);
  if (!body.ok) return body.response;
  return respondToTrpc(new Request(req.url, { method: req.method, headers: req.headers, body: new Uint8Array(body.bytes) }));
}

export { handler as GET, handler as POST };
