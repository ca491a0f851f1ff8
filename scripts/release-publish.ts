/**
 * Publishes one release on demand: `npm run release:publish -- --window 2026-11` (a month or an ISO
 * week such as 2026-W47). Prints the published release as JSON; exits 1 with the reason otherwise.
 */
import "./ensure-secrets";
import { parseArgs } from "node:util";
import { db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { publishRelease } from "@/lib/server/services/releases";

const { values } = parseArgs({ options: { window: { type: "string" } } });

async function main(): Promise<number> {
  if (!values.window) {
    console.error("Usage: npm run release:publish -- --window 2026-11   (a month YYYY-MM or an ISO week YYYY-Www)");
    return 2;
  }
  try {
    const release = await publishRelease(db, { window: values.window });
    console.log(JSON.stringify({ version: release.version, rows: release.rowCount, k: release.kAnonymity, files: release.files }, null, 2));
    return 0;
  } catch (error) {
    console.error(error instanceof AppError ? `Not published: ${error.message}` : error);
    return 1;
  }
}

const code = await main();
await db.$disconnect();
process.exit(code);
