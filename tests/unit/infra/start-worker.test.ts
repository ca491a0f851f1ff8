import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
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

  it("prepares several modules in one call (one compiler thread), each then started from the compiled code", async () => {
    const { prepareWorker, startWorker } = await freshHelper();
    // ECHO twice: listed once; a second call while the first compiles shares its compile.
    await Promise.all([prepareWorker(ECHO, PRIORITY, ECHO), prepareWorker(PRIORITY)]);
    expect(await firstMessage(startWorker(ECHO, { workerData: { value: 5 } }))).toEqual({ doubled: 10 });
    expect(typeof (await firstMessage(startWorker(PRIORITY)))).toBe("number");
  });

  it("rejects a call to prepare several modules when one does not compile, naming it", async () => {
    const { prepareWorker, startWorker } = await freshHelper();
    await expect(prepareWorker(ECHO, MISSING)).rejects.toThrow(/no-such\.worker\.ts/);
    // The one compiled before it is kept.
    expect(await firstMessage(startWorker(ECHO, { workerData: { value: 6 } }))).toEqual({ doubled: 12 });
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
  it("runs a background thread at BACKGROUND_NICE, a serial one at SERIAL_BACKGROUND_NICE (never higher than the starter's), and leaves the others and the starter at their priority", async () => {
    const { BACKGROUND_NICE, SERIAL_BACKGROUND_NICE, startWorker } = await freshHelper();
    const starter = os.getPriority();
    const background = await firstMessage(startWorker(PRIORITY, { background: true }));
    const serial = await firstMessage(startWorker(PRIORITY, { background: "serial" }));
    const normal = await firstMessage(startWorker(PRIORITY));
    expect(SERIAL_BACKGROUND_NICE).toBeLessThan(BACKGROUND_NICE);
    expect(background).toBe(Math.max(starter, BACKGROUND_NICE));
    expect(serial).toBe(Math.max(starter, SERIAL_BACKGROUND_NICE));
    expect(normal).toBe(starter);
    expect(os.getPriority()).toBe(starter);
  });
});

describe("workerExecArgv", () => {
  it("passes only the profiler's options on to a thread, with their values, and never a profile's file name", async () => {
    const { workerExecArgv } = await freshHelper();
    const parent = ["--conditions=react-server", "--import", "tsx", "--cpu-prof", "--cpu-prof-dir", "/tmp/p", "--cpu-prof-interval=500", "--cpu-prof-name=one.cpuprofile", "--heap-prof", "--inspect"];
    expect(workerExecArgv(parent)).toEqual(["--cpu-prof", "--cpu-prof-dir", "/tmp/p", "--cpu-prof-interval=500", "--heap-prof"]);
    expect(workerExecArgv(["--conditions=react-server", "--import", "tsx"])).toEqual([]);
  });

  // Child processes, since --cpu-prof is a process's start option. Node profiles its own threads too
  // (tsx's loader thread), so the test counts the profiles of a run that starts the worker against
  // those of a run that does not: one more, the worker's.
  it("profiles the threads of a process run with --cpu-prof, each into its own file in the profile directory", () => {
    const profiles = (startsWorker: boolean) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "worker-prof-"));
      try {
        const script = startsWorker
          ? `require("./lib/server/workers/start-worker.ts").startWorker(${JSON.stringify(ECHO)}, { workerData: { value: 1 } }).once("message", (m) => process.stdout.write(JSON.stringify(m)));`
          : `require("./lib/server/workers/start-worker.ts"); process.stdout.write("{}");`;
        const output = execFileSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--import", "tsx", "-e", script], { encoding: "utf8" });
        return { output: JSON.parse(output) as unknown, files: readdirSync(dir).filter((name) => name.endsWith(".cpuprofile")).length };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const without = profiles(false);
    const withWorker = profiles(true);
    expect(withWorker.output).toEqual({ doubled: 2 });
    expect(withWorker.files).toBe(without.files + 1);
  });
});
