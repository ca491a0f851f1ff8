/**
 * Runs before each file of the `integration` project, whose files share one process and module graph
 * (vitest.config.ts): each file starts with the process as a new one would hand it over. No cached model
 * pool, session user, persona or leaderboard aggregate of the previous file's database, no rate-limit
 * counts of its requests; its fake timers and spies undone and its scheduled recomputation finished (a
 * debounced run would otherwise write into the next file's database).
 */
import { afterAll, beforeAll, vi } from "vitest";
import { db } from "@/lib/server/db";
import { scheduledRecomputesSettled } from "@/lib/server/leaderboards/recompute";
import { forgetLeaderboardState } from "@/lib/server/leaderboards/state";
import { clearPromiseCaches } from "@/lib/server/promise-cache";
import { forgetRateLimiter } from "@/lib/server/rate-limit";

beforeAll(() => {
  clearPromiseCaches();
  forgetLeaderboardState(db);
  forgetRateLimiter();
});

afterAll(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await scheduledRecomputesSettled();
});
