import { threadId, Worker } from "node:worker_threads";

import { afterEach, describe, expect, it, vi } from "vitest";

import type { ModelConfig, ProviderDependencies, TextStreamEvent } from "@/lib/server/providers/types";
import { createDemoTextProvider } from "@/lib/server/providers/demo-text";
import { createThreadedTextProvider, stopTextProviderThread, textProviderThreadId } from "@/lib/server/providers/text-thread";

import { collectEvents, finalEvent, setupFakeProviderServer, textModelConfig } from "./text-test-support";

const fake = setupFakeProviderServer();
const noSecrets = { getSecret: () => undefined };

function threaded(overrides: Partial<ModelConfig> = {}, deps: ProviderDependencies = noSecrets) {
  const config = textModelConfig({ providerKind: "openai_compatible", endpoint: `${fake().url}/v1`, ...overrides });
  return createThreadedTextProvider({ ...config, providerKind: "openai_compatible" }, deps);
}

describe("the text-provider thread", () => {
  afterEach(async () => {
    fake().releaseGate();
    await stopTextProviderThread();
  });

  it("runs the adapter on a thread other than the caller's, started on first use and reused", async () => {
    await stopTextProviderThread();
    expect(textProviderThreadId()).toBeNull();
    expect(finalEvent(await collectEvents(threaded()))).toMatchObject({ type: "done" });
    const thread = textProviderThreadId();
    expect(thread).not.toBeNull();
    expect(thread).not.toBe(threadId);
    expect(finalEvent(await collectEvents(threaded()))).toMatchObject({ type: "done" });
    expect(textProviderThreadId()).toBe(thread);
  });

  it("streams many answers at once, each with its own text", async () => {
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        (async () => {
          const events: TextStreamEvent[] = [];
          for await (const event of threaded().streamChat({ messages: [{ role: "user", content: `question number ${k}` }], signal: new AbortController().signal })) {
            events.push(event);
          }
          return { k, events };
        })(),
      ),
    );
    for (const { k, events } of runs) {
      const done = finalEvent(events);
      expect(done.type).toBe("done");
      if (done.type === "done") expect(done.text).toContain(`question number ${k}`);
    }
  });

  it("sends the answers started in one turn of the loop in one message, with the model's configuration once", async () => {
    await stopTextProviderThread();
    const posted = vi.spyOn(Worker.prototype, "postMessage");
    try {
      const ask = () => collectEvents(threaded());
      const first = await Promise.all(Array.from({ length: 6 }, () => ask()));
      for (const events of first) expect(finalEvent(events)).toMatchObject({ type: "done" });
      const requests = posted.mock.calls.map(([message]) => message as Array<{ type: string }>);
      expect(requests).toHaveLength(1);
      expect(requests[0]!.map((request) => request.type)).toEqual(["model", ...Array<string>(6).fill("start")]);
      posted.mockClear();
      expect(finalEvent(await ask())).toMatchObject({ type: "done" });
      expect(posted.mock.calls.map(([message]) => (message as Array<{ type: string }>).map((request) => request.type))).toEqual([["start"]]);
    } finally {
      posted.mockRestore();
    }
  });

  it("uses a model's new configuration once it changes (a rotated API key)", async () => {
    const withKey = (key: string) => threaded({ apiKeyEnvVar: "ROTATED_KEY" }, { getSecret: () => key });
    expect(finalEvent(await collectEvents(withKey("sk-first-1234567890")))).toMatchObject({ type: "done" });
    expect(fake().requests.at(-1)?.headers.authorization).toBe("Bearer sk-first-1234567890");
    expect(finalEvent(await collectEvents(withKey("sk-second-1234567890")))).toMatchObject({ type: "done" });
    expect(fake().requests.at(-1)?.headers.authorization).toBe("Bearer sk-second-1234567890");
    expect(finalEvent(await collectEvents(withKey("sk-first-1234567890")))).toMatchObject({ type: "done" });
    expect(fake().requests.at(-1)?.headers.authorization).toBe("Bearer sk-first-1234567890");
  });

  it("merges the deltas of a burst into fewer events with the same text (a demo model at full speed)", async () => {
    const config = textModelConfig({ providerKind: "demo_text", providerModelId: "friendly-explainer", extraParams: { tokensPerSecond: 1_000_000 }, maxTokens: 2_000 });
    const demo = (kind: "threaded" | "in-process") =>
      kind === "threaded"
        ? createThreadedTextProvider({ ...config, providerKind: "demo_text" }, noSecrets)
        : createDemoTextProvider(config);
    const prompt = [{ role: "user" as const, content: "Explain how a hash map handles collisions, with an example." }];
    const [threadedEvents, inProcessEvents] = await Promise.all(
      (["threaded", "in-process"] as const).map(async (kind) => {
        const events: TextStreamEvent[] = [];
        for await (const event of demo(kind).streamChat({ messages: prompt, signal: new AbortController().signal })) events.push(event);
        return events;
      }),
    );
    const deltas = (events: TextStreamEvent[]) => events.filter((event) => event.type === "delta");
    const done = finalEvent(threadedEvents);
    expect(done).toEqual(finalEvent(inProcessEvents));
    if (done.type !== "done") throw new Error("no answer");
    expect(deltas(threadedEvents).map((event) => (event.type === "delta" ? event.text : "")).join("")).toBe(done.text);
    expect(deltas(inProcessEvents).length).toBeGreaterThan(5);
    expect(deltas(threadedEvents).length).toBeLessThan(deltas(inProcessEvents).length);
  });

  it("merges each stream's deltas of a burst when streams run side by side (a battle's two sides)", async () => {
    await stopTextProviderThread();
    const config = textModelConfig({ providerKind: "demo_text", providerModelId: "friendly-explainer", extraParams: { tokensPerSecond: 1_000_000 }, maxTokens: 2_000 });
    const prompt = (k: number) => [{ role: "user" as const, content: `Explain how a hash map handles collisions, with example ${k}.` }];
    const streams = await Promise.all(
      [0, 1, 2, 3].map(async (k) => {
        const events: TextStreamEvent[] = [];
        const provider = createThreadedTextProvider({ ...config, providerKind: "demo_text" }, noSecrets);
        for await (const event of provider.streamChat({ messages: prompt(k), signal: new AbortController().signal })) events.push(event);
        const alone: TextStreamEvent[] = [];
        for await (const event of createDemoTextProvider(config).streamChat({ messages: prompt(k), signal: new AbortController().signal })) alone.push(event);
        return { events, alone };
      }),
    );
    for (const { events, alone } of streams) {
      const done = finalEvent(events);
      expect(done).toEqual(finalEvent(alone));
      if (done.type !== "done") throw new Error("no answer");
      const deltas = events.filter((event) => event.type === "delta");
      expect(deltas.map((event) => (event.type === "delta" ? event.text : "")).join("")).toBe(done.text);
      expect(alone.filter((event) => event.type === "delta").length).toBeGreaterThan(10);
      // The first delta leaves alone (a user waits for it); the rest of a burst travels as at most two more.
      expect(deltas.length).toBeLessThanOrEqual(3);
    }
  });

  it("cancels the upstream request when the caller stops reading early", async () => {
    const stream = threaded({ providerModelId: "fake-gated" }).streamChat({ messages: [{ role: "user", content: "Hi" }], signal: new AbortController().signal });
    for await (const event of stream) {
      expect(event.type).toBe("delta");
      break;
    }
    await fake().gateReached();
    // The fake server sees the request go away.
    await expect.poll(() => fake().inFlight, { timeout: 5_000 }).toBe(0);
  });

  it("ends the streams in flight with an error when the thread dies, and starts a new thread for the next call", async () => {
    const stream = threaded({ providerModelId: "fake-gated" }).streamChat({ messages: [{ role: "user", content: "Hi" }], signal: new AbortController().signal });
    const events: TextStreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (events.length === 1) {
        expect(textProviderThreadId()).not.toBeNull();
        await stopTextProviderThread();
      }
    }
    expect(events[0]).toMatchObject({ type: "delta" });
    expect(finalEvent(events)).toMatchObject({ type: "error", error: { kind: "aborted" } });
    expect(finalEvent(await collectEvents(threaded()))).toMatchObject({ type: "done" });
    expect(textProviderThreadId()).not.toBeNull();
  });

  it("hands the API key named by the model to the thread with the call", async () => {
    const provider = threaded({ apiKeyEnvVar: "THREAD_TEST_KEY" }, { getSecret: (name) => (name === "THREAD_TEST_KEY" ? "sk-thread-test-123456" : undefined) });
    expect(finalEvent(await collectEvents(provider))).toMatchObject({ type: "done" });
    expect(fake().requests.at(-1)?.headers.authorization).toBe("Bearer sk-thread-test-123456");
  });
});
