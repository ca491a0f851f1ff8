import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/server/db";
import { releaseLease, renewLease, tryAcquireLease } from "@/lib/server/jobs/lease";
import { listBackgroundJobs, registerBackgroundJob, type BackgroundJob } from "@/lib/server/jobs/registry";
import { createBackgroundScheduler, holderLeaseName, type BackgroundScheduler } from "@/lib/server/jobs/scheduler";
import { resetDatabase } from "../helpers/db";

beforeEach(() => resetDatabase(db));

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
const quietLog = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

describe("leases", () => {
  it("gives a free lease to the first holder", async () => {
    expect(await tryAcquireLease(db, "l", "a", 1000, { now: at(0) })).toBe(true);
    expect(await db.jobLease.findUnique({ where: { name: "l" } })).toMatchObject({ holder: "a", expiresAt: at(1000) });
  });

  it("refuses a held lease to others until it expires", async () => {
    await tryAcquireLease(db, "l", "a", 1000, { now: at(0) });
    expect(await tryAcquireLease(db, "l", "b", 1000, { now: at(999) })).toBe(false);
    expect(await tryAcquireLease(db, "l", "b", 1000, { now: at(1000) })).toBe(true);
  });

  it("lets the holder take its own lease again, extending it", async () => {
    await tryAcquireLease(db, "l", "a", 1000, { now: at(0) });
    expect(await tryAcquireLease(db, "l", "a", 1000, { now: at(500) })).toBe(true);
    expect(await tryAcquireLease(db, "l", "b", 1000, { now: at(1200) })).toBe(false);
  });

  it("does not let the holder re-take a non-reentrant lease before it expires", async () => {
    await tryAcquireLease(db, "p", "a", 1000, { now: at(0), reentrant: false });
    expect(await tryAcquireLease(db, "p", "a", 1000, { now: at(999), reentrant: false })).toBe(false);
    expect(await tryAcquireLease(db, "p", "a", 1000, { now: at(1000), reentrant: false })).toBe(true);
  });

  it("renews only for the holder", async () => {
    await tryAcquireLease(db, "l", "a", 1000, { now: at(0) });
    expect(await renewLease(db, "l", "b", 1000, at(10))).toBe(false);
    expect(await renewLease(db, "l", "a", 5000, at(10))).toBe(true);
    expect(await tryAcquireLease(db, "l", "b", 1000, { now: at(2000) })).toBe(false);
  });

  it("releases only for the holder, freeing the lease at once", async () => {
    await tryAcquireLease(db, "l", "a", 60_000, { now: at(0) });
    expect(await releaseLease(db, "l", "b")).toBe(false);
    expect(await releaseLease(db, "l", "a")).toBe(true);
    expect(await tryAcquireLease(db, "l", "b", 1000, { now: at(1) })).toBe(true);
  });

  it("gives a contended free lease to exactly one of many concurrent holders", async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => tryAcquireLease(db, "race", `h${i}`, 1000, { now: at(0) })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("gives a contended expired lease to exactly one of many concurrent holders", async () => {
    await tryAcquireLease(db, "race", "old", 1000, { now: at(0) });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => tryAcquireLease(db, "race", `h${i}`, 1000, { now: at(5000) })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

function manualClock(start = 0) {
  let time = start;
  return { now: () => at(time), set: (ms: number) => (time = ms), advance: (ms: number) => (time += ms) };
}

function countingJob(overrides: Partial<BackgroundJob> = {}) {
  const runs: { period: number; holder?: string }[] = [];
  const job: BackgroundJob = { name: "count", intervalMs: 1000, leaseMs: 3000, run: async () => {}, ...overrides };
  return { job, runs };
}

describe("background scheduler (two instances, one database)", () => {
  const schedulers: BackgroundScheduler[] = [];
  afterEach(async () => {
    await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
    schedulers.length = 0;
  });

  function instance(holder: string, jobs: BackgroundJob[], clock: ReturnType<typeof manualClock>) {
    const scheduler = createBackgroundScheduler({ db, holder, jobs: () => jobs, now: clock.now, log: quietLog });
    schedulers.push(scheduler);
    return scheduler;
  }

  it("runs the job exactly once per period when both instances tick concurrently", async () => {
    const clock = manualClock();
    const runsPerPeriod = new Map<number, number>();
    const job: BackgroundJob = {
      name: "once",
      intervalMs: 1000,
      leaseMs: 3000,
      run: async ({ now }) => {
        const period = Math.floor((now.getTime() - at(0).getTime()) / 1000);
        runsPerPeriod.set(period, (runsPerPeriod.get(period) ?? 0) + 1);
      },
    };
    const a = instance("a", [job], clock);
    const b = instance("b", [job], clock);
    const periods = 25;
    for (let period = 0; period < periods; period++) {
      clock.set(period * 1000);
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    }
    expect([...runsPerPeriod.keys()]).toEqual(Array.from({ length: periods }, (_, i) => i));
    expect([...runsPerPeriod.values()].every((count) => count === 1)).toBe(true);
  });

  it("keeps the job on one holder while it is alive", async () => {
    const clock = manualClock();
    const holders: string[] = [];
    const { job } = countingJob();
    const a = instance("a", [{ ...job, run: async () => void holders.push("a") }], clock);
    const b = instance("b", [{ ...job, run: async () => void holders.push("b") }], clock);
    for (let period = 0; period < 10; period++) {
      clock.set(period * 1000);
      await Promise.all([b.tick(), a.tick()]);
    }
    expect(new Set(holders).size).toBe(1);
    expect(holders).toHaveLength(10);
  });

  it("hands the job over once a silent holder's lease expires, without running a period twice", async () => {
    const clock = manualClock();
    const runs: string[] = [];
    const { job } = countingJob({ leaseMs: 3000 });
    const a = instance("a", [{ ...job, run: async () => void runs.push(`a@${clock.now().getTime() - at(0).getTime()}`) }], clock);
    const b = instance("b", [{ ...job, run: async () => void runs.push(`b@${clock.now().getTime() - at(0).getTime()}`) }], clock);
    await a.tick();
    clock.set(1000);
    await a.tick();
    // "a" goes silent (crashed: no stop, no release); its lease runs until 1000 + 3000.
    for (const time of [2000, 3000, 3999]) {
      clock.set(time);
      expect(await b.tick()).toEqual([]);
    }
    clock.set(4000);
    expect(await b.tick()).toEqual(["count"]);
    expect(runs).toEqual(["a@0", "a@1000", "b@4000"]);
  });

  it("takes over at once when the holder stops cleanly", async () => {
    const clock = manualClock();
    const { job } = countingJob({ leaseMs: 60_000 });
    const a = instance("a", [job], clock);
    const b = instance("b", [job], clock);
    expect(await a.tick()).toEqual(["count"]);
    await a.stop();
    clock.set(1000);
    expect(await b.tick()).toEqual(["count"]);
  });

  it("keeps renewing the lease while a long run goes on, so no one else starts it", async () => {
    const clock = manualClock();
    let finishRun!: () => void;
    const job: BackgroundJob = { name: "long", intervalMs: 1000, leaseMs: 3000, run: () => new Promise<void>((resolve) => (finishRun = resolve)) };
    const a = createBackgroundScheduler({ db, holder: "a", jobs: () => [job], now: clock.now, heartbeatMs: () => 10, log: quietLog });
    const b = instance("b", [job], clock);
    schedulers.push(a);
    const running = a.tick();
    await vi.waitFor(() => expect(finishRun).toBeTypeOf("function"));
    clock.set(10_000);
    await vi.waitFor(async () => {
      const lease = await db.jobLease.findUnique({ where: { name: holderLeaseName("long") } });
      expect(lease!.expiresAt.getTime()).toBe(at(13_000).getTime());
    });
    expect(await b.tick()).toEqual([]);
    finishRun();
    expect(await running).toEqual(["long"]);
  });

  it("keeps scheduling after a run throws", async () => {
    const clock = manualClock();
    let calls = 0;
    const job: BackgroundJob = {
      name: "flaky",
      intervalMs: 1000,
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error("boom");
      },
    };
    const a = instance("a", [job], clock);
    expect(await a.tick()).toEqual(["flaky"]);
    clock.set(1000);
    expect(await a.tick()).toEqual(["flaky"]);
    expect(calls).toBe(2);
    expect(quietLog.error).toHaveBeenCalledWith("[jobs] flaky failed", expect.any(Error));
  });

  it("does not run a job before its period is over on the same instance", async () => {
    const clock = manualClock();
    const { job } = countingJob();
    const a = instance("a", [job], clock);
    expect(await a.tick()).toEqual(["count"]);
    clock.set(999);
    expect(await a.tick()).toEqual([]);
  });
});

describe("job registry", () => {
  it("is what a scheduler runs by default, including jobs registered after it was created", async () => {
    const scheduler = createBackgroundScheduler({ db, holder: "r", log: quietLog });
    let ran = 0;
    const unregister = registerBackgroundJob({ name: "registry-test", intervalMs: 60_000, run: async () => void (ran += 1) });
    try {
      expect(await scheduler.tick()).toContain("registry-test");
      expect(ran).toBe(1);
    } finally {
      unregister();
      await scheduler.stop();
    }
    expect(listBackgroundJobs().map((job) => job.name)).not.toContain("registry-test");
  });

  it("replaces a job registered again under the same name", () => {
    const first = registerBackgroundJob({ name: "replace-test", intervalMs: 1000, run: async () => {} });
    const second = registerBackgroundJob({ name: "replace-test", intervalMs: 2000, run: async () => {} });
    expect(listBackgroundJobs().filter((job) => job.name === "replace-test").map((job) => job.intervalMs)).toEqual([2000]);
    first();
    expect(listBackgroundJobs().some((job) => job.name === "replace-test")).toBe(true);
    second();
  });

  it("rejects invalid names and intervals", () => {
    expect(() => registerBackgroundJob({ name: "Bad Name", intervalMs: 1000, run: async () => {} })).toThrow(/Invalid background job name/);
    expect(() => registerBackgroundJob({ name: "ok", intervalMs: 0, run: async () => {} })).toThrow(/positive intervalMs/);
  });
});

describe("two real processes on one database", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    children.length = 0;
  });

  function startInstance(holder: string, intervalMs: number, leaseMs: number, durationMs: number) {
    const script = path.join(import.meta.dirname, "fixtures", "job-instance.ts");
    // From one cached bundle (scripts/run-bundled.mjs): under tsx each instance compiled the scheduler's modules again.
    const child = spawn(process.execPath, ["--conditions=react-server", "scripts/run-bundled.mjs", script, holder, String(intervalMs), String(leaseMs), String(durationMs)], {
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk) => (stdout += chunk));
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, exited, stdout: () => stdout, stderr: () => stderr };
  }

  const runRows = () => db.auditLog.findMany({ where: { action: "test.job_run" }, orderBy: { createdAt: "asc" } });
  const runTimes = async () => (await runRows()).map((row) => ({ holder: row.targetId!, at: (row.details as { at: number }).at })).sort((x, y) => x.at - y.at);

  it("runs the job once per period across both processes", async () => {
    const intervalMs = 250;
    // Each instance runs for 6 s after it has started, so slow process start-up under load still leaves overlap.
    const first = startInstance("proc-a", intervalMs, 2000, 6000);
    const second = startInstance("proc-b", intervalMs, 2000, 6000);
    const codes = await Promise.all([first.exited, second.exited]);
    expect(codes, first.stderr() + second.stderr()).toEqual([0, 0]);
    const runs = await runTimes();
    expect(runs.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.at - runs[i - 1]!.at).toBeGreaterThanOrEqual(intervalMs - 5);
  }, 60_000);

  it("moves the job to the surviving process after the holder is killed", async () => {
    const intervalMs = 200;
    const leaseMs = 1000;
    const first = startInstance("proc-a", intervalMs, leaseMs, 60_000);
    await vi.waitFor(async () => expect((await runTimes()).length).toBeGreaterThan(0), { timeout: 15_000, interval: 50 });
    const second = startInstance("proc-b", intervalMs, leaseMs, 60_000);
    await vi.waitFor(() => expect(second.stdout()).toContain("started"), { timeout: 15_000, interval: 50 });
    first.child.kill("SIGKILL");
    const killedAt = Date.now();
    await first.exited;
    await vi.waitFor(async () => expect((await runTimes()).some((run) => run.holder === "proc-b")).toBe(true), { timeout: 20_000, interval: 50 });
    const runs = await runTimes();
    const firstByB = runs.find((run) => run.holder === "proc-b")!;
    expect(runs.filter((run) => run.holder === "proc-a").every((run) => run.at < killedAt)).toBe(true);
    expect(firstByB.at).toBeGreaterThanOrEqual(killedAt);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.at - runs[i - 1]!.at).toBeGreaterThanOrEqual(intervalMs - 5);
  }, 90_000);
});
