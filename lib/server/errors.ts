import "server-only";

export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS"
  | "PROVIDER_ERROR"
  | "INTERNAL";

/**
 * The one error type services throw. `message` is shown to users as is, so it must be human and must not
 * carry internals; `fieldErrors` name form fields (e.g. sign-up's email) for inline messages.
 */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} was not found.`);
export const forbidden = (message = "You do not have access to this.") => new AppError("FORBIDDEN", message);
