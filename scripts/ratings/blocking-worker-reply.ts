/**
 * The thread side of a worker whose starter blocks until the answer is in (scripts/ratings.ts:
 * a command line with nothing else to do meanwhile): computes from `workerData.input`, posts the
 * answer on `workerData.port`, then sets `workerData.signal` (BLOCKING_WORKER_STATUS) and wakes the starter.
 */
import { type MessagePort, type Transferable, workerData } from "node:worker_threads";

export const BLOCKING_WORKER_STATUS = { running: 0, done: 1, failed: 2 } as const;

export interface TBlockingWorkerData<TInput> {
  input: TInput;
  port: MessagePort;
  /** One Int32 on a SharedArrayBuffer. */
  signal: Int32Array;
}

export function replyToBlockingStarter<TInput, TAnswer>(compute: (input: TInput) => TAnswer, transfer: (answer: TAnswer) => Transferable[]): void {
  const { input, port, signal } = workerData as TBlockingWorkerData<TInput>;
  let status: number = BLOCKING_WORKER_STATUS.failed;
  try {
    const answer = compute(input);
    port.postMessage(answer, transfer(answer));
    status = BLOCKING_WORKER_STATUS.done;
  } catch {
    // The starter does the work itself.
  }
  port.close();
  Atomics.store(signal, 0, status);
  Atomics.notify(signal, 0);
}
