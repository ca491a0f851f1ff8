import { httpBatchLink, type TRPCLink } from "@trpc/client";
import type { AppRouter } from "@/lib/server/api/root";
import { transformer } from "@/lib/trpc/transformer";

/**
 * The one tRPC link of the app's browser client (lib/trpc/react.tsx). The load benchmark and the HTTP
 * tests (scripts/load/arena-client.ts) build their client from it too, so they send exactly the
 * requests a browser sends: `?batch=1` calls with the superjson envelope and these headers.
 */
export const TRPC_ENDPOINT = "/api/trpc";

/** At most this many calls per request: the server's TRPC_MAX_BATCH (default 10) must not be lower. */
const BATCH_MAX_ITEMS = 10;

/** The fetch the link calls (the global one in a browser). */
export type TLinkFetch = NonNullable<Parameters<typeof httpBatchLink<AppRouter>>[0]["fetch"]>;

/**
 * `url` is the endpoint (absolute outside a browser); `fetch` replaces the global fetch where the
 * caller is not a browser and brings its own cookies and connection pool.
 */
export function arenaBatchLink({ url = TRPC_ENDPOINT, fetch }: { url?: string; fetch?: TLinkFetch } = {}): TRPCLink<AppRouter> {
  return httpBatchLink<AppRouter>({ url, fetch, transformer, maxItems: BATCH_MAX_ITEMS, headers: () => ({ "x-trpc-source": "react" }) });
}
