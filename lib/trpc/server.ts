import "server-only";
import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { headers } from "next/headers";
import { cache } from "react";
import type { TScope } from "@/lib/domain/auth/roles";
import { createRequestContext } from "@/lib/server/api/context";
import { createCaller } from "@/lib/server/api/root";

/**
 * Server components read through the same procedures as the browser (create-t3-app's
 * `lib/trpc/server.ts`): the same context from the request's headers, the same permission checks, the
 * same input validation. The context is built once per request (React's `cache`), so a layout and its
 * page load the signed-in user once.
 */
const createContext = cache(async () => createRequestContext(await headers()));

export const api = createCaller(createContext);

/** Whether a procedure refused with one of `codes` (pages turn those refusals into their own UI). */
export function isTrpcError(error: unknown, ...codes: TRPC_ERROR_CODE_KEY[]): error is TRPCError {
  return error instanceof TRPCError && codes.includes(error.code);
}

/**
 * Whether the signed-in user's role grants `scope`, as the procedures decide (auth.access); false when
 * nobody is signed in. Pages gate on this instead of reading the role themselves.
 */
export async function hasScope(scope: TScope): Promise<boolean> {
  return api.auth.access({ scope }).then(
    () => true,
    (error: unknown) => {
      if (isTrpcError(error, "UNAUTHORIZED", "FORBIDDEN")) return false;
      throw error;
    },
  );
}
