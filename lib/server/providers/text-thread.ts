import "server-only";

import type { Worker } from "node:worker_threads";

import { prepareWorker, startWorker } from "@/lib/server/workers/start-worker";

import { providerFailure } from "./failures";
import type { TTextThreadBatch, TTextThreadRequest } from "./text-thread.worker";
import type { TTextProviderKind } from "./text-adapters";
import type { ChatMessage, ModelConfig, ProviderDependencies, TextProvider, TextStreamEvent } from "./types";

/** One stream's events as they arrive from the thread; `null` ends it. */
class EventInbox {
  private readonly items: (TextStreamEvent | null)[] = [];
  private waiting: ((item: TextStreamEvent | null) => void) | null = null;
  push(item: TextStreamEvent | null): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(item);
    } else this.items.push(item);
  }
  next(): Promise<TextStreamEvent | null> | TextStreamEvent | null {
    if (this.items.length > 0) return this.items.shift()!;
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

const TEXT_THREAD_WORKER = "lib/server/providers/text-thread.worker.ts";

const threadFault = () => providerFailure("aborted", "The answer was interrupted by a server fault. Retry this side.");

/**
 * The thread that runs every text adapter of this process. Streaming an answer
 * through the AI SDK costs the thread that runs it web streams, SSE parsing and schema validation for
 * every chunk; here that work stays off the event loop that serves requests, and the main thread gets
 * one message per turn of the provider thread's loop, with the events of every stream that moved. The
 * other way too, one message per turn of this thread's loop carries every start and cancel of that
 * turn (a battle's two sides start together), and a start names its model by a key: the model's
 * configuration (and API key) is sent once, when the thread has not seen it yet, and the thread keeps
 * its adapter. The thread holds the process open only while streams run; when it dies, its streams
 * end with an error and the next call starts a new one.
 */
class TextProviderThread {
  private readonly worker: Worker;
  private readonly inboxes = new Map<number, EventInbox>();
  /** Model configurations the thread holds: their JSON (with the API key) → key. A registry edit makes a new entry. */
  private readonly modelKeys = new Map<string, number>();
  private outbox: TTextThreadRequest[] = [];
  private nextId = 1;
  private stopping = false;
  alive = true;

  constructor() {
    this.worker = startWorker(TEXT_THREAD_WORKER);
    this.worker.unref();
    this.worker.on("message", (batch: TTextThreadBatch) => {
      for (const [id, event] of batch) this.inboxes.get(id)?.push(event);
    });
    const fail = (error: unknown) => {
      if (!this.alive) return;
      this.alive = false;
      if (!this.stopping) console.error("[providers] the text-provider thread stopped", error);
      for (const inbox of this.inboxes.values()) {
        inbox.push({ type: "error", error: threadFault() });
        inbox.push(null);
      }
      this.inboxes.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", () => fail(new Error("the thread exited")));
  }

  get threadId(): number {
    return this.worker.threadId;
  }

  /** Stops the thread; streams in flight end with an error. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
  }

  /** Queues a request; the requests of one turn of the event loop leave in one message. */
  private post(request: TTextThreadRequest): void {
    if (this.outbox.push(request) === 1) setImmediate(this.flush);
  }

  private readonly flush = () => {
    const requests = this.outbox;
    this.outbox = [];
    if (this.alive) this.worker.postMessage(requests);
  };

  /** The thread's key for this configuration, sending it first if the thread does not hold it yet. */
  private modelKey(config: ModelConfig & { providerKind: TTextProviderKind }, secrets: Record<string, string>): number {
    const fingerprint = JSON.stringify([config, secrets]);
    let key = this.modelKeys.get(fingerprint);
    if (key === undefined) {
      key = this.modelKeys.size + 1;
      this.modelKeys.set(fingerprint, key);
      this.post({ type: "model", key, config, secrets });
    }
    return key;
  }

  async *stream(config: ModelConfig & { providerKind: TTextProviderKind }, secrets: Record<string, string>, messages: ChatMessage[], signal: AbortSignal, seed?: number): AsyncGenerator<TextStreamEvent> {
    const id = this.nextId++;
    const inbox = new EventInbox();
    this.inboxes.set(id, inbox);
    if (this.inboxes.size === 1) this.worker.ref();
    const cancel = () => this.post({ type: "cancel", id });
    let ended = false;
    try {
      this.post({ type: "start", id, model: this.modelKey(config, secrets), messages, seed });
      signal.addEventListener("abort", cancel, { once: true });
      if (signal.aborted) cancel();
      for (;;) {
        const event = await inbox.next();
        if (event === null) {
          ended = true;
          return;
        }
        yield event;
      }
    } finally {
      signal.removeEventListener("abort", cancel);
      this.inboxes.delete(id);
      if (this.inboxes.size === 0) this.worker.unref();
      // The consumer stopped reading early: stop the upstream call too.
      if (!ended && this.alive) cancel();
    }
  }
}

const globalForThread = globalThis as unknown as { arenaTextProviderThread?: TextProviderThread };

/**
 * The process's text-provider thread, started on first use (or again after it died). Throws when it
 * cannot start: text adapters run there and nowhere else.
 */
function textProviderThread(): TextProviderThread {
  const current = globalForThread.arenaTextProviderThread;
  if (current?.alive) return current;
  return (globalForThread.arenaTextProviderThread = new TextProviderThread());
}

/** Starts the text-provider thread ahead of the first battle, its module compiled off the event loop. */
export async function startTextProviderThread(): Promise<void> {
  await prepareWorker(TEXT_THREAD_WORKER);
  textProviderThread();
}

/** The thread id of the running text-provider thread, or null (none started yet, or it stopped). */
export function textProviderThreadId(): number | null {
  const current = globalForThread.arenaTextProviderThread;
  return current?.alive ? current.threadId : null;
}

/** Stops the text-provider thread (streams in flight end with an error); the next call starts a new one. */
export async function stopTextProviderThread(): Promise<void> {
  const current = globalForThread.arenaTextProviderThread;
  globalForThread.arenaTextProviderThread = undefined;
  await current?.stop();
}

/** One error event: the thread could not start, so no adapter ran. */
async function* threadUnavailable(error: unknown): AsyncGenerator<TextStreamEvent> {
  console.error("[providers] the text-provider thread could not start", error);
  yield { type: "error", error: providerFailure("bad_response", "The answer could not be generated because of an internal error. Retry this side.") };
}

/**
 * A text provider whose adapter runs on the text-provider thread, the one place text adapters run in
 * the app. The API key is read here, through `deps.getSecret`, and handed to the thread with the call.
 */
export function createThreadedTextProvider(config: ModelConfig & { providerKind: TTextProviderKind }, deps: ProviderDependencies): TextProvider {
  return {
    streamChat({ messages, signal, seed }) {
      let thread: TextProviderThread;
      try {
        thread = textProviderThread();
      } catch (error) {
        return threadUnavailable(error);
      }
      const secret = config.apiKeyEnvVar ? deps.getSecret(config.apiKeyEnvVar) : undefined;
      const secrets: Record<string, string> = config.apiKeyEnvVar && secret ? { [config.apiKeyEnvVar]: secret } : {};
      return thread.stream(config, secrets, messages, signal, seed);
    },
  };
}
