import { afterEach, describe, expect, it, vi } from "vitest";

// What register() starts, replaced so that the test sees the order and nothing starts for real.
const started = vi.hoisted(() => [] as string[]);
const warmUp = vi.hoisted(() => ({ finish: () => {} }));
vi.mock("@/lib/server/db", () => ({
  db: {},
  warmDatabaseClient: () => {
    started.push("database client warmed");
    return new Promise<void>((resolve) => (warmUp.finish = resolve));
  },
}));
vi.mock("@/lib/server/providers/text-thread", () => ({ startTextProviderThread: async () => void started.push("provider thread") }));
vi.mock("@/lib/server/leaderboards/board-fitter", () => ({ startLeaderboardThreads: async () => void started.push("fit threads") }));
vi.mock("@/lib/server/http/fast-lane", () => ({ publishFastLane: () => void started.push("fast lane") }));
vi.mock("@/lib/server/jobs/catalog", () => ({}));
vi.mock("@/lib/server/jobs/scheduler", () => ({ startBackgroundJobs: async () => void started.push("background jobs") }));

describe("the server's start hook (instrumentation.ts)", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    started.length = 0;
  });

  it("warms the database client before anything else and does not finish (Next serves no request) until it is warm", async () => {
    vi.stubEnv("NEXT_RUNTIME", "nodejs");
    const { register } = await import("@/instrumentation");
    let registered = false;
    const registering = register().then(() => (registered = true));
    await vi.waitFor(() => expect(started).toEqual(["database client warmed"]));
    await Promise.resolve();
    expect(registered).toBe(false);
    warmUp.finish();
    await registering;
    expect(started).toEqual(["database client warmed", "provider thread", "fit threads", "fast lane", "background jobs"]);
  });

  it("starts nothing outside the Node.js runtime", async () => {
    vi.stubEnv("NEXT_RUNTIME", "edge");
    const { register } = await import("@/instrumentation");
    await register();
    expect(started).toEqual([]);
  });
});
