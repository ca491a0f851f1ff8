/**
 * Vitest global setup of the integration projects: one FRESH, fully migrated database per run, chosen by
 * TEST_DATABASE (see createScratchDatabase), removed when the run ends. The URL reaches the tests through
 * `inject("databaseUrl")` (see setup.ts) and DATABASE_URL; likewise a fresh secrets file (SECRETS_FILE).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { resolveGeneratedSecrets } from "../../lib/secrets.js";
import { applyMigrations } from "../../lib/server/db/migrations";
import { createScratchDatabase } from "./helpers/db";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    secretsFile: string;
  }
}

interface TRunDatabase {
  databaseUrl: string;
  secretsFile: string;
  remove: () => Promise<void>;
}

async function createRunDatabase(): Promise<TRunDatabase> {
  const database = createScratchDatabase("arena_test");
  try {
    await applyMigrations(database.url);
  } catch (error) {
    await database.remove();
    throw error;
  }
  // The run's own secrets file, created the way every entry point creates data/secrets.json.
  const secretsDir = mkdtempSync(join(tmpdir(), "arena-secrets-"));
  const secretsFile = join(secretsDir, "secrets.json");
  resolveGeneratedSecrets({ ...process.env, SECRETS_FILE: secretsFile }, { create: true });
  return {
    databaseUrl: database.url,
    secretsFile,
    remove: async () => {
      rmSync(secretsDir, { recursive: true, force: true });
      await database.remove();
    },
  };
}

/**
 * Both integration projects (vitest.config.ts) run this setup, each on a module instance of its own, at the same
 * time; they run their files one after the other, so they share one database, made once per vitest process
 * (on globalThis) and removed when the last project ends.
 */
const shared = globalThis as unknown as { arenaIntegrationDatabase?: { database: Promise<TRunDatabase>; users: number } };

export default async function setup(project: TestProject) {
  const run = (shared.arenaIntegrationDatabase ??= { database: createRunDatabase(), users: 0 });
  run.users++;
  const { databaseUrl, secretsFile, remove } = await run.database;
  process.env.DATABASE_URL = databaseUrl;
  project.provide("databaseUrl", databaseUrl);
  project.provide("secretsFile", secretsFile);
  return async () => {
    if (--run.users === 0) await remove();
  };
}
