import "server-only";

/**
 * The circuit breaker's rule. A model is paused when, within the last `windowMs`, it failed real
 * users at least `failures` times AND either those failures are at least `failureRate` of its
 * finished answers in the window or its last `failures` answers all failed. A busy model that fails
 * now and then is not paused for a handful of failures among thousands of answers; a busy model whose
 * provider goes down is paused as soon as it has failed that many times in a row.
 *
 * The counts come from the database (ModelFailure rows and completed Response rows), not from memory:
 * an earlier in-process breaker needed 5 failures in a row, or 10 calls in its window, on ONE process,
 * and restarts, other instances and retried sides (a retry overwrites the failed Response row) each
 * started it over, so a model that failed for users four times was never paused.
 * Admin test calls and our own faults (media storage down) are never counted; caller aborts neither.
 */
export interface TCircuitBreakerPolicy {
  failures: number;
  windowMs: number;
  failureRate: number;
}

export interface TCircuitWindowCounts {
  /** Failed answers of the model in the window (this one included). */
  failures: number;
  /** Answers of the model that completed in the window. */
  successes: number;
  /** Failed answers since its last completed one (this one included). */
  consecutive: number;
}

export type TCircuitVerdict = { trip: false } | { trip: true; reason: string };

function describeWindow(windowMs: number): string {
  const seconds = Math.round(windowMs / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

/** Whether the window's counts trip the breaker, with the reason stored on the paused model. */
export function circuitBreakerVerdict(counts: TCircuitWindowCounts, policy: TCircuitBreakerPolicy, lastFailure: string): TCircuitVerdict {
  const answers = counts.failures + counts.successes;
  if (counts.failures < policy.failures || answers === 0) return { trip: false };
  const share = counts.failures / answers;
  if (share < policy.failureRate && counts.consecutive < policy.failures) return { trip: false };
  const percent = Math.round(share * 100);
  return {
    trip: true,
    reason: `${counts.failures} failed answers in the last ${describeWindow(policy.windowMs)} (${percent}% of ${answers}; ${counts.consecutive} in a row); last: ${lastFailure}`,
  };
}
