// TEMPORARY instrumentation (p99sql): removed before the final commit.
import { AsyncLocalStorage } from "node:async_hooks";
import { writeFileSync } from "node:fs";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { isMainThread } from "node:worker_threads";

type TTrace = Record<string, number>;
const storage = new AsyncLocalStorage<TTrace>();
const g = globalThis as unknown as { __voteTrace?: { traces: TTrace[]; commits: number[][]; stalls: number[][]; gcs: number[][]; marks: [string, number, number][] } };
const file = isMainThread ? process.env.VOTE_TRACE_FILE : undefined;
const state = (g.__voteTrace ??= (() => {
  const s = { traces: [] as TTrace[], commits: [] as number[][], stalls: [] as number[][], gcs: [] as number[][], marks: [] as [string, number, number][] };
  if (file) {
    const h = monitorEventLoopDelay({ resolution: 2 });
    h.enable();
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      if (now - last > 15) s.stalls.push([last, now - last]);
      last = now;
    }, 5).unref();
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) s.gcs.push([e.startTime, e.duration, (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0]);
    }).observe({ entryTypes: ["gc"] });
    process.on("exit", () => {
      const pct = Object.fromEntries([50, 90, 99, 99.9].map((p) => [p, h.percentile(p) / 1e6]));
      writeFileSync(file, JSON.stringify({ eld: { pct, max: h.max / 1e6, mean: h.mean / 1e6 }, ...s }));
    });
  }
  return s;
})());

export const traceEnabled = !!file;
export function startTrace<T>(fn: () => T): T {
  const t: TTrace = { arrive: performance.now() };
  state.traces.push(t);
  return storage.run(t, fn);
}
export function traceMark(name: string): void {
  if (!file) return;
  const t = storage.getStore();
  if (t && t[name] === undefined) t[name] = performance.now();
}
export function traceCommit(start: number, groups: number, votes: number): void {
  if (file) state.commits.push([start, performance.now() - start, groups, votes]);
}
export function traceSpan(name: string, start: number): void {
  if (file) state.marks.push([name, start, performance.now() - start]);
}
export const currentTrace = (): TTrace | undefined => (file ? storage.getStore() : undefined);
