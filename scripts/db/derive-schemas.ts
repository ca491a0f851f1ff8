/**
 * Derives prisma/postgres/schema.prisma from prisma/schema.prisma: the two differ only in the datasource
 * provider and the generated client's folder. Run by `npm run db:generate` before `prisma generate`.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

const source = readFileSync("prisma/schema.prisma", "utf8");
const postgres = source
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('output       = "../lib/generated/sqlite"', 'output       = "../../lib/generated/postgres"')
  // PostgreSQL stores dates, booleans and JSON natively; the driver (pg) returns Date, boolean and parsed JSON.
  .replace(/(output\s*=\s*)"\.\.\/lib\/generated\/sqlite\/kysely"/, '$1"../../lib/generated/postgres/kysely"')
  .replace(/\n\s*jsonTypeOverride\s*=\s*"string"/, "")
  .replace(/^\/\/ This file is the single source of truth[\s\S]*?\n\n/m, "// GENERATED from prisma/schema.prisma by scripts/db/derive-schemas.ts: edit that file instead.\n\n");
if (postgres === source || !postgres.includes('"postgresql"') || !postgres.includes("lib/generated/postgres") || !postgres.includes("lib/generated/postgres/kysely")) {
  throw new Error("derive-schemas: prisma/schema.prisma no longer has the expected datasource or generator lines");
}
mkdirSync("prisma/postgres", { recursive: true });
writeFileSync("prisma/postgres/schema.prisma", postgres);
