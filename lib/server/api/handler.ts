import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "@/lib/env";
import { appRouter } from "@/lib/server/api/root";
import { createRequestContext } from "@/lib/server/api/context";

/**
 * Answers one tRPC HTTP request, through tRPC's public fetch adapter, whose body was already read
 * within MAX_JSON_BODY_BYTES (the adapter has no limit of its own). The one way tRPC is served:
 * app/api/trpc/[trpc]/route.ts calls it under `next dev` or with FAST_LANE=false, and the fast lane
 * (lib/server/http/fast-lane.ts) under `npm start`. Errors reach clients through the router's one
 * error formatter (lib/server/api/trpc.ts).
 */
export function respondToTrpc(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    // More calls than this in one batch get a 400 before any runs (the browser client sends at most 10).
    maxBatchSize: env.TRPC_MAX_BATCH,
    createContext: () => createRequestContext(request.headers),
  });
}
