import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/lib/server/api/root";
import { createRequestContext } from "@/lib/server/api/context";

/**
 * Answers one tRPC HTTP request whose body was already read within MAX_JSON_BODY_BYTES (the fetch
 * adapter has no limit of its own). Served by app/api/trpc/[trpc]/route.ts and, under `npm start`,
 * by the fast lane (lib/server/http/fast-lane.ts).
 */
export function respondToTrpc(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createRequestContext(request.headers),
  });
}
