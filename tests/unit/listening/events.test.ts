import { describe, expect, it } from "vitest";

import { MAX_LISTEN_EVENTS_PER_SIDE, ZListenEventSchema, ZListenEventsSchema, ZListeningBySideSchema } from "@/lib/domain/listening";

describe("ZListenEventSchema", () => {
  it.each(["play", "pause", "seek", "ended", "tick"])("accepts a %s event", (type) => {
    expect(ZListenEventSchema.safeParse({ type, mediaTime: 1.5, at: 1234.5 }).success).toBe(true);
  });

  it("rejects an unknown type", () => {
    expect(ZListenEventSchema.safeParse({ type: "stop", mediaTime: 1, at: 1 }).success).toBe(false);
  });

  it("rejects a negative media time", () => {
    expect(ZListenEventSchema.safeParse({ type: "tick", mediaTime: -1, at: 1 }).success).toBe(false);
  });

  it("rejects a media time over a day", () => {
    expect(ZListenEventSchema.safeParse({ type: "tick", mediaTime: 86_401, at: 1 }).success).toBe(false);
  });

  it("rejects infinite and NaN numbers", () => {
    expect(ZListenEventSchema.safeParse({ type: "tick", mediaTime: Number.POSITIVE_INFINITY, at: 1 }).success).toBe(false);
    expect(ZListenEventSchema.safeParse({ type: "tick", mediaTime: 1, at: Number.NaN }).success).toBe(false);
  });

  it("rejects extra fields", () => {
    expect(ZListenEventSchema.safeParse({ type: "tick", mediaTime: 1, at: 1, note: "x" }).success).toBe(false);
  });
});

describe("ZListenEventsSchema", () => {
  const event = { type: "tick" as const, mediaTime: 1, at: 1 };

  it(`accepts ${MAX_LISTEN_EVENTS_PER_SIDE} events`, () => {
    expect(ZListenEventsSchema.safeParse(Array.from({ length: MAX_LISTEN_EVENTS_PER_SIDE }, () => event)).success).toBe(true);
  });

  it("rejects one event more than the limit", () => {
    expect(ZListenEventsSchema.safeParse(Array.from({ length: MAX_LISTEN_EVENTS_PER_SIDE + 1 }, () => event)).success).toBe(false);
  });
});

describe("ZListeningBySideSchema", () => {
  it("accepts both sides", () => {
    expect(ZListeningBySideSchema.safeParse({ a: [], b: [{ type: "play", mediaTime: 0, at: 0 }] }).success).toBe(true);
  });

  it("requires both sides", () => {
    expect(ZListeningBySideSchema.safeParse({ a: [] }).success).toBe(false);
  });
});
