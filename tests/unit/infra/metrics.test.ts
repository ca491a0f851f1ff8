import { describe, expect, it, vi } from "vitest";
import { battlesCreated, metricsRegistry, providerErrors, providerLatency, providerRequests, votesRecorded } from "@/lib/server/metrics";

const exposition = () => metricsRegistry.metrics();

describe("application metrics (prom-client registry)", () => {
  it("declares the arena's counters and histogram with their Prometheus types", async () => {
    const text = await exposition();
    for (const name of [
      "battles_created_total",
      "votes_total",
      "provider_requests_total",
      "provider_errors_total",
      "rate_limited_total",
      "moderation_rejections_total",
      "fast_lane_requests_total",
      "background_job_runs_total",
    ]) {
      expect(text).toContain(`# TYPE ${name} counter`);
    }
    expect(text).toContain("# TYPE provider_latency_seconds histogram");
    expect(metricsRegistry.contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
  });

  it("counts by label set, one series per set", async () => {
    votesRecorded.inc({ modality: "text", outcome: "tie" });
    votesRecorded.inc({ modality: "text", outcome: "tie" }, 2);
    votesRecorded.inc({ modality: "image", outcome: "a" });
    battlesCreated.inc({ modality: "audio" });
    const text = await exposition();
    expect(text).toContain('votes_total{modality="text",outcome="tie"} 3');
    expect(text).toContain('votes_total{modality="image",outcome="a"} 1');
    expect(text).toContain('battles_created_total{modality="audio"} 1');
  });

  it("refuses labels a metric does not declare and decreasing counters", () => {
    expect(() => providerRequests.inc({ model: "m", status: "ok", secret: "x" } as never)).toThrow();
    expect(() => providerErrors.inc({ model: "m", kind: "timeout" }, -1)).toThrow();
  });

  it("times provider calls in buckets from 50 ms to two minutes", async () => {
    for (const seconds of [0.02, 0.7, 45, 300]) providerLatency.observe({ model: "bucketed" }, seconds);
    const text = await exposition();
    expect(text).toContain('provider_latency_seconds_bucket{le="0.05",model="bucketed"} 1');
    expect(text).toContain('provider_latency_seconds_bucket{le="1",model="bucketed"} 2');
    expect(text).toContain('provider_latency_seconds_bucket{le="120",model="bucketed"} 3');
    expect(text).toContain('provider_latency_seconds_bucket{le="+Inf",model="bucketed"} 4');
    expect(text).toContain('provider_latency_seconds_count{model="bucketed"} 4');
  });

  it("adds the process memory and uptime gauges, read at scrape time", async () => {
    const text = await exposition();
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);
    expect(text).toMatch(/^nodejs_heap_used_bytes [1-9]\d*$/m);
    expect(text).toMatch(/^process_uptime_seconds [\d.e-]+$/m);
  });

  it("keeps one registry per process when the module is loaded again (as each Next bundle does)", async () => {
    providerRequests.inc({ model: "shared", status: "ok" });
    vi.resetModules();
    const again = await import("@/lib/server/metrics");
    expect(again.metricsRegistry).toBe(metricsRegistry);
    again.providerRequests.inc({ model: "shared", status: "ok" });
    expect(await exposition()).toContain('provider_requests_total{model="shared",status="ok"} 2');
  });
});
