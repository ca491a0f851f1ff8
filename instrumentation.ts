/**
 * Next calls register() once per server process at start, before it serves requests: the database client is
 * warmed here (lib/server/db.ts, warmDatabaseClient). Background jobs run in the Node.js runtime only;
 * lib/server/jobs/scheduler.ts keeps them to one instance at a time and BACKGROUND_JOBS turns them off.
 * It also publishes the fast lane (lib/server/http/fast-lane.ts) that `npm start`'s server hands the hot
 * API requests to.
 */
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- Next inlines NEXT_RUNTIME at build time, so an edge bundle drops the Node-only imports below.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertProductionSecrets } = await import("./lib/env.js");
  assertProductionSecrets("serve requests");
  const { db, warmDatabaseClient } = await import("./lib/server/db");
  await warmDatabaseClient();
  await (await import("./lib/server/providers/text-thread")).startTextProviderThread();
  // Before any recomputation (the job's first run, a vote's): a thread started inside one held the event loop,
  // and the store's thread modules compiled inside a first full read delayed its read.
  await (await import("./lib/server/leaderboards/board-fitter")).startLeaderboardThreads(db);
  (await import("./lib/server/http/fast-lane")).publishFastLane();
  await import("./lib/server/jobs/catalog");
  const { startBackgroundJobs } = await import("./lib/server/jobs/scheduler");
  await startBackgroundJobs();
}
