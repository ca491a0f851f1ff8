import "server-only";
import { env } from "@/lib/env";
import { createPostgresDb, type PostgresDb } from "./kysely";

const globalForPostgres = globalThis as unknown as { arenaPostgresKysely?: PostgresDb };

/** The process's typed Kysely on the app's PostgreSQL database (a pool of its own, opened on first use; kept across dev reloads). */
export function appPostgres(): PostgresDb {
  return (globalForPostgres.arenaPostgresKysely ??= createPostgresDb(env.DATABASE_URL));
}
