/**
 * Runs in each test worker before any test module: points DATABASE_URL (read by lib/env) at the fresh
 * database that global-setup.ts created and migrated for this run.
 */
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
// Personalization-experiment battles are random; suites that need them turn them on (see categories.test.ts).
process.env.PERSONALIZATION_EXPERIMENT_SHARE ??= "0";
