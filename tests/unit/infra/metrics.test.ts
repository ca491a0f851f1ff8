import { describe, expect, it } from "vitest";
import { createMetricsRegistry, metricsRegistry, observeProviderCall } from "@/lib/server/metrics";

describe("metrics registry exposition", () => {
  it("renders a counter with HELP, TYPE and sorted labels", () => {
    const registry = createMetricsRegistry();
    const votes = registry.counter<"modality" | "outcome">("votes_total", "Votes recorded.");
    votes.inc({ outcome: "tie", modality: "text" });
    votes.inc({ outcome: "tie", modality: "text" }, 2);
    const text = registry.render();
    expect(text).toContain("# HELP votes_total Votes recorded.\n# TYPE votes_total counter\nvotes_total{modality=\"text\",outcome=\"tie\"} 3\n");
  });

  it("keeps one series per label set", () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter<"model">("requests_total", "Requests.");
    counter.inc({ model: "a" });
    counter.inc({ model: "b" });
    expect(registry.render().match(/^requests_total\{/gm)).toHaveLength(2);
  });

  it("escapes backslashes, quotes and newlines in label values", () => {
    const registry = createMetricsRegistry();
    registry.counter<"model">("escaped_total", "Escaping.").inc({ model: 'a"b\\c\nd' });
    expect(registry.render()).toContain('escaped_total{model="a\\"b\\\\c\\nd"} 1');
  });

  it("renders cumulative histogram buckets, +Inf, sum and count", () => {
    const registry = createMetricsRegistry();
    const latency = registry.histogram<"model">("latency_seconds", "Latency.", [0.5, 1, 2]);
    for (const value of [0.2, 0.7, 1.5, 3]) latency.observe({ model: "m" }, value);
    const lines = registry.render().split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        "# TYPE latency_seconds histogram",
        'latency_seconds_bucket{model="m",le="0.5"} 1',
        'latency_seconds_bucket{model="m",le="1"} 2',
        'latency_seconds_bucket{model="m",le="2"} 3',
        'latency_seconds_bucket{model="m",le="+Inf"} 4',
        'latency_seconds_sum{model="m"} 5.4',
        'latency_seconds_count{model="m"} 4',
      ]),
    );
  });

  it("renders a counter without labels without braces", () => {
    const registry = createMetricsRegistry();
    registry.counter<never>("plain_total", "Plain.").inc({});
    expect(registry.render()).toContain("\nplain_total 1\n");
  });

  it("adds process memory and uptime gauges and ends with a newline", () => {
    const text = createMetricsRegistry().render();
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(text).toMatch(/^process_uptime_seconds [\d.]+$/m);
    expect(text.endsWith("\n")).toBe(true);
  });

  it("returns the same metric when registered twice, and refuses a type clash", () => {
    const registry = createMetricsRegistry();
    const first = registry.counter<"k">("same_total", "Same.");
    registry.counter<"k">("same_total", "Same.").inc({ k: "v" });
    first.inc({ k: "v" });
    expect(registry.render()).toContain('same_total{k="v"} 2');
    expect(() => registry.histogram("same_total", "Clash.")).toThrow(/already registered/);
  });

  it("refuses invalid metric and label names and decreasing counters", () => {
    const registry = createMetricsRegistry();
    expect(() => registry.counter("bad-name", "x")).toThrow(/Invalid metric name/);
    const counter = registry.counter<string>("ok_total", "x");
    expect(() => counter.inc({ "bad-label": "v" })).toThrow(/Invalid label/);
    expect(() => counter.inc({}, -1)).toThrow(/only increase/);
  });
});

describe("application metrics", () => {
  it("declares the arena's counters and histogram on the shared registry", () => {
    const text = metricsRegistry.render();
    for (const name of ["battles_created_total", "votes_total", "provider_requests_total", "provider_errors_total", "provider_latency_seconds"]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it("observeProviderCall counts successes and failures with their kind and times both", async () => {
    await observeProviderCall("obs-model", async () => "ok");
    await expect(observeProviderCall("obs-model", async () => Promise.reject(new Error("x")), () => "timeout")).rejects.toThrow("x");
    const text = metricsRegistry.render();
    expect(text).toContain('provider_requests_total{model="obs-model",status="ok"} 1');
    expect(text).toContain('provider_requests_total{model="obs-model",status="error"} 1');
    expect(text).toContain('provider_errors_total{kind="timeout",model="obs-model"} 1');
    expect(text).toContain('provider_latency_seconds_count{model="obs-model"} 2');
  });
});
