import { defineConfig, devices } from "@playwright/test";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./scripts/load/app-process";

/** Two distinct free TCP ports (scripts/load/app-process.ts's freePort, asked again if it repeats itself). */
async function twoFreePorts(): Promise<[number, number]> {
  const first = await freePort();
  let second = await freePort();
  while (second === first) second = await freePort();
  return [first, second];
}

/**
 * Two lanes side by side, each ONE worker against a built app of its own (`npm start` on a fresh SQLite data dir
 * and port): the specs assert exact leaderboards and release lists, so no two workers ever share a database. The
 * suite mostly waits (streams, page loads, the app's jobs); two lanes took 6–13 % less time than one on a quiet 2-core
 * machine (BENCHMARKS.md, "Test suite", stop 34: the phone journeys start after the desktop files).
 * A lane is a worker slot (its parallelIndex, 0 or 1): Playwright hands the next spec file in order to whichever
 * worker is free, which balances the lanes by itself, and the specs a lane runs keep the order they had in one lane.
 * Playwright loads this config again in every worker with TEST_PARALLEL_INDEX set, so `baseURL` here is the lane's;
 * fixtures find the lane's database through tests/e2e/fixtures/lane.ts.
 */
// The ports and data dirs chosen here pass to the workers (which load this config again) through the environment.
// E2E_PORT fixes the first lane's port (the second lane's is the next one).
process.env.E2E_PORTS ??= process.env.E2E_PORT ? `${process.env.E2E_PORT},${Number(process.env.E2E_PORT) + 1}` : (await twoFreePorts()).join(",");
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "arena-e2e-"));
const ports = process.env.E2E_PORTS.split(",").map(Number);
const lanes = ports.map((port, index) => ({ port, dataDir: path.join(process.env.E2E_DATA_DIR!, `lane-${index}`) }));
for (const { dataDir } of lanes) mkdirSync(dataDir, { recursive: true });
const lane = lanes[Number(process.env.TEST_PARALLEL_INDEX ?? 0)]!;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: lanes.length,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${lane.port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined, viewport: { width: 1280, height: 800 } } },
    // The user journeys (tests/e2e/journeys) run again on a phone; the other specs only at desktop size.
    {
      name: "phone",
      testMatch: /journeys\/.*\.spec\.ts$/,
      use: { ...devices["Desktop Chrome"], channel: undefined, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
    },
  ],
  webServer: lanes.map(({ port, dataDir }) => ({
    // The real built app on a fresh embedded database, with fast demo models.
    command: "npm start",
    url: `http://localhost:${port}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe" as const,
    env: {
      PORT: String(port),
      DATABASE_URL: `file:${path.join(dataDir, "arena.db")}`,
      MEDIA_DIR: path.join(dataDir, "media"),
      RELEASE_DIR: path.join(dataDir, "releases"),
      DEMO_TOKENS_PER_SECOND: "2000",
      // The specs assert exact leaderboards and release lists; E2E_DEMO_HISTORY=true starts with the living demo.
      DEMO_HISTORY: process.env.E2E_DEMO_HISTORY ?? "false",
      MIN_LISTEN_SECONDS: "2",
      ADMIN_EMAIL: "admin@e2e.test",
      ADMIN_PASSWORD: "admin-password-e2e",
      // No NEXTAUTH_URL: auth follows the host each request used (tests/e2e/journeys reach the app by 127.0.0.1 too).
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next",
    },
  })),
});
