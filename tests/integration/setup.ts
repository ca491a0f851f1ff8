/**
 * Runs in each test worker before any test module: points DATABASE_URL (read by lib/env) at the fresh
 * database that global-setup.ts created and migrated for this run.
 */
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
