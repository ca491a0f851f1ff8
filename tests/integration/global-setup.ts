/**
 * Vitest global setup of the integration project: one FRESH, fully migrated database per run, chosen by
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

export default async function setup(project: TestProject) {
  const database = createScratchDatabase("arena_test");
  try {
    await applyMigrations(database.url);
  } catch (error) {
    await database.remove();
    throw error;
  }
  process.env.DATABASE_URL = database.url;
  project.provide("databaseUrl", database.url);
  // The run's own secrets file, created the way every entry point creates data/secrets.json.
  const secretsDir = mkdtempSync(join(tmpdir(), "arena-secrets-"));
  const secretsFile = join(secretsDir, "secrets.json");
  resolveGeneratedSecrets({ ...process.env, SECRETS_FILE: secretsFile }, { create: true });
  project.provide("secretsFile", secretsFile);
  return async () => {
    rmSync(secretsDir, { recursive: true, force: true });
    await database.remove();
  };
}
