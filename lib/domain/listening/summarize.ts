import type { ListenEvent, ListenEventType } from "./events";

export interface ListeningSummary {
  /** Seconds of the clip actually heard (see `summarizeListening`). */
  seconds: number;
  /** Times playback started from a paused or stopped state. */
  plays: number;
  seeks: number;
  /** The player reached the clip's end at least once (an `ended` event). */
  completed: boolean;
}

export interface SummarizeListeningOptions {
  /** Clip length; the listened total never exceeds it. */
  durationSeconds?: number | null;
}

const EVENT_TYPES: ReadonlySet<ListenEventType> = new Set(["play", "pause", "seek", "ended", "tick"]);

function isWellFormed(event: unknown): event is ListenEvent {
  if (typeof event !== "object" || event === null) return false;
  const { type, mediaTime, at } = event as Record<string, unknown>;
  return (
    typeof type === "string" &&
    EVENT_TYPES.has(type as ListenEventType) &&
    typeof mediaTime === "number" &&
    Number.isFinite(mediaTime) &&
    mediaTime >= 0 &&
    typeof at === "number" &&
    Number.isFinite(at) &&
    at >= 0
  );
}

/** Drops malformed entries and exact duplicates, then orders by wall clock (recording order breaks ties). */
function cleanEvents(events: readonly unknown[]): ListenEvent[] {
  const seen = new Set<string>();
  const kept: { event: ListenEvent; index: number }[] = [];
  events.forEach((event, index) => {
    if (!isWellFormed(event)) return;
    const key = `${event.type}|${event.mediaTime}|${event.at}`;
    if (seen.has(key)) return;
    seen.add(key);
    kept.push({ event: { type: event.type, mediaTime: event.mediaTime, at: event.at }, index });
  });
  kept.sort((left, right) => left.event.at - right.event.at || left.index - right.index);
  return kept.map(({ event }) => event);
}

/**
 * Heard time between two consecutive observations of a playing clip: the media time that advanced,
 * but never more than the wall-clock time that passed. A jump ahead without a seek event therefore
 * counts only as the time that really elapsed, a stall (buffering) counts only the media that moved,
 * and a jump backwards counts nothing.
 */
function heardBetween(from: ListenEvent, to: ListenEvent): number {
  const mediaSeconds = to.mediaTime - from.mediaTime;
  const wallSeconds = (to.at - from.at) / 1000;
  return Math.max(0, Math.min(mediaSeconds, wallSeconds));
}

/**
 * Summarizes one player's events into the listening time that gates audio votes.
 *
 * Invariants:
 * - Only stretches between a `play` and the next `pause` / `ended` / `tick` / `seek` count, each as
 *   `heardBetween` (≤ media advance, ≤ wall time). `tick`s split a stretch without ending it.
 * - A `seek` ends the current stretch WITHOUT crediting it (its media time is the target, so what
 *   played since the last observation is unknown) and, if playing, starts a new one at the target:
 *   seeking forward never adds listening time.
 * - Events are de-duplicated and ordered by `at`; malformed entries (unknown type, non-finite or
 *   negative numbers, non-objects) are ignored, so any input yields a summary and never throws.
 * - `pause`/`tick`/`ended` while not playing, and `play` while playing, add nothing (a repeated
 *   `play` acts as a `tick`). `completed` is informational only: it never adds time.
 * - `seconds` is ≥ 0, rounded to milliseconds, and capped by `durationSeconds` when given.
 */
export function summarizeListening(events: readonly unknown[], options: SummarizeListeningOptions = {}): ListeningSummary {
  let seconds = 0;
  let plays = 0;
  let seeks = 0;
  let completed = false;
  /** The last observation of the current stretch, or null while paused. */
  let anchor: ListenEvent | null = null;

  for (const event of cleanEvents(events)) {
    switch (event.type) {
      case "play":
        if (anchor) seconds += heardBetween(anchor, event);
        else plays++;
        anchor = event;
        break;
      case "tick":
        if (!anchor) break;
        seconds += heardBetween(anchor, event);
        anchor = event;
        break;
      case "pause":
      case "ended":
        // Browsers fire `pause` just before `ended`, so `ended` usually arrives while paused.
        if (event.type === "ended") completed = true;
        if (!anchor) break;
        seconds += heardBetween(anchor, event);
        anchor = null;
        break;
      case "seek":
        seeks++;
        if (anchor) anchor = event;
        break;
    }
  }

  const duration = options.durationSeconds;
  if (typeof duration === "number" && Number.isFinite(duration) && duration >= 0) seconds = Math.min(seconds, duration);
  return { seconds: Math.round(seconds * 1000) / 1000, plays, seeks, completed };
}

/**
 * True when a listener heard at least `minSeconds` of the clip. A thousandth of a second of slack
 * absorbs the rounding of `summarizeListening`.
 */
export function hasListenedEnough(seconds: number, minSeconds: number): boolean {
  if (!Number.isFinite(seconds)) return false;
  return seconds + 0.0005 >= Math.max(0, minSeconds);
}
