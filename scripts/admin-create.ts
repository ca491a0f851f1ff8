/** `npm run admin:create -- --email you@example.com [--password …]`: creates or promotes an admin account. */
import "./ensure-secrets";
import { parseArgs } from "node:util";
import { env } from "@/lib/env";
import { applyMigrations } from "@/lib/server/db/migrations";

const { values } = parseArgs({ options: { email: { type: "string" }, password: { type: "string" } } });
if (!values.email) {
  console.error("usage: npm run admin:create -- --email you@example.com [--password 'at least 10 characters']");
  process.exit(2);
}
await applyMigrations(env.DATABASE_URL);
const { db } = await import("@/lib/server/db");
const { ensureAdmin } = await import("@/lib/server/services/accounts");
const { AppError } = await import("@/lib/server/errors");
try {
  const result = await ensureAdmin(db, values.email, values.password);
  console.log(result.created ? `Created admin account ${values.email}.` : `${values.email} is now an admin.`);
} catch (error) {
  console.error(error instanceof AppError ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
