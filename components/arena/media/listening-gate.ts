import { hasListenedEnough } from "@/lib/domain/listening";

/** Audio votes unlock only when BOTH clips were heard for at least `minSeconds` (seeking does not count). */
export function canVoteOnAudio(secondsA: number, secondsB: number, minSeconds: number): boolean {
  return hasListenedEnough(secondsA, minSeconds) && hasListenedEnough(secondsB, minSeconds);
}

/** Rounds down, so the label never claims the minimum before the gate opens. */
const formatSeconds = (seconds: number) => (Math.floor(Math.max(0, seconds) * 10) / 10).toFixed(1).replace(/\.0$/, "");

/** "Listened 3.2 s of 5 s needed", or "Listened 6 s" once the minimum is reached. */
export function describeListeningProgress(seconds: number, minSeconds: number): string {
  if (hasListenedEnough(seconds, minSeconds)) return `Listened ${formatSeconds(seconds)} s`;
  return `Listened ${formatSeconds(seconds)} s of ${formatSeconds(minSeconds)} s needed`;
}
