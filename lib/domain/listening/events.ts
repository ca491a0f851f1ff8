import { z } from "zod";

/**
 * One thing that happened to an audio player, as recorded by the browser.
 * `mediaTime`: the player's position in seconds when it happened (for `seek`, the position AFTER the seek).
 * `at`: wall clock in milliseconds (since page load or since the epoch; one clock per side).
 * `tick`: a periodic progress report while playing (the player's timeupdate).
 */
export type ListenEventType = "play" | "pause" | "seek" | "ended" | "tick";

export interface ListenEvent {
  type: ListenEventType;
  mediaTime: number;
  at: number;
}

/** A browser cannot send more than this many events per side with a vote. */
export const MAX_LISTEN_EVENTS_PER_SIDE = 2000;

/** Longest clip position we accept (1 day); anything larger is garbage. */
const MAX_MEDIA_TIME_SECONDS = 86_400;

export const ZListenEventSchema = z.strictObject({
  type: z.enum(["play", "pause", "seek", "ended", "tick"]),
  mediaTime: z.number().min(0).max(MAX_MEDIA_TIME_SECONDS),
  at: z.number().min(0),
});

export const ZListenEventsSchema = z.array(ZListenEventSchema).max(MAX_LISTEN_EVENTS_PER_SIDE);

/** What an audio vote carries: the events of each side, stored as is on the vote. */
export const ZListeningBySideSchema = z.strictObject({ a: ZListenEventsSchema, b: ZListenEventsSchema });

export type TListeningBySide = z.infer<typeof ZListeningBySideSchema>;
