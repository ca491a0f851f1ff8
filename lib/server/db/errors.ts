/**
 * Whether a unique constraint refused a write: Prisma's P2002 (from either generated client), or the
 * driver's own code from the store's connections (lib/server/store): SQLite's from libsql, PostgreSQL's
 * unique_violation (23505) from pg.
 *
 * No "server-only": scripts use the same services.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === "P2002" || code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
