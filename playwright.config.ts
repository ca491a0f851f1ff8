import { defineConfig, devices } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "arena-e2e-"));
process.env.E2E_DATA_DIR = dataDir;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
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
  webServer: {
    // The real built app on a fresh embedded database, with fast demo models.
    command: "npm start",
    url: `http://localhost:${port}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
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
  },
});
