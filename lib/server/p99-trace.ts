// TEMPORARY instrumentation (p99pg): removed before the final commit.
import { AsyncLocalStorage } from "node:async_hooks";
import { appendFileSync } from "node:fs";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

export interface TTrace {
  t0: number;
  marks: Record<string, number>;
}
const g = globalThis as unknown as { p99Trace?: { als: AsyncLocalStorage<TTrace>; out: string[]; commits: string[] } };
const state = (g.p99Trace ??= (() => {
  const s = { als: new AsyncLocalStorage<TTrace>(), out: [] as string[], commits: [] as string[] };
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  let elu = performance.eventLoopUtilization();
  const file = `/work/scratch/p99pg/trace/${process.pid}.jsonl`;
  setInterval(() => {
    const now = performance.eventLoopUtilization();
    const d = performance.eventLoopUtilization(now, elu);
    elu = now;
    const lines = [...s.out, ...s.commits, JSON.stringify({ k: "loop", at: performance.now(), elu: d.utilization, p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 })];
    h.reset();
    s.out.length = 0;
    s.commits.length = 0;
    appendFileSync(file, lines.join("\n") + "\n");
  }, 1000).unref();
  return s;
})());

export const traceRun = <T>(fn: () => T): T => state.als.run({ t0: performance.now(), marks: {} }, fn);
export const currentTrace = () => state.als.getStore();
export function mark(name: string, trace = state.als.getStore()) {
  if (trace) trace.marks[name] = performance.now() - trace.t0;
}
export function finish(trace = state.als.getStore()) {
  if (trace) state.out.push(JSON.stringify({ k: "vote", at: trace.t0, total: performance.now() - trace.t0, ...trace.marks }));
}
export function commitRecord(record: Record<string, number>) {
  state.commits.push(JSON.stringify({ k: "commit", ...record }));
}
