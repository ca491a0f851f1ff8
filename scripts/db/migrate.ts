/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL (default file:./data/arena.db), like
 * `prisma migrate deploy` but offline, through Prisma's WASM schema engine.
 */
import { applyMigrations } from "@/lib/server/db/migrations";

const url = process.env.DATABASE_URL ?? "file:./data/arena.db";

try {
  const { applied } = await applyMigrations(url, { log: (message) => console.log(message) });
  console.log(applied.length === 0 ? "Database schema is up to date." : `Applied ${applied.length} migration(s).`);
} catch (error) {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
