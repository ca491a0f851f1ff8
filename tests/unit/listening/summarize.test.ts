import { describe, expect, it } from "vitest";

import { hasListenedEnough, summarizeListening, type ListenEvent } from "@/lib/domain/listening";

const play = (mediaTime: number, at: number): ListenEvent => ({ type: "play", mediaTime, at });
const pause = (mediaTime: number, at: number): ListenEvent => ({ type: "pause", mediaTime, at });
const tick = (mediaTime: number, at: number): ListenEvent => ({ type: "tick", mediaTime, at });
const seek = (mediaTime: number, at: number): ListenEvent => ({ type: "seek", mediaTime, at });
const ended = (mediaTime: number, at: number): ListenEvent => ({ type: "ended", mediaTime, at });

/** Ticks every 250 ms of continuous playback from `fromMedia` at wall `fromAt`, for `seconds`. */
function playedTicks(fromMedia: number, fromAt: number, seconds: number): ListenEvent[] {
  const events: ListenEvent[] = [];
  for (let elapsed = 0.25; elapsed <= seconds + 1e-9; elapsed += 0.25) events.push(tick(fromMedia + elapsed, fromAt + elapsed * 1000));
  return events;
}

describe("summarizeListening: continuous playback", () => {
  it("reports nothing for no events", () => {
    expect(summarizeListening([])).toEqual({ seconds: 0, plays: 0, seeks: 0, completed: false });
  });

  it("counts a play followed by a pause", () => {
    expect(summarizeListening([play(0, 1000), pause(3, 4000)]).seconds).toBe(3);
  });

  it("counts a play followed by ticks without a pause (still playing)", () => {
    expect(summarizeListening([play(0, 0), ...playedTicks(0, 0, 2)]).seconds).toBe(2);
  });

  it("counts a play that runs to the end, with pause before ended as browsers send it", () => {
    const summary = summarizeListening([play(0, 0), ...playedTicks(0, 0, 4.75), pause(5, 5000), ended(5, 5000)]);
    expect(summary).toEqual({ seconds: 5, plays: 1, seeks: 0, completed: true });
  });

  it("adds separate play-pause stretches", () => {
    expect(summarizeListening([play(0, 0), pause(1, 1000), play(1, 5000), pause(3, 7000)]).seconds).toBe(3);
  });

  it("counts a replay of the same passage again", () => {
    expect(summarizeListening([play(0, 0), pause(2, 2000), seek(0, 2500), play(0, 3000), pause(2, 5000)]).seconds).toBe(4);
  });

  it("counts plays only when playback starts from a paused state", () => {
    expect(summarizeListening([play(0, 0), play(0.5, 500), pause(1, 1000), play(1, 2000)]).plays).toBe(2);
  });

  it("treats a repeated play while playing as a progress report", () => {
    expect(summarizeListening([play(0, 0), play(1, 1000), pause(2, 2000)]).seconds).toBe(2);
  });
});

describe("summarizeListening: seeking", () => {
  it("does not count a forward seek as listening", () => {
    const events = [play(0, 0), tick(1, 1000), seek(20, 1100), tick(20.5, 1600), pause(21, 2100)];
    expect(summarizeListening(events)).toMatchObject({ seconds: 2, seeks: 1 });
  });

  it("does not count seeking while paused", () => {
    expect(summarizeListening([seek(10, 0), seek(25, 100), pause(25, 200)]).seconds).toBe(0);
  });

  it("does not credit the unobserved stretch just before a seek", () => {
    expect(summarizeListening([play(0, 0), seek(10, 800), pause(10.1, 900)]).seconds).toBe(0.1);
  });

  it("cannot be unlocked by repeatedly seeking forward while playing", () => {
    const events: ListenEvent[] = [play(0, 0)];
    for (let index = 1; index <= 20; index++) events.push(seek(index, index * 10));
    events.push(pause(20, 210));
    expect(summarizeListening(events).seconds).toBe(0);
  });

  it("counts a backward seek as new listening from the target", () => {
    const events = [play(0, 0), tick(3, 3000), seek(1, 3100), tick(2, 4100)];
    expect(summarizeListening(events).seconds).toBe(4);
  });

  it("counts an unreported jump ahead only as the wall time that passed", () => {
    expect(summarizeListening([play(0, 0), tick(25, 500)]).seconds).toBe(0.5);
  });

  it("counts a stall only as the media that moved", () => {
    expect(summarizeListening([play(0, 0), tick(0.2, 3000), tick(1.2, 4000)]).seconds).toBe(1.2);
  });

  it("counts nothing for media moving backwards without a seek", () => {
    expect(summarizeListening([play(5, 0), tick(2, 1000)]).seconds).toBe(0);
  });
});

describe("summarizeListening: untidy input", () => {
  it("orders events by wall clock", () => {
    expect(summarizeListening([pause(3, 3000), tick(1, 1000), play(0, 0)]).seconds).toBe(3);
  });

  it("keeps recording order for events at the same instant", () => {
    expect(summarizeListening([play(0, 0), pause(2, 2000), play(2, 2000), pause(3, 3000)]).seconds).toBe(3);
  });

  it("ignores exact duplicates", () => {
    expect(summarizeListening([play(0, 0), play(0, 0), tick(1, 1000), tick(1, 1000), pause(2, 2000), pause(2, 2000)])).toMatchObject({
      seconds: 2,
      plays: 1,
    });
  });

  it("ignores events with unknown types", () => {
    expect(summarizeListening([play(0, 0), { type: "stop", mediaTime: 1, at: 1000 }, pause(2, 2000)]).seconds).toBe(2);
  });

  it.each([
    ["NaN media time", { type: "tick", mediaTime: Number.NaN, at: 1000 }],
    ["infinite media time", { type: "tick", mediaTime: Number.POSITIVE_INFINITY, at: 1000 }],
    ["negative media time", { type: "tick", mediaTime: -4, at: 1000 }],
    ["negative clock", { type: "tick", mediaTime: 1, at: -1 }],
    ["string numbers", { type: "tick", mediaTime: "1", at: "1000" }],
    ["null", null],
    ["a number", 42],
    ["an array", [1, 2]],
  ])("ignores an entry with %s", (_label, garbage) => {
    expect(summarizeListening([play(0, 0), garbage, pause(2, 2000)]).seconds).toBe(2);
  });

  it("ignores pauses, ticks and ends while not playing", () => {
    expect(summarizeListening([pause(3, 3000), tick(4, 4000), ended(5, 5000)]).seconds).toBe(0);
  });

  it("counts nothing for a play that is never followed by another observation", () => {
    expect(summarizeListening([play(0, 0)])).toMatchObject({ seconds: 0, plays: 1 });
  });
});

describe("summarizeListening: duration cap and rounding", () => {
  it("caps the total at the clip duration", () => {
    const events = [play(0, 0), pause(5, 5000), seek(0, 5100), play(0, 5200), pause(5, 10_200)];
    expect(summarizeListening(events, { durationSeconds: 5 }).seconds).toBe(5);
  });

  it("does not cap without a duration", () => {
    const events = [play(0, 0), pause(5, 5000), seek(0, 5100), play(0, 5200), pause(5, 10_200)];
    expect(summarizeListening(events).seconds).toBe(10);
  });

  it("ignores a null or non-finite duration", () => {
    expect(summarizeListening([play(0, 0), pause(3, 3000)], { durationSeconds: null }).seconds).toBe(3);
    expect(summarizeListening([play(0, 0), pause(3, 3000)], { durationSeconds: Number.NaN }).seconds).toBe(3);
  });

  it("rounds to milliseconds", () => {
    expect(summarizeListening([play(0, 0), pause(1.23456, 2000)]).seconds).toBe(1.235);
  });

  it("uses epoch clocks as well as page clocks", () => {
    const start = 1_760_000_000_000;
    expect(summarizeListening([play(0, start), pause(2.5, start + 2500)]).seconds).toBe(2.5);
  });
});

describe("summarizeListening: completion", () => {
  it("is not completed without an ended event", () => {
    expect(summarizeListening([play(0, 0), pause(5, 5000)]).completed).toBe(false);
  });

  it("is completed by an ended event even after the pause browsers send first", () => {
    expect(summarizeListening([play(0, 0), pause(5, 5000), ended(5, 5001)]).completed).toBe(true);
  });

  it("counts the last stretch when ended arrives while playing", () => {
    expect(summarizeListening([play(0, 0), ended(4, 4000)])).toMatchObject({ seconds: 4, completed: true });
  });
});

describe("hasListenedEnough", () => {
  it("is true at exactly the minimum", () => {
    expect(hasListenedEnough(5, 5)).toBe(true);
  });

  it("is false just below the minimum", () => {
    expect(hasListenedEnough(4.99, 5)).toBe(false);
  });

  it("absorbs millisecond rounding", () => {
    expect(hasListenedEnough(1.9996, 2)).toBe(true);
  });

  it("is always true for a minimum of zero or less", () => {
    expect(hasListenedEnough(0, 0)).toBe(true);
    expect(hasListenedEnough(0, -1)).toBe(true);
  });

  it("is false for a non-finite listening time", () => {
    expect(hasListenedEnough(Number.NaN, 1)).toBe(false);
  });
});
