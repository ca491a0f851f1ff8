/**
 * `npm run demo:remove`: removes the simulated demo history (simulated annotators, their battles and
 * votes, the demo release) from the configured database and drops the stored leaderboards so they
 * are recomputed from real votes only. The demo models stay; retire them in /admin if unwanted.
 * A running app notices the removed votes on its next leaderboard run.
 */
import { env } from "@/lib/env";

const { db } = await import("@/lib/server/db");
const { removeDemoHistory } = await import("@/lib/server/services/demo-history");

const removed = await removeDemoHistory(db, { releaseDir: env.RELEASE_DIR });
console.log(
  removed.annotators === 0 && removed.votes === 0
    ? "[demo] no simulated demo data found"
    : `[demo] removed ${removed.annotators} simulated annotators, ${removed.votes} simulated votes${removed.releases.length ? ` and release ${removed.releases.join(", ")}` : ""}`,
);
await db.$disconnect();
