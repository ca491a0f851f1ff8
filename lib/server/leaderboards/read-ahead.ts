import "server-only";
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
 * How many votes a modality's job holds (before its windows), or one parsed window of a modality with
 * its votes' persona classes (the windows in time order), or the end of a modality's windows with the
 * cells of its votes, or the packed styled votes, or a failure.
 */
export type TReadAheadMessage =
  | { modality: TModality; votes: number }
  | { modality: TModality; columns: TPackedWindowColumns; classes: TWindowClasses; last: number | null }
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
}

/**
 * What the thread classifies and counts the votes by: the persona timelines, and the annotators whose
 * votes are logged but not counted in the cells. The thread's first message once it started.
 */
export interface TReadAheadCells {
  timelines: Map<string, PersonaTimeline>;
  excludedUsers: string[];
}

/** The read-ahead thread; `next()` is its next message, in the order it posted them. */
export interface ReadAhead {
  next(): Promise<TReadAheadMessage>;
  close(): void;
}

export const READ_AHEAD_WORKER = "lib/server/leaderboards/read-ahead.worker.ts";

/** The thread's messages, queued from its start on: a message posted before the caller asks is not lost. */
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
 * A full read on SQLite: ONE worker thread, with its own read-only connection, runs the window
 * queries, parses the windows, classifies their votes and counts their cells
 * (./read-ahead.worker.ts), and packs the styled votes when a job asks, while this thread logs the parsed
 * windows in time order (with Elo's steps), merges the cells and fits the modalities already read.
 * One thread, not one per core: the request thread's feeding and the fitting threads keep the other
 * core busy, and a second reader compiled the same parsing and counting code in one more isolate and
 * loaded libsql once more (a cold full read took 15 % more CPU with two: BENCHMARKS.md, stop 35,
 * fullread7). Throws when the worker cannot start. The worker module
 * is compiled before the start without blocking this thread (prepareWorker): compiled synchronously,
 * it held the event loop 75–300 ms on a new process's first read. The thread starts before the cells
 * are loaded (its start, libsql's load and the style job overlap the timelines' load on this thread)
 * and gets them as its first message.
 */
export async function startReadAhead(file: string, jobs: TReadAheadJob[], loadCells: Promise<TReadAheadCells>): Promise<ReadAhead> {
  // The timelines are loaded on this thread (in slices) while the module compiles on another and the thread starts.
  loadCells.catch(() => undefined);
  await prepareWorker(READ_AHEAD_WORKER);
  const workerData: TReadAheadData = { libsql: libsqlModulePath(), file, windowMs: READ_WINDOW_MS, jobs, queries: readAheadTemplates() };
  // The full read's serial path: its fits and grouped scans (BACKGROUND_NICE) fill in around it.
  const worker = startWorker(READ_AHEAD_WORKER, { workerData, background: "serial" });
  // The inbox listens from the start on.
  const next = workerInbox(worker);
  try {
    const cells = await loadCells;
    // In a turn of its own: the post clones the persona timelines (~10 ms at 2,000 annotators).
    await yieldToEventLoop();
    worker.postMessage(cells);
  } catch (error) {
    void worker.terminate();
    throw error;
  }
  return {
    next,
    close: () => {
      worker.removeAllListeners();
      void worker.terminate();
    },
  };
}
