import "server-only";
import { env } from "@/lib/env";
import { createPostgresDb, type PostgresDb } from "./kysely";

const globalForPostgres = globalThis as unknown as { arenaPostgresKysely?: PostgresDb; arenaPostgresLookups?: PostgresDb };

/**
 * The process's typed Kysely on the app's PostgreSQL database, shared by every store (one pool of its own of
 * POSTGRES_STORE_POOL_SIZE connections, opened on first use and kept open while idle: kysely.ts, createPostgresDb;
 * the pool is kept across dev reloads; Prisma keeps its own pool).
 */
export function appPostgres(): PostgresDb {
  return (globalForPostgres.arenaPostgresKysely ??= createPostgresDb(env.DATABASE_URL, { maxConnections: env.POSTGRES_STORE_POOL_SIZE }));
}

/**
 * The pool of the store's key-lookup reads, whose plans are made once per connection (kysely.ts, TPlanning
 * "once"): its own pool because PostgreSQL's plan caching is a setting of the connection. Up to
 * POSTGRES_STORE_POOL_SIZE connections too, opened as reads need them (the tick batch sends a few at a time).
 */
export function appPostgresLookups(): PostgresDb {
  return (globalForPostgres.arenaPostgresLookups ??= createPostgresDb(env.DATABASE_URL, { maxConnections: env.POSTGRES_STORE_POOL_SIZE, planning: "once" }));
}

/** Closes the store's pools this process opened (a script's end); a later use opens new ones. */
export async function closeAppPostgres(): Promise<void> {
  const { arenaPostgresKysely, arenaPostgresLookups } = globalForPostgres;
  globalForPostgres.arenaPostgresKysely = globalForPostgres.arenaPostgresLookups = undefined;
  await Promise.all([arenaPostgresKysely?.destroy(), arenaPostgresLookups?.destroy()]);
}
