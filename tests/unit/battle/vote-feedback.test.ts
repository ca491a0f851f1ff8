import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { givenFeedback } from "@/lib/domain/battle/vote-feedback";
import { serialize } from "@/lib/trpc/transformer";

describe("the vote's feedback", () => {
  it("keeps the fields with text and leaves the empty ones out", () => {
    expect(givenFeedback({ general: "", a: "", b: "" })).toEqual({});
    const given = givenFeedback({ general: "fine", a: "", b: " " });
    expect(given).toEqual({ general: "fine", b: " " });
    expect("a" in given).toBe(false);
  });

  it("makes a vote input the wire sends as plain JSON, as superjson would, with nothing to annotate", () => {
    for (const fields of [
      { general: "", a: "", b: "" },
      { general: "both fine", a: "", b: "clearer" },
    ]) {
      const input = { battleId: "battle-1", outcome: "model_a", feedback: givenFeedback(fields) };
      const wire = serialize(input);
      expect(wire.meta).toBeUndefined();
      expect(JSON.stringify(wire)).toBe(JSON.stringify(superjson.serialize(input)));
    }
    // What the arena sent before: its undefined fields needed superjson's annotations.
    expect(serialize({ battleId: "battle-1", outcome: "model_a", feedback: { general: undefined, a: undefined, b: undefined } }).meta).toBeDefined();
  });
});
