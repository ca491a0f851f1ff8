import "server-only";

import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Seconds; from a fast cache hit to a slow generation (media models take tens of seconds). */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

function createArenaMetrics() {
  const registry = new Registry();
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Counter<L>({ name, help, labelNames, registers });
  // The process gauges keep the names our dashboards read (prom-client's defaults name and shape them differently).
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  gauge("process_resident_memory_bytes", "Resident memory size in bytes.", () => process.memoryUsage().rss);
  gauge("nodejs_heap_used_bytes", "V8 heap in use, in bytes.", () => process.memoryUsage().heapUsed);
  gauge("process_uptime_seconds", "Seconds since the process started.", () => process.uptime());

  return {
    registry,
    battlesCreated: counter("battles_created_total", "Battles created, by modality.", ["modality"]),
    votesRecorded: counter("votes_total", "Votes recorded, by modality and outcome.", ["modality", "outcome"]),
    providerRequests: counter("provider_requests_total", "Model provider requests, by model and status (ok | error).", ["model", "status"]),
    providerErrors: counter("provider_errors_total", "Model provider errors, by model and error kind.", ["model", "kind"]),
    providerLatency: new Histogram({
      name: "provider_latency_seconds",
      help: "Model provider latency in seconds, by model.",
      labelNames: ["model"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    rateLimited: counter("rate_limited_total", "Requests refused by a rate limit, by kind and scope.", ["kind", "scope"]),
    moderationRejections: counter("moderation_rejections_total", "Prompts refused by moderation, by reason.", ["reason"]),
    fastLaneRequests: counter(
      "fast_lane_requests_total",
      "Requests served by the fast lane instead of Next's request pipeline, by route (trpc | battle_stream | malformed_path).",
      ["route"],
    ),
    backgroundJobRuns: counter("background_job_runs_total", "Background job runs on this instance, by job and status.", ["job", "status"]),
  };
}

/**
 * One prom-client registry per process, kept on globalThis: Next bundles route handlers, instrumentation
 * and the fast lane separately, so a module-level registry would be one per bundle and /api/metrics would
 * miss what the other bundles counted (and registering a name twice throws).
 */
const globalForMetrics = globalThis as unknown as { arenaMetrics?: ReturnType<typeof createArenaMetrics> };
const arenaMetrics = (globalForMetrics.arenaMetrics ??= createArenaMetrics());

export const {
  registry: metricsRegistry,
  battlesCreated,
  votesRecorded,
  providerRequests,
  providerErrors,
  providerLatency,
  rateLimited,
  moderationRejections,
  fastLaneRequests,
  backgroundJobRuns,
} = arenaMetrics;
