import "server-only";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { TLeaderboardData } from "@/lib/domain/leaderboard/snapshot";
import type { TLiftBattle, TModelLift } from "@/lib/domain/rating/personalization-lift";
import type { Db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { leaderboardStore } from "@/lib/server/store/leaderboard-store";
import { prepareWorker, startWorker } from "@/lib/server/workers/start-worker";
import { yieldToEventLoop } from "@/lib/server/yielding";
import type { TFitJob } from "./boards";

/**
 * The process's fitting threads (./fit.worker.ts, one per core, at most two): every board is fitted
 * there, the request thread only gathers the cells and writes the results. They are started with the
 * app (startLeaderboardThreads, from instrumentation.ts) and kept for the recomputations (which run one
 * at a time, see recompute.ts), so a run pays neither the threads' start (`new Worker` holds the
 * starting thread 10–25 ms per thread) nor cold code; a thread is referenced only
 * while it has a job (an idle one does not keep a script's process alive), and a thread that died is
 * replaced at the next recomputation.
 */

const FIT_WORKER = "lib/server/leaderboards/fit.worker.ts";

/** Personalization lifts to estimate (lib/domain/rating/personalization-lift.ts), each with its bootstrap. */
export interface TLiftJob {
  kind: "lift";
  fits: { battles: TLiftBattle[]; bootstrapRounds: number; seed: number }[];
}

/** What ./fit.worker.ts answers to the job numbered `id`. */
export type TFitReply = { id: number; boards: TLeaderboardData[] } | { id: number; lifts: TModelLift[][] } | { id: number; failed: string };

/**
 * A job's typed arrays go to the thread it is posted to: their buffers are TRANSFERRED, not copied
 * (a structured clone of an overall board's cells by day held the event loop ~10 ms), so the caller
 * must not use them (or share them with another job) once the job is posted.
 */
export interface BoardFitter {
  /** The boards of `job` (./boards.ts, runFitJob), fitted by the first thread free (jobs wait in the order posted). */
  fit(job: TFitJob): Promise<TLeaderboardData[]>;
  /** The estimates of each of `job`'s lifts, in its order, by the first thread free. */
  fitLifts(job: TLiftJob): Promise<TModelLift[][]>;
}

/** A job waiting for a thread, or the one a thread is fitting. */
interface QueuedJob {
  id: number;
  job: TFitJob | TLiftJob;
  resolve: (reply: TFitReply) => void;
  reject: (error: Error) => void;
}

interface FitThread {
  worker: Worker;
  alive: boolean;
  /** One job at a time: a thread that is done takes the next queued one (see dispatch). */
  current: QueuedJob | null;
}

const globalForFitter = globalThis as unknown as { leaderboardFitThreads?: FitThread[]; leaderboardFitJobs?: number; leaderboardFitQueue?: QueuedJob[] };

/** Jobs posted and not yet taken by a thread, in the order they were posted. */
const queue = (globalForFitter.leaderboardFitQueue ??= []);
const fitThreads = () => (globalForFitter.leaderboardFitThreads ??= []);

const fitFailed = (reason: string) => new AppError("INTERNAL", `Fitting the leaderboards failed: ${reason}`);

/**
 * Hands the queued jobs, in order, to the threads that have none. A job handed out when it was posted
 * (to the thread with fewer jobs) could wait behind a long one while the other thread ran out of work: in a
 * traced cold full read (load 15) the text segments waited 3.9 s behind the style fit, and the other thread
 * idled through the last 2.7 s of the 21 s run.
 */
function dispatch(): void {
  const threads = fitThreads();
  if (!threads.some((thread) => thread.alive)) {
    // Every thread died: the next recomputation starts new ones (boardFitter).
    for (const waiting of queue.splice(0)) waiting.reject(fitFailed("the fitting thread exited"));
    return;
  }
  for (const thread of threads) {
    if (queue.length === 0) return;
    if (!thread.alive || thread.current) continue;
    const next = queue.shift()!;
    thread.current = next;
    thread.worker.ref();
    thread.worker.postMessage({ id: next.id, job: next.job }, transferablesOf(next.job));
  }
}

function startFitThread(): FitThread {
  const thread: FitThread = { worker: startWorker(FIT_WORKER, { background: true }), alive: true, current: null };
  const failAll = (reason: string) => {
    thread.alive = false;
    thread.current?.reject(fitFailed(reason));
    thread.current = null;
    dispatch();
  };
  thread.worker.on("message", (reply: TFitReply) => {
    const done = thread.current;
    if (!done || done.id !== reply.id) return;
    thread.current = null;
    // An idle thread does not keep a script's process alive.
    thread.worker.unref();
    if ("failed" in reply) done.reject(fitFailed(reply.failed));
    else done.resolve(reply);
    dispatch();
  });
  thread.worker.on("error", (error) => failAll(error.message));
  thread.worker.on("exit", (code) => failAll(`the fitting thread exited (${code})`));
  thread.worker.unref();
  return thread;
}

/**
 * The buffers of the typed arrays in `value` (plain objects, arrays and Maps, walked), each once;
 * only those a view covers whole (a view into a larger buffer may be one of several).
 */
function transferablesOf(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength) found.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const item of value) transferablesOf(item, found);
  } else if (value instanceof Map) {
    for (const item of value.values()) transferablesOf(item, found);
  } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    for (const item of Object.values(value)) transferablesOf(item, found);
  }
  return [...found];
}

let fitThreadStarts: Promise<unknown> = Promise.resolve();

/**
 * The fitting threads for a recomputation: the running ones, with any that died replaced (compiled
 * off this thread first: a first compile would hold the event loop).
 */
export async function boardFitter(threadCount = Math.max(1, Math.min(2, availableParallelism()))): Promise<BoardFitter> {
  await prepareWorker(FIT_WORKER);
  const threads = fitThreads();
  // Starts one after another (the app's start and a first recomputation may ask at once): two callers
  // both seeing a dead thread across the yield would each start one.
  const started = fitThreadStarts.then(async () => {
    for (let k = 0; k < threadCount; k++) {
      if (threads[k]?.alive) continue;
      // One start per turn of the event loop: two back to back held it twice as long.
      if (k > 0) await yieldToEventLoop();
      threads[k] = startFitThread();
    }
  });
  fitThreadStarts = started.catch(() => undefined);
  await started;
  const post = (job: TFitJob | TLiftJob): Promise<TFitReply> => {
    const id = (globalForFitter.leaderboardFitJobs = (globalForFitter.leaderboardFitJobs ?? 0) + 1);
    return new Promise((resolve, reject) => {
      queue.push({ id, job, resolve, reject });
      dispatch();
    });
  };
  return {
    fit: async (job) => {
      const reply = await post(job);
      return "boards" in reply ? reply.boards : [];
    },
    fitLifts: async (job) => {
      const reply = await post(job);
      return "lifts" in reply ? reply.lifts : [];
    },
  };
}

/**
 * Before the first recomputation needs them (the app's start: instrumentation.ts): starts the fitting
 * threads, and compiles the modules of the store's threads (the read-ahead, grouped-count and checkpoint
 * writer threads on SQLite) in the same compiler thread. A first recomputation, a full read on a new database,
 * compiled them itself: three compiler threads and their esbuild runs inside the run (0.35–0.8 CPU s of a
 * cold full read at load 9–13; the read-ahead threads started after their compile, 1.3–1.6 s into the run).
 */
export async function startLeaderboardThreads(db: Db): Promise<void> {
  // One compiler thread (one esbuild process) for the fitting module and the store's, the fitting module first:
  // boardFitter awaits that entry only, and starts the fitting threads while the others compile.
  const compiles = prepareWorker(FIT_WORKER, ...leaderboardStore(db).threadModules);
  await Promise.all([boardFitter(), compiles]);
}
