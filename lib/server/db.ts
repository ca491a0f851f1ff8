import "server-only";
import { PrismaClient } from "@/lib/generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/postgres/client";
import { env, isPostgres } from "@/lib/env";
import { createDriverAdapterFactory } from "@/lib/server/db/adapter";

/** Secret columns are never selected unless a query asks for them explicitly. */
const omit = { user: { passwordHash: true } } as const;

const createSqliteClient = (adapter: ReturnType<typeof createDriverAdapterFactory>) => new PrismaClient({ adapter, omit });
export type Db = ReturnType<typeof createSqliteClient>;

function createPrismaClient(): Db {
  const adapter = createDriverAdapterFactory(env.DATABASE_URL);
  // Both generated clients come from one schema (prisma/schema.prisma), so their model APIs are the same;
  // the app is typed against the SQLite one.
  if (isPostgres) return new PostgresPrismaClient({ adapter, omit }) as unknown as Db;
  // SQLite pragmas (WAL, synchronous, busy timeout) are set per connection in lib/server/db/adapter.ts.
  return createSqliteClient(adapter);
}

const globalForPrisma = globalThis as unknown as { prisma?: Db };

/** One cached client per process (dev hot reload would otherwise open a new pool per edit). */
export const db: Db = globalForPrisma.prisma ?? createPrismaClient();
globalForPrisma.prisma = db;

/**
 * Prisma builds its query compiler (WebAssembly) on a process's first query, 40–62 ms on the event loop:
 * instrumentation.ts runs this at server start, before requests are served, so no request pays it.
 * $connect loads the compiler; one small query compiles a first plan. Best effort: a database not
 * reachable yet fails the requests that need it, not the start.
 */
export async function warmDatabaseClient(client: Db = db): Promise<void> {
  await client.$connect().catch(() => undefined);
  await client.arenaModel.findFirst({ select: { id: true } }).catch(() => undefined);
}

