/** Applies migrations, seeds the demo content (and the simulated demo history) into an empty database, and creates the first admin from env. */
import { env } from "@/lib/env";
import { applyMigrations } from "@/lib/server/db/migrations";

const { applied } = await applyMigrations(env.DATABASE_URL);
console.log(applied.length ? `[db] applied ${applied.length} migration(s): ${applied.join(", ")}` : "[db] schema is up to date");

const { db } = await import("@/lib/server/db");
const { seedDemoContent } = await import("@/prisma/seed");
const { ensureAdmin } = await import("@/lib/server/services/accounts");

if (env.SEED_DEMO) {
  const seeded = await seedDemoContent(db);
  if (seeded.created) console.log(`[db] seeded ${seeded.models} demo models`);
  // Only a new database gets the simulated history; `npm run demo:remove` takes it out again.
  if (seeded.created && env.DEMO_HISTORY) {
    const { seedDemoHistory } = await import("@/lib/server/services/demo-history");
    const history = await seedDemoHistory(db);
    if (history.created) {
      console.log(`[db] seeded the simulated demo history: ${history.annotators} annotators, ${history.votes} votes${history.release ? `, release ${history.release}` : ""} (${history.seconds} s); remove it with npm run demo:remove`);
    }
  }
}
if (env.ADMIN_EMAIL) {
  const admin = await ensureAdmin(db, env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
  console.log(admin.created ? `[db] created admin ${env.ADMIN_EMAIL}` : `[db] ${env.ADMIN_EMAIL} is an admin`);
}
await db.$disconnect();
