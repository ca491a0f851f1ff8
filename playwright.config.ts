import { defineConfig, devices, type Project } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Two lanes side by side, each ONE worker against a built app of its own (`npm start` on a fresh SQLite data dir
 * and port): the specs assert exact leaderboards and release lists, so no two workers ever share a database. The
 * suite mostly waits (streams, page loads, the app's jobs), so two lanes on 2 cores take about half the time of one.
 * Lane 1 serves the "desktop" project; lane 2 the "desktop-2" project (the rest of the desktop-size specs), then the
 * "phone" project (the user journeys again at phone size). Which desktop specs run in lane 2 keeps both lanes about
 * equally long (per-spec times: BENCHMARKS.md, "Test suite"); the order of the specs within a lane is the order
 * they had in the one lane before.
 */
const LANE_2_DESKTOP_SPECS = /\/(demo-history|leaderboard|media|preferences-judge|releases)\.spec\.ts$/;
const JOURNEYS = /journeys\/.*\.spec\.ts$/;

/** Free TCP ports, asked of the system in a child process (the config is loaded synchronously). */
function freePorts(count: number): number[] {
  const script = `const net = require("node:net");
const servers = Array.from({ length: ${count} }, () => net.createServer());
let listening = 0;
for (const server of servers) server.listen(0, () => {
  if (++listening < servers.length) return;
  console.log(servers.map((s) => s.address().port).join(","));
  for (const s of servers) s.close();
});`;
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim().split(",").map(Number);
}

// The config is loaded again in every worker: the ports and data dirs chosen here pass to them through the environment.
// E2E_PORT fixes the first lane's port (the second lane's is the next one).
process.env.E2E_PORTS ??= process.env.E2E_PORT ? `${process.env.E2E_PORT},${Number(process.env.E2E_PORT) + 1}` : freePorts(2).join(",");
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "arena-e2e-"));
const ports = process.env.E2E_PORTS.split(",").map(Number);
const lanes = ports.map((port, index) => ({ port, dataDir: path.join(process.env.E2E_DATA_DIR!, `lane-${index + 1}`) }));
for (const { dataDir } of lanes) mkdirSync(dataDir, { recursive: true });

const desktop = { ...devices["Desktop Chrome"], channel: undefined, viewport: { width: 1280, height: 800 } };
const phone = { ...devices["Desktop Chrome"], channel: undefined, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** A project served by lane `lane` (0-based); fixtures find its database through `metadata.dataDir` (tests/e2e/fixtures/lane.ts). */
function laneProject(lane: number, project: Project): Project {
  return { ...project, workers: 1, metadata: { dataDir: lanes[lane]!.dataDir }, use: { ...project.use, baseURL: `http://localhost:${lanes[lane]!.port}` } };
}

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: lanes.length,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [
    laneProject(0, { name: "desktop", testIgnore: LANE_2_DESKTOP_SPECS, use: desktop }),
    laneProject(1, { name: "desktop-2", testMatch: LANE_2_DESKTOP_SPECS, use: desktop }),
    // The user journeys run again on a phone, after lane 2's desktop specs (their app serves one worker at a time).
    laneProject(1, { name: "phone", testMatch: JOURNEYS, dependencies: ["desktop-2"], use: phone }),
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
