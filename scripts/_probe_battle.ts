import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const dir = mkdtempSync(join(tmpdir(), "probe-"));
process.env.DATABASE_URL = `file:${join(dir, "a.db")}`;
process.env.RATE_LIMIT_BATTLES_PER_MINUTE = "1000000";
const { applyMigrations } = await import("@/lib/server/db/migrations");
await applyMigrations(process.env.DATABASE_URL);
const { db } = await import("@/lib/server/db");
if (process.env.WAL) { await db.$queryRawUnsafe("PRAGMA journal_mode=WAL"); await db.$queryRawUnsafe("PRAGMA synchronous=NORMAL"); }
const { createBattle } = await import("@/lib/server/services/battles");
const { battleHub } = await import("@/lib/server/battles/stream-hub");
const { startFakeProviderServer } = await import("@/tests/fixtures/fake-providers/server");
const fake = await startFakeProviderServer({ chunkDelayMs: 2 });
const org = await db.organization.create({ data: { slug: "o", name: "o" } });
for (const slug of ["m1", "m2"]) await db.arenaModel.create({ data: { slug, displayName: slug, organizationId: org.id, modality: "text", providerKind: "openai_compatible", endpoint: `${fake.url}/v1`, providerModelId: "fake-ok", extraParams: {}, maxConcurrency: 256 } });
const user = await db.user.create({ data: { role: "guest", isGuest: true } });
for (let i = 0; i < 15; i++) {
  const t0 = performance.now();
  const view = await createBattle(db, user, { modality: "text", prompt: "Explain tide pools please", personalized: true }, null);
  const t1 = performance.now();
  const round = battleHub.get(view.id)!;
  let first = 0, end = 0;
  await new Promise<void>((resolve) => round.subscribe((e) => { if (e.type === "delta" && !first) first = performance.now(); if (e.type === "snapshot" && (e.sides.a.text || e.sides.b.text) && !first) first = performance.now(); if (e.type === "end") { end = performance.now(); resolve(); } }));
  console.log(`create ${(t1 - t0).toFixed(1)} firstDelta ${(first - t0).toFixed(1)} end ${(end - t0).toFixed(1)}`);
}
process.exit(0);
