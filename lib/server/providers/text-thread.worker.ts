/**
 * Entry of the text-provider thread (see ./text-thread.ts): runs the text adapters (AI SDK streams,
 * demo models) and posts their events back to the main thread, batched per turn of this thread's
 * event loop so that many streams cost the main thread one message, with each stream's consecutive
 * deltas of a batch merged into one.
 *
 * main → thread: { type: "start", id, config, secrets, messages, seed? } | { type: "cancel", id }
 * thread → main: Array<[id, TextStreamEvent | null]> (null: the stream ended)
 */
import { parentPort } from "node:worker_threads";

import { providerFailure } from "./failures";
import { createTextAdapter, type TTextProviderKind } from "./text-adapters";
import type { ChatMessage, ModelConfig, TextStreamEvent } from "./types";

export type TTextThreadRequest =
  | { type: "start"; id: number; config: ModelConfig & { providerKind: TTextProviderKind }; secrets: Record<string, string>; messages: ChatMessage[]; seed?: number }
  | { type: "cancel"; id: number };

export type TTextThreadBatch = Array<[id: number, event: TextStreamEvent | null]>;

const port = parentPort;
if (!port) throw new Error("text-thread.worker runs as a worker thread");

const running = new Map<number, AbortController>();
let outbox: TTextThreadBatch = [];

/** Streams that have sent their first delta. */
const answering = new Set<number>();

function flush() {
  if (outbox.length === 0) return;
  const batch = outbox;
  outbox = [];
  port!.postMessage(batch);
}

function send(id: number, event: TextStreamEvent | null) {
  // Deltas of one stream in the same batch travel as one: the text is the same, the main thread
  // handles one event instead of dozens (a model faster than this thread's turns, or a demo model).
  const last = outbox.at(-1);
  if (event?.type === "delta" && last?.[0] === id && last[1]?.type === "delta") {
    last[1] = { type: "delta", text: last[1].text + event.text };
    return;
  }
  if (outbox.length === 0) setImmediate(flush);
  outbox.push([id, event]);
  // A stream's first token is what its user waits for: it leaves at once, with what is queued before it.
  if (event?.type === "delta" && !answering.has(id)) {
    answering.add(id);
    flush();
  }
}

async function run(request: Extract<TTextThreadRequest, { type: "start" }>) {
  const controller = new AbortController();
  running.set(request.id, controller);
  try {
    const provider = createTextAdapter(request.config, { getSecret: (name) => request.secrets[name] });
    for await (const event of provider.streamChat({ messages: request.messages, signal: controller.signal, seed: request.seed })) send(request.id, event);
  } catch (error) {
    console.error(`[providers] ${request.config.slug} failed inside the provider thread`, error);
    send(request.id, { type: "error", error: providerFailure("bad_response", "The answer could not be generated because of an internal error") });
  } finally {
    running.delete(request.id);
    answering.delete(request.id);
    send(request.id, null);
  }
}

port.on("message", (request: TTextThreadRequest) => {
  if (request.type === "start") void run(request);
  else running.get(request.id)?.abort();
});
