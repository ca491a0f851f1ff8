import "server-only";

/**
 * Enforces a model's time budget on one call: `totalMs` for the whole call and `idleMs` between two
 * chunks (reset by `touch()`). Its `signal` aborts when either fires or the caller's signal aborts,
 * and `timedOut` tells which, so a timeout is never confused with a user who left.
 */
export class CallDeadline {
  readonly signal: AbortSignal;
  timedOut: "total" | "idle" | null = null;
  private readonly controller = new AbortController();
  private readonly totalTimer: ReturnType<typeof setTimeout>;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private lastActivity = 0;
  private readonly onCallerAbort: () => void;

  constructor(
    private readonly callerSignal: AbortSignal,
    readonly totalMs: number,
    readonly idleMs: number | null,
  ) {
    this.signal = this.controller.signal;
    this.onCallerAbort = () => this.controller.abort(callerSignal.reason);
    if (callerSignal.aborted) this.controller.abort(callerSignal.reason);
    else callerSignal.addEventListener("abort", this.onCallerAbort, { once: true });
    this.totalTimer = setTimeout(() => this.expire("total"), totalMs);
    this.touch();
    if (idleMs !== null) this.idleTimer = setTimeout(() => this.checkIdle(), idleMs);
  }

  get callerAborted(): boolean {
    return this.callerSignal.aborted && this.timedOut === null;
  }

  /**
   * Records activity. Called for every chunk, so it only notes the time; the idle timer checks it
   * when it fires and re-arms itself for the remaining budget (no timer churn per chunk).
   */
  touch(): void {
    this.lastActivity = performance.now();
  }

  /** Aborts upstream work (e.g. the consumer stopped reading) and stops the timers. */
  cancel(): void {
    if (!this.signal.aborted) this.controller.abort(new DOMException("Cancelled", "AbortError"));
    this.dispose();
  }

  dispose(): void {
    clearTimeout(this.totalTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.callerSignal.removeEventListener("abort", this.onCallerAbort);
  }

  describeTimeout(providerLabel: string): string {
    return this.timedOut === "idle"
      ? `${providerLabel} sent nothing for ${formatSeconds(this.idleMs ?? 0)}`
      : `${providerLabel} did not finish within ${formatSeconds(this.totalMs)}`;
  }

  private checkIdle(): void {
    if (this.idleMs === null || this.signal.aborted) return;
    const remaining = this.lastActivity + this.idleMs - performance.now();
    if (remaining > 0) this.idleTimer = setTimeout(() => this.checkIdle(), remaining);
    else this.expire("idle");
  }

  private expire(which: "total" | "idle"): void {
    if (this.signal.aborted) return;
    this.timedOut = which;
    this.controller.abort(new DOMException(`${which} timeout`, "TimeoutError"));
  }
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** Idle budget between chunks: `extraParams.idleTimeoutMs`, else 30 s, never more than the total budget. */
export function idleTimeoutFor(extraParams: Record<string, unknown>, totalMs: number): number {
  const configured = extraParams.idleTimeoutMs;
  const idle = typeof configured === "number" && configured > 0 ? configured : DEFAULT_IDLE_TIMEOUT_MS;
  return Math.min(idle, totalMs);
}
