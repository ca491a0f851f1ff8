import { describe, expect, it } from "vitest";
import { decideVoteValidity, invalidReasonsOf, storedInvalidReasons, type TSideState, type TVoteValidityInput } from "@/lib/domain/battle/vote-validity";

const complete: TSideState = { status: "complete", text: "An answer." };
const submittedAt = new Date("2025-01-01T12:00:00Z");

function input(overrides: Partial<TVoteValidityInput> = {}): TVoteValidityInput {
  return {
    battleStatus: "awaiting_vote",
    sides: [complete, complete],
    revealedAt: null,
    submittedAt,
    leak: { leaked: false },
    ...overrides,
  };
}

describe("decideVoteValidity", () => {
  it("counts a clean vote on two finished answers", () => {
    expect(decideVoteValidity(input())).toEqual({ acceptable: true, countsForRating: true, reasons: [], advice: null });
  });

  it("rejects a vote while a side is streaming and says to wait", () => {
    const result = decideVoteValidity(input({ sides: [complete, { status: "streaming", text: "An ans" }] }));
    expect(result).toEqual({ acceptable: false, countsForRating: false, reasons: ["answers_incomplete"], advice: "wait" });
  });

  it("rejects a vote when the battle itself is still streaming", () => {
    const result = decideVoteValidity(input({ battleStatus: "streaming", sides: [{ status: "streaming", text: "" }, complete] }));
    expect(result.acceptable).toBe(false);
    expect(result.reasons).toEqual(["answers_incomplete"]);
  });

  it.each(["error", "empty", "timeout"] as const)("rejects a vote when a side ended with %s and advises a retry", (status) => {
    const result = decideVoteValidity(input({ sides: [{ status, text: "" }, complete] }));
    expect(result).toEqual({ acceptable: false, countsForRating: false, reasons: ["answer_failed"], advice: "retry" });
  });

  it("treats a complete but blank answer as empty", () => {
    expect(decideVoteValidity(input({ sides: [complete, { status: "complete", text: "  \n" }] })).reasons).toEqual(["answer_failed"]);
  });

  it("prefers retry over waiting when one side failed and the other still streams", () => {
    const result = decideVoteValidity(input({ sides: [{ status: "error", text: "" }, { status: "streaming", text: "x" }] }));
    expect(result.advice).toBe("retry");
  });

  it("rejects a vote with fewer than two sides", () => {
    expect(decideVoteValidity(input({ sides: [complete] })).reasons).toEqual(["answers_incomplete"]);
  });

  it("rejects a second vote on a battle", () => {
    expect(decideVoteValidity(input({ battleStatus: "voted" }))).toMatchObject({ acceptable: false, reasons: ["already_voted"] });
  });

  it("rejects a vote on an abandoned battle", () => {
    expect(decideVoteValidity(input({ battleStatus: "abandoned" }))).toMatchObject({ acceptable: false, reasons: ["battle_closed"] });
  });

  it("stores a vote submitted after the reveal without counting it", () => {
    const result = decideVoteValidity(input({ revealedAt: new Date(submittedAt.getTime() - 1000) }));
    expect(result).toEqual({ acceptable: true, countsForRating: false, reasons: ["post_reveal"], advice: null });
  });

  it("treats a vote at the exact reveal instant as post-reveal", () => {
    expect(decideVoteValidity(input({ revealedAt: submittedAt })).reasons).toEqual(["post_reveal"]);
  });

  it("counts a vote submitted before a later reveal", () => {
    expect(decideVoteValidity(input({ revealedAt: new Date(submittedAt.getTime() + 1000) })).countsForRating).toBe(true);
  });

  it("treats a revealed battle as post-reveal even without a timestamp", () => {
    expect(decideVoteValidity(input({ battleStatus: "revealed" })).reasons).toEqual(["post_reveal"]);
  });

  it("stores a vote on leaked answers without counting it", () => {
    const result = decideVoteValidity(input({ leak: { leaked: true } }));
    expect(result).toEqual({ acceptable: true, countsForRating: false, reasons: ["identity_leak"], advice: null });
  });

  it("lists both exclusion reasons when both apply", () => {
    const result = decideVoteValidity(input({ revealedAt: submittedAt, leak: { leaked: true } }));
    expect(result.reasons).toEqual(["post_reveal", "identity_leak"]);
    expect(result.countsForRating).toBe(false);
  });

  describe("server-clock time gate", () => {
    it("stores a text or image vote sooner than the reading floor without counting it", () => {
      const result = decideVoteValidity(input({ timeGate: { kind: "read", elapsedSeconds: 0.011, requiredSeconds: 2 } }));
      expect(result).toEqual({ acceptable: true, countsForRating: false, reasons: ["too_fast_to_read"], advice: null });
    });

    it("counts a vote at exactly the floor and after it", () => {
      expect(decideVoteValidity(input({ timeGate: { kind: "read", elapsedSeconds: 2, requiredSeconds: 2 } })).countsForRating).toBe(true);
      expect(decideVoteValidity(input({ timeGate: { kind: "listen", elapsedSeconds: 10.5, requiredSeconds: 10 } })).countsForRating).toBe(true);
    });

    it("names the music reason for a listening gate", () => {
      const result = decideVoteValidity(input({ timeGate: { kind: "listen", elapsedSeconds: 0.006, requiredSeconds: 10 } }));
      expect(result.reasons).toEqual(["too_fast_to_listen"]);
      expect(result.countsForRating).toBe(false);
    });

    it("treats a non-finite elapsed time as too fast", () => {
      expect(decideVoteValidity(input({ timeGate: { kind: "read", elapsedSeconds: Number.NaN, requiredSeconds: 1 } })).reasons).toEqual(["too_fast_to_read"]);
    });

    it("lists the time gate with the other exclusion reasons", () => {
      const result = decideVoteValidity(
        input({ revealedAt: new Date(submittedAt.getTime() - 1000), leak: { leaked: true }, timeGate: { kind: "read", elapsedSeconds: 0, requiredSeconds: 2 } }),
      );
      expect(result.reasons).toEqual(["post_reveal", "identity_leak", "too_fast_to_read"]);
    });

    it("never lets a time gate make a rejected vote acceptable", () => {
      const result = decideVoteValidity(input({ sides: [complete, { status: "error", text: "" }], timeGate: { kind: "read", elapsedSeconds: 100, requiredSeconds: 2 } }));
      expect(result.acceptable).toBe(false);
    });
  });
});

describe("stored invalid reasons", () => {
  it("reads back what it stores, none as the empty text", () => {
    expect(storedInvalidReasons(["post_reveal", "identity_leak"])).toBe("post_reveal,identity_leak");
    expect(invalidReasonsOf(storedInvalidReasons(["post_reveal", "identity_leak"]))).toEqual(["post_reveal", "identity_leak"]);
    expect(storedInvalidReasons([])).toBe("");
    expect(invalidReasonsOf("")).toEqual([]);
  });
});
