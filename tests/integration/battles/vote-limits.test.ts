import { beforeEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // Small limits, so a few votes reach them: both are read with one store statement per vote.
  process.env.DAILY_VOTE_CAP = "2";
  process.env.DUPLICATE_PROMPT_THRESHOLD = "1";
});

import { setupFakeProviderServer } from "../providers/text-test-support";
import { db, expectTrpcError, finishedBattle, newAnnotator, freshModelPair } from "./battle-test-support";

const fake = setupFakeProviderServer();

describe("the limits a vote is checked against", () => {
  beforeEach(() => freshModelPair(fake().url, "anthropic"));

  it("stores a vote on a prompt past DUPLICATE_PROMPT_THRESHOLD counted votes without counting it", async () => {
    const first = await newAnnotator({ consent: true });
    const second = await newAnnotator({ consent: true });
    const counted = await first.caller.battle.vote({ battleId: (await finishedBattle(first.caller, "What is a prime number?")).id, outcome: "model_a" });
    expect(counted).toMatchObject({ countsForRating: true, invalidReasons: [] });
    const repeated = await second.caller.battle.vote({ battleId: (await finishedBattle(second.caller, "what is a  prime number?")).id, outcome: "model_b" });
    expect(repeated).toMatchObject({ countsForRating: false, invalidReasons: ["duplicate_prompt"] });
    const other = await second.caller.battle.vote({ battleId: (await finishedBattle(second.caller, "Name three rivers")).id, outcome: "tie" });
    expect(other).toMatchObject({ countsForRating: true, invalidReasons: [] });
  });

  it("refuses a user's vote past DAILY_VOTE_CAP today, and stores nothing for it", async () => {
    const { user, caller } = await newAnnotator({ consent: true });
    for (const prompt of ["First question", "Second question"]) await caller.battle.vote({ battleId: (await finishedBattle(caller, prompt)).id, outcome: "tie" });
    const third = await finishedBattle(caller, "Third question");
    const error = await expectTrpcError(caller.battle.vote({ battleId: third.id, outcome: "tie" }), "TOO_MANY_REQUESTS");
    expect(error.message).toMatch(/today's limit of 2 votes/);
    expect(await db.vote.count({ where: { userId: user.id } })).toBe(2);
    // Another user's votes are theirs: the cap is per user.
    const other = await newAnnotator({ consent: true });
    await expect(other.caller.battle.vote({ battleId: (await finishedBattle(other.caller, "Fourth question")).id, outcome: "tie" })).resolves.toMatchObject({ countsForRating: true });
  });
});
