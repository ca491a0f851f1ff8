/**
 * A helper thread whose starter blocks until each answer is in (scripts/ratings.ts: a command line
 * with nothing else to do meanwhile). The thread is started once and serves jobs one at a time, so
 * its start (compiling and loading its modules) is paid once for all of them:
 * the starter posts a job on `workerData.port` and bumps signal[0]; the thread, blocked on signal[0],
 * takes the job, posts { ok, answer } back and bumps signal[1], on which the starter waits. When the
 * thread exits (a module that fails to compile or to load, a crash), start-worker's exit hook stores -1
 * in signal[1] (`exitSignal`), so the starter stops waiting and does the work itself.
 */
import { type MessagePort, receiveMessageOnPort, type Transferable, workerData } from "node:worker_threads";
import type { TExitSignal } from "@/lib/server/workers/start-worker";

export interface TBlockingWorkerData {
  port: MessagePort;
  /** Two Int32 on a SharedArrayBuffer: jobs posted, jobs answered (-1 once the thread has exited). */
  signal: Int32Array;
  /** { signal, index: 1 }: start-worker's exit hook marks the thread gone. */
  exitSignal: TExitSignal;
}

export interface TBlockingReply<TAnswer> {
  ok: boolean;
  answer: TAnswer | null;
}

/** Serves jobs forever (the thread is unref'd: the process ends when the starter is done). */
export function serveBlockingStarter<TJob, TAnswer>(compute: (job: TJob) => TAnswer, transfer: (answer: TAnswer) => Transferable[]): void {
  const { port, signal } = workerData as TBlockingWorkerData;
  for (let answered = 0; ; ) {
    while (Atomics.load(signal, 0) === answered) Atomics.wait(signal, 0, answered);
    const message = receiveMessageOnPort(port);
    answered++;
    let reply: TBlockingReply<TAnswer> = { ok: false, answer: null };
    let transferList: Transferable[] = [];
    try {
      if (!message) throw new Error("no job on the port");
      const answer = compute(message.message as TJob);
      reply = { ok: true, answer };
      transferList = transfer(answer);
    } catch {
      // The starter does the work itself.
    }
    port.postMessage(reply, transferList);
    Atomics.store(signal, 1, answered);
    Atomics.notify(signal, 1);
  }
}
