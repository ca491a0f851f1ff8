/**
 * Vitest global setup of the integration project: one FRESH, fully migrated database per run, chosen by
 * TEST_DATABASE (see createScratchDatabase), removed when the run ends. The URL reaches the tests through
 * `inject("databaseUrl")` (see setup.ts) and DATABASE_URL.
 */
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../lib/server/db/migrations";
import { createScratchDatabase } from "./helpers/db";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
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
  return () => database.remove();
}
