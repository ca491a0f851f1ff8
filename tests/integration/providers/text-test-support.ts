import { afterAll, beforeAll, beforeEach } from "vitest";

import type { ModelConfig, ProviderKind, TextProvider, TextStreamEvent } from "@/lib/server/providers/types";
import { startFakeProviderServer, type FakeProviderServer, type FakeProviderServerOptions } from "@/tests/fixtures/fake-providers/server";

export function textModelConfig(overrides: Partial<ModelConfig> & { providerKind: ProviderKind }): ModelConfig {
  return {
    slug: "test-model",
    endpoint: null,
    providerModelId: "fake-ok",
    apiKeyEnvVar: null,
    extraParams: {},
    timeoutMs: 5_000,
    maxTokens: 256,
    maxConcurrency: 4,
    ...overrides,
  };
}

export async function collectEvents(provider: TextProvider, signal = new AbortController().signal): Promise<TextStreamEvent[]> {
  const events: TextStreamEvent[] = [];
  for await (const event of provider.streamChat({
    messages: [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "Tell me about tide pools" },
    ],
    signal,
  })) {
    events.push(event);
  }
  return events;
}

export function finalEvent(events: TextStreamEvent[]): TextStreamEvent {
  const last = events.at(-1);
  if (!last) throw new Error("stream produced no events");
  return last;
}

/** Starts one fake provider server for the test file, cleared before each test; returns its accessor. */
export function setupFakeProviderServer(options?: FakeProviderServerOptions): () => FakeProviderServer {
  let server: FakeProviderServer | undefined;
  beforeAll(async () => {
    server = await startFakeProviderServer(options);
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server?.resetStats();
  });
  return () => {
    if (!server) throw new Error("fake provider server not started yet");
    return server;
  };
}
