/**
 * Whether a unique constraint refused a write: Prisma's P2002 (from either generated client), or
 * SQLite's own code from the app's direct libsql connection (lib/server/db/sqlite-direct.ts).
 *
 * No "server-only": scripts use the same services.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === "P2002" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
