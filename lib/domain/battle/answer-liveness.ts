/**
 * How long past its model's whole timeout an answer still stored as pending or streaming may yet be
 * written by the round generating it, on any instance. Past that the round has ended: the event
 * stream marks the answer interrupted, and the answer no longer holds up an account's erasure.
 */
export const ANSWER_STALE_AFTER_MS = 30_000;

/** Whether a round may still write an unsettled answer started at `startedAt` by a model with `timeoutMs`. */
export function mayStillBeWritten(startedAt: Date, timeoutMs: number, now: number, staleAfterMs = ANSWER_STALE_AFTER_MS): boolean {
  return now - startedAt.getTime() <= timeoutMs + staleAfterMs;
}
