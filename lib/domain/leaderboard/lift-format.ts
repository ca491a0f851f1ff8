/**
 * Plain-language reading of a personalization lift (win-rate points, personalized minus generic
 * answers, with a 95% interval): "helps" or "hurts" only when the interval excludes zero.
 */
export type TLiftVerdict = "helps" | "hurts" | "no detectable difference";

export function liftVerdict(lower: number | null, upper: number | null): TLiftVerdict {
  if (lower !== null && lower > 0) return "helps";
  if (upper !== null && upper < 0) return "hurts";
  return "no detectable difference";
}

const points = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(value * 100).toFixed(1)}`;

/** "+4.2 points (−1.0 to +9.3)"; the interval is left out when there is none. */
export function formatLift(lift: number, lower: number | null, upper: number | null): string {
  const interval = lower !== null && upper !== null ? ` (${points(lower)} to ${points(upper)})` : "";
  return `${points(lift)} points${interval}`;
}
