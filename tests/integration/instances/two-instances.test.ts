/**
 * Two instances of the built app (two `next start` processes, BACKGROUND_JOBS=true) on one PostgreSQL
 * database, as behind a load balancer: background jobs run once per period across both, and a battle
 * started on one instance is streamed and voted on the other (the stream falls back to reading the
 * database when the generation runs elsewhere).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropPostgresDatabase, withDatabase } from "@/lib/server/db/migrations";
import { ArenaClient } from "@/scripts/load/arena-client";
import { counterByLabel, startApp, type TAppProcess } from "@/scripts/load/app-process";
import { checkStoredVotes } from "@/scripts/load/stored-votes";
import { SECURITY_DIST_DIR } from "../security/support/built-app";

const JOBS = ["leaderboards:recompute", "release.publish"];
/** The scheduler looks for due jobs every second; five looks each is plenty for a second run to show up. */
const OBSERVATION_MS = 5_000;

const databaseUrl = withDatabase(process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/", `arena_instances_${randomBytes(5).toString("hex")}`);
const folder = mkdtempSync(path.join(os.tmpdir(), "arena-instances-"));
let first: TAppProcess;
let second: TAppProcess;

const env = {
  BACKGROUND_JOBS: "true",
  RELEASE_CADENCE: "monthly",
  // Slow enough that the second instance streams while the first is still generating.
  DEMO_TOKENS_PER_SECOND: "150",
  MEDIA_DIR: path.join(folder, "media"),
  RELEASE_DIR: path.join(folder, "releases"),
};

beforeAll(async () => {
  first = await startApp({ databaseUrl, distDir: SECURITY_DIST_DIR, env, healthTimeoutMs: 120_000 });
  second = await startApp({ databaseUrl, distDir: SECURITY_DIST_DIR, env, skipPrepare: true, healthTimeoutMs: 120_000 });
}, 600_000);

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await dropPostgresDatabase(databaseUrl);
  rmSync(folder, { recursive: true, force: true });
});

/** background_job_runs_total of one instance, by job (all statuses). */
const jobRuns = (app: TAppProcess) => counterByLabel(app.url, "background_job_runs_total", "job");

async function runsAcrossInstances(): Promise<Record<string, number>> {
  const [a, b] = await Promise.all([jobRuns(first), jobRuns(second)]);
  return Object.fromEntries(JOBS.map((job) => [job, (a[job] ?? 0) + (b[job] ?? 0)]));
}

describe("two instances on one PostgreSQL", () => {
  it("runs each background job once per period across both instances", async () => {
    await expect.poll(runsAcrossInstances, { timeout: 60_000, interval: 250 }).toEqual(Object.fromEntries(JOBS.map((job) => [job, 1])));
    const observedUntil = Date.now() + OBSERVATION_MS;
    while (Date.now() < observedUntil) {
      expect(await runsAcrossInstances()).toEqual(Object.fromEntries(JOBS.map((job) => [job, 1])));
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const leases = await client.query<{ name: string; holder: string }>('SELECT "name", "holder" FROM "JobLease" ORDER BY "name"');
      const periodMarkers = leases.rows.filter((row) => row.name.endsWith(":next")).map((row) => row.name);
      // Every job of the catalog has its period marker, the ones watched above included.
      expect(periodMarkers).toEqual(expect.arrayContaining(JOBS.map((job) => `job:${job}:next`)));
      expect(new Set(periodMarkers).size).toBe(periodMarkers.length);
    } finally {
      await client.end();
    }
  }, 120_000);

  it("streams and votes on instance 2 a battle created on instance 1", async () => {
    const onFirst = new ArenaClient(first.url);
    await onFirst.signInAsGuest();
    const onSecond = onFirst.onInstance(second.url);
    const status = await onSecond.query<{ termsVersion: string }>("consent.status");
    expect(status.ok && (await onSecond.mutation("consent.accept", { termsVersion: status.data.termsVersion })).ok).toBe(true);

    const battle = await onFirst.mutation<{ id: string }>("battle.create", { prompt: "Tell me about lighthouses in some detail.", personalized: false });
    expect(battle.ok).toBe(true);
    if (!battle.ok) return;
    const answers = await onSecond.waitForAnswers(battle.data.id, 60_000);
    expect(answers.outcome).toBe("ready");
    const view = await onSecond.query<{ status: string; generating: boolean }>("battle.get", { battleId: battle.data.id });
    expect(view.ok && view.data).toMatchObject({ status: "ready", generating: false });
    // The stream polled on the instance that does not generate ends with the battle as battle.get returns it there.
    expect(answers.battle).toEqual(view.ok && view.data);

    const vote = await onSecond.mutation("battle.vote", { battleId: battle.data.id, outcome: "model_b" });
    expect(vote.ok).toBe(true);
    const again = await onFirst.mutation("battle.vote", { battleId: battle.data.id, outcome: "model_a" });
    expect(again.ok).toBe(true);
    const stored = await checkStoredVotes(databaseUrl, [{ battleId: battle.data.id, outcome: "model_b" }]);
    expect(stored.missing).toEqual([]);
    expect(stored.wrongOutcome).toEqual([]);
    expect(stored.battlesWithSeveralVotes).toBe(0);
  }, 120_000);
});
