import "server-only";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { TPartialCells } from "@/lib/domain/leaderboard/cells";
import type { TModality } from "@/lib/domain/vocabulary";
import { readAheadTemplates, type TReadAheadTemplates } from "@/lib/server/store/leaderboard-sqlite-queries";
import { libsqlModulePath } from "@/lib/server/workers/libsql";
import { prepareWorker, startWorker } from "@/lib/server/workers/start-worker";
import { yieldToEventLoop } from "@/lib/server/yielding";
import type { TPackedWindowColumns } from "./packed-vote-window";
import type { TPackedStyledVotes } from "./styled-rows";
import type { PersonaTimeline, TWindowClasses } from "./window-cells";
import { READ_WINDOW_MS } from "./vote-store";

/** Style control refits a per-battle model; it uses the most recent text votes, up to this many. */
export const STYLE_CONTROL_MAX_VOTES = 20_000;

/**
 * How many votes a modality's job holds (worker 0 only, before its windows of the job), or one parsed
 * window of a modality (`window`: its number on the job's grid) with its votes' persona classes, or
 * the end of a modality's windows with the cells of the worker's votes of it, or the packed styled
 * votes, or a failure.
 */
export type TReadAheadMessage =
  | { modality: TModality; votes: number }
  | { modality: TModality; window: number; columns: TPackedWindowColumns; classes: TWindowClasses; last: number | null }
  | { modality: TModality; done: true; cells: TPartialCells }
  | { style: TPackedStyledVotes }
  | { failed: string };

/** A vote job (one modality's counted votes in [from, until]) or the job that packs the styled text votes. */
export type TReadAheadJob = { modality: TModality; from: number; until: number } | { style: { maxVotes: number } };

/** The job that packs the styled text votes (lib/server/store/leaderboard-sqlite-queries.ts, styledPackedQuery). */
export const styleJob = (): TReadAheadJob => ({ style: { maxVotes: STYLE_CONTROL_MAX_VOTES } });

/** What ./read-ahead.worker.ts receives. */
export interface TReadAheadData {
  libsql: string;
  file: string;
  windowMs: number;
  jobs: TReadAheadJob[];
  /** The thread's queries, compiled on this side: the thread fills in their arguments and loads no Kysely. */
  queries: TReadAheadTemplates;
  /** Per job, the next window of its grid no thread has claimed yet (an Int32Array on it, shared by the threads). */
  claims: SharedArrayBuffer;
  workerIndex: number;
}

/**
 * What the threads classify and count the votes by: the persona timelines, and the annotators whose
 * votes are logged but not counted in the cells. A thread's first message once it started.
 */
export interface TReadAheadCells {
  timelines: Map<string, PersonaTimeline>;
  excludedUsers: string[];
}

/** Read-ahead workers; `next(k)` is worker k's next message, in the order it posted them. */
export interface ReadAhead {
  workers: number;
  next(worker: number): Promise<TReadAheadMessage>;
  close(): void;
}

export const READ_AHEAD_WORKER = "lib/server/leaderboards/read-ahead.worker.ts";

/** Message queue of one worker. */
function workerInbox(worker: Worker): () => Promise<TReadAheadMessage> {
  const received: TReadAheadMessage[] = [];
  let waiting: ((message: TReadAheadMessage) => void) | null = null;
  const deliver = (message: TReadAheadMessage) => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(message);
    } else received.push(message);
  };
  worker.on("message", deliver);
  worker.on("error", (error) => deliver({ failed: error.message }));
  worker.on("exit", (code) => deliver({ failed: `read-ahead worker exited (${code})` }));
  return () => {
    const message = received.shift();
    return message ? Promise.resolve(message) : new Promise((resolve) => (waiting = resolve));
  };
}

/**
 * A full read on SQLite: worker threads (one per core, at most two), each with its own read-only
 * connection, run the window queries, parse the windows, classify their votes and count their
 * cells (./read-ahead.worker.ts) while this thread logs the parsed windows in time order (with
 * Elo's steps), merges the cells and fits the modalities already read; worker 0 also packs the
 * styled votes. Throws when a worker cannot start. The worker module is compiled
 * before the first start without blocking this thread (prepareWorker): compiled synchronously, it held
 * the event loop 75–300 ms on a new process's first read. The threads start before the cells are
 * loaded (their start, libsql's load and the style job overlap the timelines' load on this thread)
 * and get them as their first message.
 */
export async function startReadAhead(
  file: string,
  jobs: TReadAheadJob[],
  loadCells: Promise<TReadAheadCells>,
  workerCount = Math.max(1, Math.min(2, availableParallelism())),
): Promise<ReadAhead> {
  const workers: Worker[] = [];
  // Each worker's inbox listens from its start on: a message posted while the next one starts is not lost.
  const inboxes: (() => Promise<TReadAheadMessage>)[] = [];
  try {
    // The timelines are loaded on this thread (in slices) while the module compiles on another and the threads start.
    loadCells.catch(() => undefined);
    await prepareWorker(READ_AHEAD_WORKER);
    const libsql = libsqlModulePath();
    const claims = new SharedArrayBuffer(jobs.length * Int32Array.BYTES_PER_ELEMENT);
    for (let workerIndex = 0; workerIndex < workerCount; workerIndex++) {
      // One start per turn of the event loop: `new Worker` holds this thread 10–25 ms, two back to back twice that.
      if (workerIndex > 0) await yieldToEventLoop();
      const workerData: TReadAheadData = { libsql, file, windowMs: READ_WINDOW_MS, jobs, queries: readAheadTemplates(), claims, workerIndex };
      const worker = startWorker(READ_AHEAD_WORKER, { workerData, background: true });
      workers.push(worker);
      inboxes.push(workerInbox(worker));
    }
    const cells = await loadCells;
    for (const worker of workers) {
      // One post per turn of the event loop as well: each clones the persona timelines (~10 ms at 2,000
      // annotators), and with the last start they held the loop 64 ms in one profiled full read.
      await yieldToEventLoop();
      worker.postMessage(cells);
    }
  } catch (error) {
    for (const worker of workers) void worker.terminate();
    throw error;
  }
  return {
    workers: workerCount,
    next: (worker) => inboxes[worker](),
    close: () => {
      for (const worker of workers) {
        worker.removeAllListeners();
        void worker.terminate();
      }
    },
  };
}
