/**
 * The built app on a fresh embedded database for HTTP tests (build dir `.next-sec`, built once when
 * missing), plus direct reads of that database: no app module is imported, the process under test is
 * the only writer.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { startApp, type TAppProcess } from "@/scripts/load/app-process";

export const SECURITY_DIST_DIR = process.env.NEXT_DIST_DIR_SECURITY ?? ".next-sec";

export interface TBuiltApp {
  app: TAppProcess;
  databaseUrl: string;
  folder: string;
  remove: () => Promise<void>;
}

export async function startBuiltAppOnSqlite(env: Record<string, string> = {}): Promise<TBuiltApp> {
  const folder = mkdtempSync(path.join(os.tmpdir(), "arena-http-"));
  const databaseUrl = `file:${path.join(folder, "arena.db")}`;
  const app = await startApp({
    databaseUrl,
    distDir: SECURITY_DIST_DIR,
    healthTimeoutMs: 120_000,
    env: {
      MEDIA_DIR: path.join(folder, "media"),
      RELEASE_DIR: path.join(folder, "releases"),
      DEMO_TOKENS_PER_SECOND: "100000",
      ...env,
    },
  });
  return {
    app,
    databaseUrl,
    folder,
    remove: async () => {
      await app.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Row count and a digest of every row of every table: any insert, update or delete changes it. */
export async function snapshotSqliteTables(databaseUrl: string): Promise<Record<string, { rows: number; digest: string }>> {
  const client = createClient({ url: databaseUrl });
  try {
    const tables = await client.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    const snapshot: Record<string, { rows: number; digest: string }> = {};
    for (const { name, sql } of tables.rows) {
      // WITHOUT ROWID tables (the vote ledger) have no rowid; their primary key orders them.
      const order = /without\s+rowid/i.test(String(sql)) ? "" : " ORDER BY rowid";
      const rows = await client.execute(`SELECT * FROM "${String(name)}"${order}`);
      const digest = createHash("sha256")
        .update(JSON.stringify(rows.rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)))
        .digest("hex");
      snapshot[String(name)] = { rows: rows.rows.length, digest };
    }
    return snapshot;
  } finally {
    client.close();
  }
}
