// TEMPORARY (media helper): runs media.spec.ts against `next dev` while the production build is broken by work in progress.
import { defineConfig, devices } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const port = 3202;
const dataDir = mkdtempSync(path.join(tmpdir(), "arena-e2e-media-dev-"));
const env = {
  PORT: String(port),
  DATABASE_URL: `file:${path.join(dataDir, "arena.db")}`,
  MEDIA_DIR: path.join(dataDir, "media"),
  RELEASE_DIR: path.join(dataDir, "releases"),
  DEMO_TOKENS_PER_SECOND: "2000",
  MIN_LISTEN_SECONDS: "2",
  NEXTAUTH_URL: `http://localhost:${port}`,
  BACKGROUND_JOBS: "false",
};

export default defineConfig({
  testDir: ".",
  testMatch: "media.spec.ts",
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: { executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--headless", "--disable-gpu"] },
  },
  projects: [{ name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: `node --conditions=react-server --import tsx scripts/db/prepare.ts && npx next dev -p ${port}`,
    cwd: path.resolve(import.meta.dirname, "../.."),
    url: `http://localhost:${port}/api/health`,
    timeout: 300_000,
    reuseExistingServer: true,
    stdout: "pipe",
    env,
  },
});
