/**
 * Entry of the text-provider thread (see ./text-thread.ts): runs the text adapters (AI SDK streams,
 * demo models) and posts their events back to the main thread, batched per turn of this thread's
 * event loop so that many streams cost the main thread one message, with each stream's deltas of a
 * batch merged into one until that stream's next other event.
 *
 * main → thread: Array of requests, the ones of one turn of the main thread's loop:
 *   { type: "model", key, config, secrets }  (once per model configuration: the adapter is kept by key)
 *   { type: "start", id, model: key, messages, seed? } | { type: "cancel", id }
 * thread → main: Array<[id, TextStreamEvent | null]> (null: the stream ended)
 */
import { parentPort } from "node:worker_threads";

import { providerFailure } from "./failures";
import { createTextAdapter, type TTextProviderKind } from "./text-adapters";
import type { ChatMessage, ModelConfig, TextProvider, TextStreamEvent } from "./types";

type TThreadModelConfig = ModelConfig & { providerKind: TTextProviderKind };

export type TTextThreadRequest =
  | { type: "model"; key: number; config: TThreadModelConfig; secrets: Record<string, string> }
  | { type: "start"; id: number; model: number; messages: ChatMessage[]; seed?: number }
  | { type: "cancel"; id: number };

export type TTextThreadBatch = Array<[id: number, event: TextStreamEvent | null]>;

const port = parentPort;
if (!port) throw new Error("text-thread.worker runs as a worker thread");

const running = new Map<number, AbortController>();
/** The model configurations the main thread sent, by key, each with its adapter once one was made. */
const models = new Map<number, { config: TThreadModelConfig; secrets: Record<string, string>; adapter: TextProvider | null }>();
let outbox: TTextThreadBatch = [];
/**
 * Where each stream's last delta sits in the outbox while no other event of that stream follows it. The
 * streams running at once interleave event by event (a battle's two sides start together), so merging
 * only with the batch's last entry merged almost nothing; each stream's own order is all that must hold.
 */
const openDeltas = new Map<number, number>();

/** Streams that have sent their first delta. */
const answering = new Set<number>();

function flush() {
  if (outbox.length === 0) return;
  const batch = outbox;
  outbox = [];
  openDeltas.clear();
  port!.postMessage(batch);
}

function send(id: number, event: TextStreamEvent | null) {
  // Deltas of one stream in the same batch travel as one: the text is the same, the main thread
  // handles one event instead of dozens (a model faster than this thread's turns, or a demo model).
  if (event?.type === "delta") {
    const at = openDeltas.get(id);
    const open = at === undefined ? undefined : outbox[at]![1];
    if (open?.type === "delta") {
      outbox[at!] = [id, { type: "delta", text: open.text + event.text }];
      return;
    }
  } else openDeltas.delete(id);
  if (outbox.length === 0) setImmediate(flush);
  outbox.push([id, event]);
  if (event?.type === "delta") openDeltas.set(id, outbox.length - 1);
  // A stream's first token is what its user waits for: it leaves at once, with what is queued before it.
  if (event?.type === "delta" && !answering.has(id)) {
    answering.add(id);
    flush();
  }
}

async function run(request: Extract<TTextThreadRequest, { type: "start" }>) {
  const controller = new AbortController();
  running.set(request.id, controller);
  const model = models.get(request.model)!;
  try {
    model.adapter ??= createTextAdapter(model.config, { getSecret: (name) => model.secrets[name] });
    for await (const event of model.adapter.streamChat({ messages: request.messages, signal: controller.signal, seed: request.seed })) send(request.id, event);
  } catch (error) {
    console.error(`[providers] ${model.config.slug} failed inside the provider thread`, error);
    send(request.id, { type: "error", error: providerFailure("bad_response", "The answer could not be generated because of an internal error") });
  } finally {
    running.delete(request.id);
    answering.delete(request.id);
    send(request.id, null);
  }
}

port.on("message", (requests: TTextThreadRequest[]) => {
  for (const request of requests) {
    if (request.type === "model") models.set(request.key, { config: request.config, secrets: request.secrets, adapter: null });
    else if (request.type === "start") void run(request);
    else running.get(request.id)?.abort();
  }
});
