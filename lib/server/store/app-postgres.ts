import "server-only";
import { env } from "@/lib/env";
import { createPostgresDb, type PostgresDb } from "./kysely";

const globalForPostgres = globalThis as unknown as { arenaPostgresKysely?: PostgresDb };

/**
 * The process's typed Kysely on the app's PostgreSQL database, shared by every store (one pool of its own of
 * POSTGRES_STORE_POOL_SIZE connections, opened on first use; kept across dev reloads; Prisma keeps its own pool).
 */
export function appPostgres(): PostgresDb {
  return (globalForPostgres.arenaPostgresKysely ??= createPostgresDb(env.DATABASE_URL, { maxConnections: env.POSTGRES_STORE_POOL_SIZE }));
}
