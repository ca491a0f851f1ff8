import "server-only";
import { env } from "@/lib/env";
import { createPostgresDb, type PostgresDb } from "./kysely";

/** Connections of the stores' pool (Prisma keeps its own pool for everything else). */
const POSTGRES_POOL_SIZE = 10;

const globalForPostgres = globalThis as unknown as { arenaPostgresKysely?: PostgresDb };

/**
 * The process's typed Kysely on the app's PostgreSQL database, shared by every store (one pool of its own,
 * opened on first use; kept across dev reloads).
 */
export function appPostgres(): PostgresDb {
  return (globalForPostgres.arenaPostgresKysely ??= createPostgresDb(env.DATABASE_URL, { maxConnections: POSTGRES_POOL_SIZE }));
}
