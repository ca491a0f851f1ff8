import { sql } from "kysely";
import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "@/lib/env";
import { createPostgresDb, type PostgresDb } from "@/lib/server/store/kysely";

const CONNECTIONS = 3;

/** The backend each of `CONNECTIONS` statements sent at once ran on: one per pooled connection. */
async function backendsOf(store: PostgresDb): Promise<number[]> {
  const rows = await Promise.all(
    Array.from({ length: CONNECTIONS }, () => sql<{ pid: number }>`select pg_backend_pid() as pid from pg_sleep(0.05)`.execute(store)),
  );
  return rows.map((result) => result.rows[0].pid).sort((a, b) => a - b);
}

// The store's pools keep their connections through a lull: a burst after it finds them open, not new backends to
// start and statements to prepare and plan again.
describe("the store's PostgreSQL pool", () => {
  let store: PostgresDb | null = null;

  afterEach(async () => {
    vi.useRealTimers();
    await store?.destroy();
  });

  it("keeps its idle connections however long the lull", async () => {
    // Only the timers: the pool's idle timeout is one (pg's default closes a connection idle for 10 s).
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    store = createPostgresDb(env.DATABASE_URL, { maxConnections: CONNECTIONS });
    const first = await backendsOf(store);
    expect(new Set(first).size).toBe(CONNECTIONS);

    vi.advanceTimersByTime(10 * 60_000);

    expect(await backendsOf(store)).toEqual(first);
  });
});
