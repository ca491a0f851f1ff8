/**
 * Runs in each test worker before any test module: points DATABASE_URL (read by lib/env) at the fresh
 * database that global-setup.ts created and migrated for this run, and SECRETS_FILE at its secrets file.
 * In-process tests vote the moment the answers are saved, so the reading floor is 0 unless a run sets it
 * (the HTTP suite sets its own per app).
 */
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.SECRETS_FILE = inject("secretsFile");
process.env.MIN_READ_SECONDS ??= "0";
// Personalization-experiment battles are random; suites that need them turn them on (see categories.test.ts).
process.env.PERSONALIZATION_EXPERIMENT_SHARE ??= "0";
