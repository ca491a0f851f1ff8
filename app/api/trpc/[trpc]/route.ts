import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "@/lib/env";
import { appRouter } from "@/lib/server/api/root";
import { createRequestContext } from "@/lib/server/api/context";
import { readBodyWithin } from "@/lib/server/security/body";

async function handler(req: Request) {
  let request = req;
  if (req.method !== "GET" && req.method !== "HEAD") {
    // The fetch adapter has no body limit of its own: read the body within MAX_JSON_BODY_BYTES first.
    const body = await readBodyWithin(req, env.MAX_JSON_BODY_BYTES);
    if (!body.ok) return body.response;
    request = new Request(req.url, { method: req.method, headers: req.headers, body: new Uint8Array(body.bytes) });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createRequestContext(request.headers),
  });
}

export { handler as GET, handler as POST };
