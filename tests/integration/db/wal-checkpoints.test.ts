import { statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { walCheckpointerRunning } from "@/lib/server/db/wal-checkpointer";
import { createOwnSqliteDatabase, type OwnSqliteDatabase } from "../helpers/db";

/** Polls `read` until `done` holds or `timeoutMs` passes; returns the last value. */
async function pollUntil<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Its own SQLite file, whichever database the rest of the suite runs on.
describe("SQLite WAL checkpoints on their own thread", () => {
  let own: OwnSqliteDatabase;
  let db: OwnSqliteDatabase["db"];
  let file: string;

  beforeAll(async () => {
    own = await createOwnSqliteDatabase("wal");
    ({ db, file } = own);
  });
  afterAll(() => own.remove());

  it("turns the automatic checkpoint off on the app's connection and copies committed pages into the database file from a thread", async () => {
    await db.organization.count();
    expect(walCheckpointerRunning(file)).toBe(true);
    const [setting] = await db.$queryRawUnsafe<{ wal_autocheckpoint: number | bigint }[]>("PRAGMA wal_autocheckpoint");
    expect(Number(setting.wal_autocheckpoint)).toBe(0);

    const before = statSync(file).size;
    // ~2 MB committed: 500 pages, under the automatic threshold of 1000 anyway, so only the
    // checkpoint thread can move them from the WAL into the database file.
    const name = "x".repeat(1000);
    for (let batch = 0; batch < 4; batch++) {
      await db.organization.createMany({ data: Array.from({ length: 500 }, (_, k) => ({ slug: `org-${batch}-${k}`, name })) });
    }
    const after = await pollUntil(() => statSync(file).size, (size) => size >= before + 2_000_000, 10_000);
    expect(after).toBeGreaterThanOrEqual(before + 2_000_000);
    expect(await db.organization.count()).toBe(2000);
  });
});
