import { describe, expect, it } from "vitest";
import {
  isVoteOutcome,
  outcomeFromFastChatVoteType,
  outcomeFromFastChatWinner,
  outcomeToFastChatVoteType,
  outcomeToFastChatWinner,
  winningSide,
} from "@/lib/domain/battle/outcomes";
import { VOTE_OUTCOMES } from "@/lib/domain/vocabulary";

describe("FastChat vote types", () => {
  it("maps outcomes to vote types", () => {
    expect(VOTE_OUTCOMES.map(outcomeToFastChatVoteType)).toEqual(["leftvote", "rightvote", "tievote", "bothbad_vote"]);
  });

  it("maps vote types back to outcomes", () => {
    expect(outcomeFromFastChatVoteType("leftvote")).toBe("model_a");
    expect(outcomeFromFastChatVoteType("rightvote")).toBe("model_b");
    expect(outcomeFromFastChatVoteType("tievote")).toBe("tie");
    expect(outcomeFromFastChatVoteType("bothbad_vote")).toBe("both_bad");
  });

  it("returns null for other events", () => {
    expect(outcomeFromFastChatVoteType("upvote")).toBeNull();
    expect(outcomeFromFastChatVoteType("LEFTVOTE")).toBeNull();
  });

  it("round-trips every outcome", () => {
    for (const outcome of VOTE_OUTCOMES) expect(outcomeFromFastChatVoteType(outcomeToFastChatVoteType(outcome))).toBe(outcome);
  });
});

describe("FastChat winners", () => {
  it("writes both_bad as 'tie (bothbad)'", () => {
    expect(VOTE_OUTCOMES.map(outcomeToFastChatWinner)).toEqual(["model_a", "model_b", "tie", "tie (bothbad)"]);
  });

  it("reads both the 'tie (bothbad)' and the 140k 'both_bad' spelling", () => {
    expect(outcomeFromFastChatWinner("tie (bothbad)")).toBe("both_bad");
    expect(outcomeFromFastChatWinner("both_bad")).toBe("both_bad");
  });

  it("reads plain winners and rejects unknown ones", () => {
    expect(outcomeFromFastChatWinner("model_a")).toBe("model_a");
    expect(outcomeFromFastChatWinner("tie")).toBe("tie");
    expect(outcomeFromFastChatWinner("draw")).toBeNull();
  });

  it("round-trips every outcome", () => {
    for (const outcome of VOTE_OUTCOMES) expect(outcomeFromFastChatWinner(outcomeToFastChatWinner(outcome))).toBe(outcome);
  });
});

describe("isVoteOutcome", () => {
  it("accepts the four outcomes only", () => {
    expect(VOTE_OUTCOMES.every(isVoteOutcome)).toBe(true);
    expect(isVoteOutcome("leftvote")).toBe(false);
    expect(isVoteOutcome(undefined)).toBe(false);
  });
});

describe("winningSide", () => {
  it("names the side of a decisive vote and null otherwise", () => {
    expect(winningSide("model_a")).toBe("left");
    expect(winningSide("model_b")).toBe("right");
    expect(winningSide("tie")).toBeNull();
    expect(winningSide("both_bad")).toBeNull();
  });
});
