import "server-only";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { TLeaderboardData } from "@/lib/domain/leaderboard/snapshot";
import { AppError } from "@/lib/server/errors";
import { prepareWorker, startWorker } from "@/lib/server/workers/start-worker";
import type { TFitJob } from "./boards";

/**
 * The fitting threads of one recomputation (./fit.worker.ts, one per core, at most two): every
 * board is fitted there, this thread only gathers the cells and writes the results.
 */

const FIT_WORKER = "lib/server/leaderboards/fit.worker.ts";

/** What ./fit.worker.ts answers to the job numbered `id`. */
export type TFitReply = { id: number; boards: TLeaderboardData[] } | { id: number; failed: string };

export interface BoardFitter {
  /** The boards of `job` (./boards.ts, runFitJob), fitted by the least busy thread. */
  fit(job: TFitJob): Promise<TLeaderboardData[]>;
  /** Stops the threads; jobs still running fail. */
  close(): void;
}

interface FitThread {
  worker: Worker;
  pending: Map<number, { resolve: (boards: TLeaderboardData[]) => void; reject: (error: Error) => void }>;
}

/** Starts the fitting threads (compiled off this thread first: a first compile would hold the event loop). */
export async function startBoardFitter(threadCount = Math.max(1, Math.min(2, availableParallelism()))): Promise<BoardFitter> {
  await prepareWorker(FIT_WORKER);
  const threads: FitThread[] = [];
  const failAll = (thread: FitThread, reason: string) => {
    for (const { reject } of thread.pending.values()) reject(new AppError("INTERNAL", `Fitting the leaderboards failed: ${reason}`));
    thread.pending.clear();
  };
  for (let k = 0; k < threadCount; k++) {
    const thread: FitThread = { worker: startWorker(FIT_WORKER), pending: new Map() };
    thread.worker.on("message", (reply: TFitReply) => {
      const waiting = thread.pending.get(reply.id);
      if (!waiting) return;
      thread.pending.delete(reply.id);
      if ("failed" in reply) waiting.reject(new AppError("INTERNAL", `Fitting the leaderboards failed: ${reply.failed}`));
      else waiting.resolve(reply.boards);
    });
    thread.worker.on("error", (error) => failAll(thread, error.message));
    thread.worker.on("exit", (code) => failAll(thread, `the fitting thread exited (${code})`));
    threads.push(thread);
  }
  let nextId = 0;
  return {
    fit(job) {
      const thread = threads.reduce((best, candidate) => (candidate.pending.size < best.pending.size ? candidate : best));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        thread.pending.set(id, { resolve, reject });
        thread.worker.postMessage({ id, job });
      });
    },
    close() {
      for (const thread of threads) {
        thread.worker.removeAllListeners();
        failAll(thread, "the recomputation ended");
        void thread.worker.terminate();
      }
    },
  };
}
