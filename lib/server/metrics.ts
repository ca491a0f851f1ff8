import "server-only";

/**
 * A small Prometheus registry (text exposition format 0.0.4). It lives on globalThis because Next bundles
 * route handlers and instrumentation separately: a module-level registry would be one per bundle and
 * /api/metrics would miss what the other bundles counted.
 */
export type Labels = Record<string, string>;

interface MetricBase {
  name: string;
  help: string;
}

export interface Counter<L extends string> extends MetricBase {
  inc(labels: Record<L, string>, amount?: number): void;
}

export interface Histogram<L extends string> extends MetricBase {
  observe(labels: Record<L, string>, value: number): void;
}

type CounterState = { kind: "counter"; name: string; help: string; values: Map<string, { labels: Labels; value: number }> };
type HistogramState = {
  kind: "histogram";
  name: string;
  help: string;
  buckets: number[];
  values: Map<string, { labels: Labels; bucketCounts: number[]; sum: number; count: number }>;
};
type MetricState = CounterState | HistogramState;

export interface MetricsRegistry {
  counter<L extends string>(name: string, help: string): Counter<L>;
  histogram<L extends string>(name: string, help: string, buckets?: number[]): Histogram<L>;
  /** Every metric in exposition format, followed by the process metrics. */
  render(): string;
}

/** Seconds; from a fast cache hit to a slow generation (media models take tens of seconds). */
export const DEFAULT_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatLabels(labels: Labels, extra?: [string, string]): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (extra) entries.push(extra);
  if (entries.length === 0) return "";
  return `{${entries.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(",")}}`;
}

function formatNumber(value: number): string {
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  if (Number.isNaN(value)) return "NaN";
  return String(value);
}

function seriesKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function checkLabels(metric: string, labels: Labels) {
  for (const key of Object.keys(labels)) {
    if (!LABEL_NAME.test(key) || key === "le") throw new Error(`Invalid label "${key}" on metric ${metric}`);
  }
}

function renderMetric(metric: MetricState): string[] {
  const lines = [`# HELP ${metric.name} ${escapeHelp(metric.help)}`, `# TYPE ${metric.name} ${metric.kind}`];
  if (metric.kind === "counter") {
    for (const { labels, value } of metric.values.values()) lines.push(`${metric.name}${formatLabels(labels)} ${formatNumber(value)}`);
    return lines;
  }
  for (const { labels, bucketCounts, sum, count } of metric.values.values()) {
    metric.buckets.forEach((bound, index) => {
      lines.push(`${metric.name}_bucket${formatLabels(labels, ["le", formatNumber(bound)])} ${bucketCounts[index]}`);
    });
    lines.push(`${metric.name}_bucket${formatLabels(labels, ["le", "+Inf"])} ${count}`);
    lines.push(`${metric.name}_sum${formatLabels(labels)} ${formatNumber(sum)}`);
    lines.push(`${metric.name}_count${formatLabels(labels)} ${count}`);
  }
  return lines;
}

function renderProcessMetrics(): string[] {
  const memory = process.memoryUsage();
  return [
    "# HELP process_resident_memory_bytes Resident memory size in bytes.",
    "# TYPE process_resident_memory_bytes gauge",
    `process_resident_memory_bytes ${memory.rss}`,
    "# HELP nodejs_heap_used_bytes V8 heap in use, in bytes.",
    "# TYPE nodejs_heap_used_bytes gauge",
    `nodejs_heap_used_bytes ${memory.heapUsed}`,
    "# HELP process_uptime_seconds Seconds since the process started.",
    "# TYPE process_uptime_seconds gauge",
    `process_uptime_seconds ${process.uptime()}`,
  ];
}

export function createMetricsRegistry(): MetricsRegistry {
  const metrics = new Map<string, MetricState>();

  function register<T extends MetricState>(state: T): T {
    if (!METRIC_NAME.test(state.name)) throw new Error(`Invalid metric name "${state.name}"`);
    const existing = metrics.get(state.name);
    if (existing) {
      if (existing.kind !== state.kind) throw new Error(`Metric ${state.name} is already registered as a ${existing.kind}`);
      return existing as T;
    }
    metrics.set(state.name, state);
    return state;
  }

  return {
    counter<L extends string>(name: string, help: string): Counter<L> {
      const state = register<CounterState>({ kind: "counter", name, help, values: new Map() });
      return {
        name,
        help,
        inc(labels, amount = 1) {
          if (!(amount >= 0)) throw new Error(`Counter ${name} can only increase`);
          checkLabels(name, labels);
          const key = seriesKey(labels);
          const series = state.values.get(key) ?? { labels: { ...labels }, value: 0 };
          series.value += amount;
          state.values.set(key, series);
        },
      };
    },
    histogram<L extends string>(name: string, help: string, buckets = DEFAULT_LATENCY_BUCKETS): Histogram<L> {
      const sorted = [...buckets].sort((a, b) => a - b);
      const state = register<HistogramState>({ kind: "histogram", name, help, buckets: sorted, values: new Map() });
      return {
        name,
        help,
        observe(labels, value) {
          checkLabels(name, labels);
          const key = seriesKey(labels);
          const series = state.values.get(key) ?? { labels: { ...labels }, bucketCounts: state.buckets.map(() => 0), sum: 0, count: 0 };
          state.buckets.forEach((bound, index) => {
            if (value <= bound) series.bucketCounts[index]! += 1;
          });
          series.sum += value;
          series.count += 1;
          state.values.set(key, series);
        },
      };
    },
    render() {
      const lines = [...metrics.values()].flatMap(renderMetric);
      return [...lines, ...renderProcessMetrics()].join("\n") + "\n";
    },
  };
}

const globalForMetrics = globalThis as unknown as { arenaMetrics?: MetricsRegistry };
export const metricsRegistry: MetricsRegistry = (globalForMetrics.arenaMetrics ??= createMetricsRegistry());

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export const battlesCreated = metricsRegistry.counter<"modality">("battles_created_total", "Battles created, by modality.");
export const votesRecorded = metricsRegistry.counter<"modality" | "outcome">("votes_total", "Votes recorded, by modality and outcome.");
export const providerRequests = metricsRegistry.counter<"model" | "status">(
  "provider_requests_total",
  "Model provider requests, by model and status (ok | error).",
);
export const providerErrors = metricsRegistry.counter<"model" | "kind">("provider_errors_total", "Model provider errors, by model and error kind.");
export const providerLatency = metricsRegistry.histogram<"model">("provider_latency_seconds", "Model provider latency in seconds, by model.");
export const rateLimited = metricsRegistry.counter<"kind" | "scope">("rate_limited_total", "Requests refused by a rate limit, by kind and scope.");
export const moderationRejections = metricsRegistry.counter<"reason">("moderation_rejections_total", "Prompts refused by moderation, by reason.");
export const fastLaneRequests = metricsRegistry.counter<"route">(
  "fast_lane_requests_total",
  "Requests served by the fast lane instead of Next's request pipeline, by route (trpc | battle_stream | malformed_path).",
);
export const backgroundJobRuns = metricsRegistry.counter<"job" | "status">("background_job_runs_total", "Background job runs on this instance, by job and status.");

/** Times `work` into provider_latency_seconds and counts it in provider_requests_total; rethrows failures. */
export async function observeProviderCall<T>(model: string, work: () => Promise<T>, classifyError: (error: unknown) => string = () => "error"): Promise<T> {
  const started = performance.now();
  try {
    const result = await work();
    providerRequests.inc({ model, status: "ok" });
    return result;
  } catch (error) {
    providerRequests.inc({ model, status: "error" });
    providerErrors.inc({ model, kind: classifyError(error) });
    throw error;
  } finally {
    providerLatency.observe({ model }, (performance.now() - started) / 1000);
  }
}
