import "server-only";

/**
 * The modules that register background jobs (each calls registerBackgroundJob at import time).
 * instrumentation.ts imports this file before starting the scheduler; add one import per job module.
 */
import "@/lib/server/releases/schedule";
import "@/lib/server/leaderboards/job";
import "@/lib/server/preference-groups/job";
import "@/lib/server/judge/job";

export {};
