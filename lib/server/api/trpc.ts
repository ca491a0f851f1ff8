import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import { env } from "@/lib/env";
import { hasAccess, type TScope } from "@/lib/domain/auth/roles";
import type { Db } from "@/lib/server/db";
import { AppError, type AppErrorCode } from "@/lib/server/errors";
import type { SessionUser } from "@/lib/server/services/accounts";
import { transformer } from "@/lib/trpc/transformer";

export type TrpcContext = {
  db: Db;
  /** Loaded from the database on every request: role changes, bans and deletions apply at once. */
  user: SessionUser | null;
  /** Client address for rate limits; never stored. */
  ip: string | null;
};

const TRPC_CODE: Record<AppErrorCode, TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  PROVIDER_ERROR: "BAD_GATEWAY",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

/** Validation messages as one readable sentence: "email: Enter a valid email address." */
function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/**
 * What a client sees for a tRPC error: our own messages (AppError, validation, errors we throw without a
 * cause, tRPC's protocol errors) as they are; anything a library threw while reading the request
 * (JSON.parse, superjson on a 100,000-deep `meta`: "Maximum call stack size exceeded") as one plain
 * sentence, since its text describes our internals, not the request.
 */
function publicMessage(error: TRPCError, isInternal: boolean): string {
  const cause = error.cause;
  if (isInternal) return "Something went wrong on our side. Please try again.";
  if (cause instanceof ZodError) return describeZodError(cause);
  // tRPC's own words for a batch over maxBatchSize (lib/server/api/handler.ts) do not say the limit.
  if (error.code === "BAD_REQUEST" && error.message === "Batch call exceeds maximum size") return `A batch may hold at most ${env.TRPC_MAX_BATCH} calls; send fewer at once.`;
  if (cause instanceof AppError || !(cause instanceof Error) || cause === error) return error.message;
  return error.code === "BAD_REQUEST" ? "This request could not be read: its input is not valid." : error.message;
}

const t = initTRPC.context<TrpcContext>().create({
  transformer,
  /** The one place errors become what users see: typed messages pass, internals never do. */
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const isInternal = error.code === "INTERNAL_SERVER_ERROR" && !(cause instanceof AppError);
    if (isInternal) console.error("[trpc] internal error", error.cause ?? error);
    const fieldErrors =
      cause instanceof ZodError
        ? Object.fromEntries(cause.issues.map((issue) => [issue.path.join("."), issue.message]))
        : cause instanceof AppError
          ? cause.fieldErrors ?? null
          : null;
    return {
      ...shape,
      message: publicMessage(error, isInternal),
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, fieldErrors },
    };
  },
});

/** A failed call's service error (AppError) as the tRPC error with the matching code; other results pass. */
function mapAppError<TResult extends { ok: boolean; error?: { cause?: unknown } }>(result: TResult): TResult {
  const cause = result.ok ? undefined : result.error?.cause;
  if (cause instanceof AppError) throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  return result;
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Converts service errors into tRPC errors with the matching code; unknown errors stay internal. */
export const publicProcedure = t.procedure.use(async ({ next }) => mapAppError(await next()));

/**
 * Anyone with a session, guests included. The session check and the error mapping are one middleware, not
 * publicProcedure's plus one: every layer of tRPC's middleware chain copies the call's options and context
 * (several object spreads), and this procedure serves the arena's every call.
 */
export const protectedProcedure = t.procedure.use(async ({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in or continue as a guest first." });
  return mapAppError(await next({ ctx: { user: ctx.user } }));
});

/**
 * The one scope check (lib/domain/auth/roles.ts is the table): FORBIDDEN unless the user's role grants
 * `scope`. scopedProcedure runs it; so do auth.access (pages) and the /api/v1 handlers that stream.
 */
export function assertScope(user: SessionUser, scope: TScope): void {
  if (!hasAccess(user.role as Parameters<typeof hasAccess>[0], scope)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Your account does not have access to this." });
  }
}

/** A procedure for users whose role grants `scope`. */
export const scopedProcedure = (scope: TScope) =>
  protectedProcedure.use(({ ctx, next }) => {
    assertScope(ctx.user, scope);
    return next({ ctx });
  });

export const accountProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.isGuest) throw new TRPCError({ code: "FORBIDDEN", message: "Create an account to do this." });
  return next({ ctx });
});
export const ownerProcedure = scopedProcedure("owner:dashboard");
export const adminProcedure = scopedProcedure("registry:manage");

export { z };
