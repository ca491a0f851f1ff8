import "server-only";

/**
 * Circuit breaker for one model. The service feeds it every finished call (`recordSuccess` /
 * `recordFailure`; never caller aborts) and, when `recordFailure` reports `opened`, persists the
 * model as paused with `openReason`. Thresholds (defaults):
 * - `consecutiveFailures` (5) failures in a row open the circuit;
 * - or, within the last `windowMs` (5 min), at least `minCallsInWindow` (10) calls with a failure
 *   rate of at least `failureRateThreshold` (0.5) open it.
 * After `cooldownMs` (60 s) an open circuit turns half-open: `canRequest()` lets one trial call
 * through; its success closes the circuit and clears history, its failure opens it again.
 * Time comes from the injected `now` so tests control the clock.
 */
export type CircuitState = "closed" | "open" | "half_open";

export interface CircuitBreakerOptions {
  consecutiveFailures: number;
  windowMs: number;
  minCallsInWindow: number;
  failureRateThreshold: number;
  cooldownMs: number;
  now: () => number;
}

export const DEFAULT_CIRCUIT_BREAKER_OPTIONS: CircuitBreakerOptions = {
  consecutiveFailures: 5,
  windowMs: 5 * 60_000,
  minCallsInWindow: 10,
  failureRateThreshold: 0.5,
  cooldownMs: 60_000,
  now: () => Date.now(),
};

export class CircuitBreaker {
  private readonly options: CircuitBreakerOptions;
  private outcomes: Array<{ at: number; failed: boolean }> = [];
  private consecutive = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private reason: string | null = null;

  constructor(options: Partial<CircuitBreakerOptions> = {}) {
    this.options = { ...DEFAULT_CIRCUIT_BREAKER_OPTIONS, ...options };
  }

  get state(): CircuitState {
    if (this.openedAt === null) return "closed";
    return this.options.now() - this.openedAt >= this.options.cooldownMs ? "half_open" : "open";
  }

  /** Why the circuit opened last, for the "paused with reason" shown to owners and admins. */
  get openReason(): string | null {
    return this.reason;
  }

  /** Closed: always. Open: never. Half-open: exactly one trial call until its outcome is recorded. */
  canRequest(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    if (this.openedAt !== null) {
      this.reset();
      return;
    }
    this.consecutive = 0;
    this.push(false);
  }

  /** Returns whether this failure opened (or re-opened) the circuit. */
  recordFailure(description: string): { opened: boolean; reason: string | null } {
    if (this.openedAt !== null) {
      this.trialInFlight = false;
      this.openedAt = this.options.now();
      this.reason = `Trial call after cooldown failed: ${description}`;
      return { opened: true, reason: this.reason };
    }
    this.consecutive++;
    this.push(true);
    const inWindow = this.outcomes.length;
    const failures = this.outcomes.filter((outcome) => outcome.failed).length;
    if (this.consecutive >= this.options.consecutiveFailures) {
      return this.open(`${this.consecutive} consecutive failures; last: ${description}`);
    }
    if (inWindow >= this.options.minCallsInWindow && failures / inWindow >= this.options.failureRateThreshold) {
      const minutes = Math.round(this.options.windowMs / 60_000);
      return this.open(`${failures} of ${inWindow} calls failed in the last ${minutes} min; last: ${description}`);
    }
    return { opened: false, reason: null };
  }

  /** Manual resume (an admin un-pauses the model). */
  reset(): void {
    this.outcomes = [];
    this.consecutive = 0;
    this.openedAt = null;
    this.trialInFlight = false;
    this.reason = null;
  }

  private open(reason: string): { opened: true; reason: string } {
    this.openedAt = this.options.now();
    this.reason = reason;
    return { opened: true, reason };
  }

  private push(failed: boolean): void {
    const now = this.options.now();
    this.outcomes.push({ at: now, failed });
    const oldest = now - this.options.windowMs;
    while (this.outcomes.length > 0 && this.outcomes[0].at <= oldest) this.outcomes.shift();
  }
}
