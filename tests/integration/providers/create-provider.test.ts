import { describe, expect, it } from "vitest";

import { createProvider, modalityOfProviderKind } from "@/lib/server/providers";
import type { ModelConfig, TextProvider } from "@/lib/server/providers/types";
import { containsIdentityWord } from "@/lib/domain/demo/text-personalities";
import { sniffAudio, sniffImage } from "@/lib/server/providers/media-validation";

import { collectEvents, finalEvent, textModelConfig, setupFakeProviderServer } from "./text-test-support";

const deps = { getSecret: () => undefined };
const signal = () => new AbortController().signal;

const fake = setupFakeProviderServer({ slowChunkDelayMs: 20 });

function textProvider(config: ModelConfig): TextProvider {
  const created = createProvider(config, deps);
  if (created.modality !== "text") throw new Error(`expected a text provider, got ${created.modality}`);
  return created.provider;
}

describe("createProvider", () => {
  it("maps every provider kind to its modality", () => {
    expect(modalityOfProviderKind("anthropic")).toBe("text");
    expect(modalityOfProviderKind("demo_image")).toBe("image");
    expect(modalityOfProviderKind("http_music")).toBe("audio");
  });

  it("keeps at most maxConcurrency calls of one model in flight at the server", async () => {
    fake().resetStats();
    const provider = textProvider(
      textModelConfig({ slug: "limited-model", providerKind: "openai_compatible", endpoint: `${fake().url}/v1`, providerModelId: "fake-slow", maxConcurrency: 2 }),
    );
    const results = await Promise.all(Array.from({ length: 6 }, () => collectEvents(provider)));
    expect(results.every((events) => finalEvent(events).type === "done")).toBe(true);
    expect(fake().requests).toHaveLength(6);
    expect(fake().maxInFlight).toBe(2);
  });

  it("reports aborted for a call cancelled while queued for a slot", async () => {
    const provider = textProvider(
      textModelConfig({ slug: "queued-model", providerKind: "openai_compatible", endpoint: `${fake().url}/v1`, providerModelId: "fake-gated", maxConcurrency: 1 }),
    );
    const first = collectEvents(provider);
    await fake().gateReached();
    const controller = new AbortController();
    const queued = collectEvents(provider, controller.signal);
    controller.abort();
    expect(finalEvent(await queued)).toMatchObject({ type: "error", error: { kind: "aborted" } });
    fake().releaseGate();
    expect(finalEvent(await first).type).toBe("done");
  });
});

describe("demo text provider", () => {
  const demo = (providerModelId: string, extraParams: Record<string, unknown> = { tokensPerSecond: 1_000_000 }, maxTokens = 2_000) =>
    textProvider(textModelConfig({ slug: `demo-${providerModelId}`, providerKind: "demo_text", providerModelId, extraParams, maxTokens }));

  it("streams several deltas that add up to the done text, without identity words", async () => {
    // Paced, so the provider thread does not merge the whole answer into one delta.
    const events = await collectEvents(demo("formal-analyst", { tokensPerSecond: 2_000 }));
    const deltas = events.filter((event) => event.type === "delta");
    const done = finalEvent(events);
    expect(deltas.length).toBeGreaterThan(5);
    expect(done).toMatchObject({ type: "done", finishReason: "stop" });
    if (done.type !== "done") return;
    expect(deltas.map((event) => (event.type === "delta" ? event.text : "")).join("")).toBe(done.text);
    expect(containsIdentityWord(done.text)).toBe(false);
    expect(done.outputTokens).toBeGreaterThan(0);
  });

  it("paces the stream at the configured tokens per second", async () => {
    const started = Date.now();
    await collectEvents(demo("concise-expert", { tokensPerSecond: 400 }));
    expect(Date.now() - started).toBeGreaterThan(100);
  });

  it("cuts answers at maxTokens with finishReason length", async () => {
    const done = finalEvent(await collectEvents(demo("formal-analyst", { tokensPerSecond: 1_000_000 }, 13)));
    expect(done).toMatchObject({ type: "done", finishReason: "length" });
    if (done.type === "done") expect(done.text.split(/\s+/).filter(Boolean).length).toBe(10);
  });

  it("fails with a config error for an unknown personality", async () => {
    expect(finalEvent(await collectEvents(demo("no-such-personality")))).toMatchObject({ type: "error", error: { kind: "config" } });
  });
});

describe("demo media providers", () => {
  const base = { endpoint: null, apiKeyEnvVar: null, timeoutMs: 10_000, maxTokens: 0, maxConcurrency: 2 };

  it("renders a valid 512x512 PNG", async () => {
    const created = createProvider({ ...base, slug: "demo-mosaic", providerKind: "demo_image", providerModelId: "pixel-mosaic", extraParams: {} }, deps);
    if (created.modality !== "image") throw new Error("expected an image provider");
    const result = await created.provider.generateImage({ prompt: "ocean waves", personaContext: null, signal: signal() });
    expect(result.ok).toBe(true);
    if (result.ok) expect(sniffImage(result.bytes)).toEqual({ mime: "image/png", width: 512, height: 512 });
  });

  it("synthesises a valid WAV of the requested, clamped duration", async () => {
    const created = createProvider({ ...base, slug: "demo-bell", providerKind: "demo_music", providerModelId: "fm-bell", extraParams: {} }, deps);
    if (created.modality !== "audio") throw new Error("expected a music provider");
    const result = await created.provider.generateMusic({ prompt: "sad rain", personaContext: null, durationSeconds: 60, signal: signal() });
    expect(result).toMatchObject({ ok: true, mime: "audio/wav", durationSeconds: 30 });
    if (result.ok) expect(sniffAudio(result.bytes)).toEqual({ mime: "audio/wav", durationSeconds: 30 });
  });
});
