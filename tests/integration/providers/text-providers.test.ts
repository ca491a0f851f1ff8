import { describe, expect, it } from "vitest";

import { createAnthropicTextProvider } from "@/lib/server/providers/anthropic";
import { createOpenAICompatibleTextProvider } from "@/lib/server/providers/openai-compatible";
import { createThreadedTextProvider } from "@/lib/server/providers/text-thread";
import type { ModelConfig, ProviderDependencies, TextProvider } from "@/lib/server/providers/types";
import { startFakeProviderServer } from "@/tests/fixtures/fake-providers/server";

import { collectEvents, finalEvent, textModelConfig, setupFakeProviderServer } from "./text-test-support";

const API_KEY = "sk-test-secret-9f8e7d6c5b4a";
const secrets: ProviderDependencies = { getSecret: (name) => (name === "FAKE_PROVIDER_KEY" ? API_KEY : undefined) };

const fake = setupFakeProviderServer();

/** The adapter run on the text-provider thread, as the app runs it (the plain cases call it directly). */
const onThread =
  (kind: "openai_compatible" | "anthropic") =>
  (config: ModelConfig, deps: ProviderDependencies): TextProvider =>
    createThreadedTextProvider({ ...config, providerKind: kind }, deps);

const inProcessAdapters = [
  {
    name: "openai-compatible",
    kind: "openai_compatible" as const,
    create: createOpenAICompatibleTextProvider,
    authHeader: (headers: Record<string, unknown>) => headers.authorization,
    expectedAuth: `Bearer ${API_KEY}`,
    path: "/v1/chat/completions",
  },
  {
    name: "anthropic",
    kind: "anthropic" as const,
    create: createAnthropicTextProvider,
    authHeader: (headers: Record<string, unknown>) => headers["x-api-key"],
    expectedAuth: API_KEY,
    path: "/v1/messages",
  },
];
const adapters = [
  ...inProcessAdapters,
  ...inProcessAdapters.map((adapter) => ({ ...adapter, name: `${adapter.name} (text-provider thread)`, threaded: true, create: onThread(adapter.kind) })),
];

describe.each(adapters)("$name adapter against the fake server", (adapter) => {
  function provider(overrides: Partial<ModelConfig> = {}): TextProvider {
    return adapter.create(
      textModelConfig({
        providerKind: adapter.kind,
        endpoint: `${fake().url}/v1`,
        apiKeyEnvVar: "FAKE_PROVIDER_KEY",
        ...overrides,
      }),
      secrets,
    );
  }

  function lastRequestBody(): Record<string, unknown> {
    return fake().requests.at(-1)!.body as Record<string, unknown>;
  }

  it("streams deltas then one done event whose text is their concatenation", async () => {
    const events = await collectEvents(provider());
    const deltas = events.filter((event) => event.type === "delta");
    const done = finalEvent(events);
    // The thread merges the deltas that reach it in one turn of its event loop (the fake server
    // sends its chunks back to back), so there only the text is certain, not the number of pieces.
    expect(deltas.length).toBeGreaterThan("threaded" in adapter ? 0 : 3);
    expect(done.type).toBe("done");
    if (done.type !== "done") return;
    expect(done.text).toBe(deltas.map((event) => (event.type === "delta" ? event.text : "")).join(""));
    expect(done.text).toContain("tide pools");
    expect(done.outputTokens).toBeGreaterThan(0);
  });

  it("delivers the first delta before the server has finished the answer", async () => {
    const stream = provider({ providerModelId: "fake-gated" }).streamChat({
      messages: [{ role: "user", content: "Hello there" }],
      signal: new AbortController().signal,
    });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toMatchObject({ type: "delta" });
    await fake().gateReached();
    expect(fake().inFlight).toBe(1);
    fake().releaseGate();
    const rest = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value);
    expect(rest.at(-1)).toMatchObject({ type: "done" });
  });

  it("sends the API key from the named env var in the provider's auth header", async () => {
    await collectEvents(provider());
    expect(adapter.authHeader(fake().requests[0].headers)).toBe(adapter.expectedAuth);
    expect(fake().requests[0].path).toBe(adapter.path);
  });

  it("sends the model id, max tokens and temperature from the registry entry", async () => {
    await collectEvents(provider({ maxTokens: 77, extraParams: { temperature: 0.3 } }));
    expect(lastRequestBody()).toMatchObject({ model: "fake-ok", max_tokens: 77, temperature: 0.3, stream: true });
  });

  it("fails with a config error naming the unset key variable", async () => {
    const events = await collectEvents(provider({ apiKeyEnvVar: "MISSING_KEY_VAR" }));
    expect(events).toHaveLength(1);
    expect(finalEvent(events)).toMatchObject({ type: "error", error: { kind: "config" } });
    expect(JSON.stringify(events)).toContain("MISSING_KEY_VAR");
    expect(fake().requests).toHaveLength(0);
  });

  it.each([
    ["fake-500", "http_error", 500],
    ["fake-400", "http_error", 400],
    ["fake-429", "rate_limited", 429],
  ])("maps %s to %s with status %i, without retrying", async (modelId, kind, status) => {
    const events = await collectEvents(provider({ providerModelId: modelId }));
    expect(finalEvent(events)).toMatchObject({ type: "error", error: { kind, status } });
    expect(fake().requests).toHaveLength(1);
  });

  it("maps a non-SSE junk body to bad_response", async () => {
    const events = await collectEvents(provider({ providerModelId: "fake-garbage" }));
    expect(finalEvent(events)).toMatchObject({ type: "error", error: { kind: "bad_response" } });
  });

  it("maps a socket closed mid-stream to stream_cut and never reports the partial text as done", async () => {
    const events = await collectEvents(provider({ providerModelId: "fake-cut" }));
    expect(events.some((event) => event.type === "delta")).toBe(true);
    expect(events.some((event) => event.type === "done")).toBe(false);
    expect(finalEvent(events)).toMatchObject({ type: "error", error: { kind: "stream_cut" } });
  });

  it("maps an answer without text to empty", async () => {
    const events = await collectEvents(provider({ providerModelId: "fake-empty" }));
    expect(finalEvent(events)).toMatchObject({ type: "error", error: { kind: "empty" } });
  });

  it("times out a server that never answers within timeoutMs", async () => {
    const started = Date.now();
    const events = await collectEvents(provider({ providerModelId: "fake-timeout", timeoutMs: 300 }));
    expect(finalEvent(events)).toMatchObject({ type: "error", error: { kind: "timeout" } });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("times out a stream that stalls between chunks longer than the idle timeout", async () => {
    const events = await collectEvents(
      provider({ providerModelId: "fake-gated", timeoutMs: 10_000, extraParams: { idleTimeoutMs: 200 } }),
    );
    expect(events[0]).toMatchObject({ type: "delta" });
    const last = finalEvent(events);
    expect(last).toMatchObject({ type: "error", error: { kind: "timeout" } });
    if (last.type === "error") expect(last.error.message).toMatch(/sent nothing/);
    fake().releaseGate();
  });

  it("reports aborted, not timeout, when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const stream = provider({ providerModelId: "fake-gated" }).streamChat({
      messages: [{ role: "user", content: "Hi" }],
      signal: controller.signal,
    });
    const events = [];
    for await (const event of stream) {
      events.push(event);
      if (events.length === 1) controller.abort();
    }
    expect(finalEvent(events)).toMatchObject({ type: "error", error: { kind: "aborted" } });
    fake().releaseGate();
  });

  it("maps a refused connection to http_error", async () => {
    const closed = await startFakeProviderServer();
    await closed.close();
    const events = await collectEvents(provider({ endpoint: `${closed.url}/v1` }));
    expect(finalEvent(events)).toMatchObject({ type: "error", error: { kind: "http_error" } });
  });

  it("never puts the API key in any failure message", async () => {
    const failures = [];
    for (const modelId of ["fake-500", "fake-400", "fake-429", "fake-garbage", "fake-cut", "fake-empty"]) {
      failures.push(finalEvent(await collectEvents(provider({ providerModelId: modelId }))));
    }
    expect(failures.every((event) => event.type === "error")).toBe(true);
    expect(JSON.stringify(failures)).not.toContain(API_KEY);
  });
});

describe("system messages", () => {
  it("go to the top-level system field for Anthropic", async () => {
    const anthropic = createAnthropicTextProvider(
      textModelConfig({ providerKind: "anthropic", endpoint: `${fake().url}/v1`, apiKeyEnvVar: "FAKE_PROVIDER_KEY" }),
      secrets,
    );
    await collectEvents(anthropic);
    const body = fake().requests.at(-1)!.body as { system: unknown; messages: Array<{ role: string }> };
    expect(JSON.stringify(body.system)).toContain("You are a helpful assistant.");
    expect(body.messages.map((message) => message.role)).toEqual(["user"]);
  });

  it("stay a leading system message for OpenAI-compatible endpoints", async () => {
    const openai = createOpenAICompatibleTextProvider(
      textModelConfig({ providerKind: "openai_compatible", endpoint: `${fake().url}/v1` }),
      secrets,
    );
    await collectEvents(openai);
    const request = fake().requests.at(-1)!;
    const body = request.body as { messages: Array<{ role: string; content: string }> };
    expect(body.messages[0]).toEqual({ role: "system", content: "You are a helpful assistant." });
    expect(request.headers.authorization).toBeUndefined();
  });
});
