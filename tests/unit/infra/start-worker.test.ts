import { once } from "node:events";
import os from "node:os";
import type { Worker } from "node:worker_threads";

import { afterEach, describe, expect, it, vi } from "vitest";

const ECHO = "tests/fixtures/workers/echo.worker.ts";
const MISSING = "tests/fixtures/workers/no-such.worker.ts";
const PRIORITY = "tests/fixtures/workers/priority.worker.ts";

const started: Worker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((worker) => worker.terminate()));
});

/** The helper with an empty compile cache: each test compiles as a fresh process would. */
async function freshHelper() {
  vi.resetModules();
  return import("@/lib/server/workers/start-worker");
}

async function firstMessage(worker: Worker): Promise<unknown> {
  started.push(worker);
  const [message] = await once(worker, "message");
  return message;
}

describe("startWorker", () => {
  it("runs a TypeScript worker module that imports a server-only module, without the react-server condition", async () => {
    const { startWorker } = await freshHelper();
    expect(await firstMessage(startWorker(ECHO, { workerData: { value: 21 } }))).toEqual({ doubled: 42 });
  });

  it("starts a module prepared ahead, as many times as asked", async () => {
    const { prepareWorker, startWorker } = await freshHelper();
    await prepareWorker(ECHO);
    const answers = await Promise.all([1, 2, 3].map((value) => firstMessage(startWorker(ECHO, { workerData: { value } }))));
    expect(answers).toEqual([{ doubled: 2 }, { doubled: 4 }, { doubled: 6 }]);
  });

  it("refuses a module it cannot compile, when preparing and when starting, so callers can fall back", async () => {
    const { prepareWorker, startWorker } = await freshHelper();
    await expect(prepareWorker(MISSING)).rejects.toThrow(/no-such\.worker\.ts/);
    expect(() => startWorker(MISSING)).toThrow(/no-such\.worker\.ts/);
  });

  it("compiles in the new thread when asked, so the starter does not wait, and runs the module the same", async () => {
    const { startWorker } = await freshHelper();
    expect(await firstMessage(startWorker(ECHO, { workerData: { value: 4 }, compileInThread: true }))).toEqual({ doubled: 8 });
  });

  it("reports a module it cannot compile in the thread as the thread's error, not a throw of the starter", async () => {
    const { startWorker } = await freshHelper();
    const worker = startWorker(MISSING, { compileInThread: true });
    started.push(worker);
    const [error] = (await once(worker, "error")) as [Error];
    expect(error.message).toMatch(/no-such\.worker\.ts/);
  });

  it("marks a blocking starter's exit signal when the thread dies, so a starter in Atomics.wait is not left waiting", async () => {
    const { startWorker } = await freshHelper();
    const signal = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    const worker = startWorker(MISSING, { compileInThread: true, workerData: { exitSignal: { signal, index: 1 } } });
    started.push(worker);
    worker.on("error", () => {});
    // The starter blocks as scripts/ratings.ts does; without the hook this wait would run out its 20 s.
    expect(Atomics.wait(signal, 1, 0, 20_000)).toBe("ok");
    expect(Atomics.load(signal, 1)).toBe(-1);
  });

  // Linux keeps a nice value per thread (the machines and CI this app runs on).
  it("runs a background thread at BACKGROUND_NICE (never higher than the starter's) and leaves the others and the starter at their priority", async () => {
    const { BACKGROUND_NICE, startWorker } = await freshHelper();
    const starter = os.getPriority();
    const background = await firstMessage(startWorker(PRIORITY, { background: true }));
    const normal = await firstMessage(startWorker(PRIORITY));
    expect(background).toBe(Math.max(starter, BACKGROUND_NICE));
    expect(normal).toBe(starter);
    expect(os.getPriority()).toBe(starter);
  });
});
