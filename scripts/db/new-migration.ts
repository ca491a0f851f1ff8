/**
 * `npm run db:migration -- --name add_votes`: writes the migration that takes each provider's migration
 * history to the current prisma/schema.prisma, for SQLite and PostgreSQL at once, in Prisma's own format
 * (`<timestamp>_<name>/migration.sql` plus `migration_lock.toml`). Writes nothing when nothing changed.
 *
 * The PostgreSQL diff needs a server for its scratch database: MIGRATION_POSTGRES_URL, by default
 * postgresql://postgres@127.0.0.1:5432/postgres.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  DEFAULT_POSTGRES_URL,
  diffSchemaToMigrations,
  findRepoRoot,
  migrationLockfileContent,
  migrationsDirectory,
  type DatabaseKind,
} from "@/lib/server/db/migrations";

const KINDS: DatabaseKind[] = ["sqlite", "postgresql"];

/** Prisma's folder name: UTC `YYYYMMDDHHMMSS_name`, the name reduced to word characters. */
function migrationFolderName(name: string, now: Date): string {
  const timestamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${timestamp}_${name.replace(/[^A-Za-z0-9_]+/g, "_")}`.slice(0, 200);
}

async function main() {
  const { values } = parseArgs({ options: { name: { type: "string" } } });
  if (!values.name || !/\w/.test(values.name)) {
    throw new Error("Usage: npm run db:migration -- --name <what_changed>");
  }
  const root = findRepoRoot();
  const derive = spawnSync(process.execPath, ["--import", "tsx", "scripts/db/derive-schemas.ts"], { cwd: root, stdio: "inherit" });
  if (derive.status !== 0) throw new Error("scripts/db/derive-schemas.ts failed");

  const postgresUrl = process.env.MIGRATION_POSTGRES_URL ?? DEFAULT_POSTGRES_URL;
  const scripts = new Map<DatabaseKind, string>();
  for (const kind of KINDS) scripts.set(kind, await diffSchemaToMigrations(kind, { postgresUrl }));

  const changed = KINDS.filter((kind) => scripts.get(kind) !== "");
  if (changed.length === 0) {
    console.log("No schema changes: the migrations already match prisma/schema.prisma. Nothing written.");
    return;
  }
  if (changed.length !== KINDS.length) {
    // Both schemas derive from one file, so one-sided changes mean a hand-edited history.
    throw new Error(`Only ${changed.join(", ")} has schema changes; the two migration histories have diverged. Nothing written.`);
  }

  const folderName = migrationFolderName(values.name, new Date());
  for (const kind of KINDS) {
    const directory = migrationsDirectory(kind, root);
    const folder = path.join(directory, folderName);
    if (existsSync(folder)) throw new Error(`The migration folder already exists: ${folder}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "migration.sql"), scripts.get(kind)!);
    writeFileSync(path.join(directory, "migration_lock.toml"), migrationLockfileContent(kind));
    console.log(`Wrote ${path.relative(root, path.join(folder, "migration.sql"))}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
