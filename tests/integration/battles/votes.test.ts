import { beforeEach, describe, expect, it } from "vitest";

import { env } from "@/lib/env";
import { setupFakeProviderServer } from "../providers/text-test-support";
import { collectRound, db, expectTrpcError, finishedBattle, newAnnotator, freshModelPair, sideOf, registerTextModels } from "./battle-test-support";

const fake = setupFakeProviderServer();

describe("votes", () => {
  beforeEach(() => freshModelPair(fake().url, "anthropic"));

  it("requires consent to the current terms, then records the vote and reveals the models", async () => {
    const { user, caller } = await newAnnotator();
    const view = await finishedBattle(caller);
    const refused = await expectTrpcError(caller.battle.vote({ battleId: view.id, outcome: "model_a" }), "FORBIDDEN");
    expect(refused.message).toContain(`version ${env.TERMS_VERSION}`);
    expect(await db.vote.count()).toBe(0);

    const consent = await caller.consent.accept({ termsVersion: env.TERMS_VERSION });
    expect(consent).toMatchObject({ current: true, termsVersion: env.TERMS_VERSION, license: env.RELEASE_LICENSE });
    expect(await db.consentRecord.findFirst({ where: { userId: user.id } })).toMatchObject({ termsVersion: env.TERMS_VERSION, license: env.RELEASE_LICENSE });

    const result = await caller.battle.vote({
      battleId: view.id,
      outcome: "model_a",
      feedback: { general: "  Both were fine  ", a: "Clearer", b: "" },
    });
    expect(result).toMatchObject({ outcome: "model_a", countsForRating: true, invalidReasons: [] });
    const battle = await db.battle.findUniqueOrThrow({ where: { id: view.id }, include: { modelA: true, modelB: true } });
    expect(result.models.a.displayName).toBe(battle.modelA.displayName);
    expect(result.models.b.organizationName).toMatch(/^Org org-/);
    expect(battle.status).toBe("voted");
    expect(battle.revealedAt).not.toBeNull();

    const vote = await db.vote.findUniqueOrThrow({ where: { battleId: view.id } });
    expect(vote).toMatchObject({ feedbackGeneral: "Both were fine", feedbackA: "Clearer", feedbackB: null, modality: "text", modelAId: battle.modelAId, modelBId: battle.modelBId });
    expect(vote.secondsToVote).toBeGreaterThanOrEqual(0);
    const revealedView = await caller.battle.get({ battleId: view.id });
    expect(revealedView.models?.a.slug).toBe(battle.modelA.slug);
    expect(revealedView.vote).toMatchObject({ outcome: "model_a", countsForRating: true });
    // The vote's answer carries the battle exactly as a read after the vote gives it (the page shows it as is).
    expect(result.battle).toEqual(revealedView);
    expect(result.battle).toMatchObject({ status: "voted", revealed: true, generating: false });
  });

  it("refuses terms the user was not shown", async () => {
    const { caller } = await newAnnotator();
    const error = await expectTrpcError(caller.consent.accept({ termsVersion: "1999-01" }), "CONFLICT");
    expect(error.message).toContain("terms changed");
    expect(await db.consentRecord.count()).toBe(0);
  });

  it("hides the model names until the vote", async () => {
    const { caller } = await newAnnotator({ consent: true });
    const view = await finishedBattle(caller);
    const before = await caller.battle.get({ battleId: view.id });
    expect(before.models).toBeNull();
    expect(JSON.stringify(before)).not.toContain("left-model");
    expect(JSON.stringify(before)).not.toContain("right-model");
  });

  it("returns the same vote for a repeated submit", async () => {
    const { caller } = await newAnnotator({ consent: true });
    const view = await finishedBattle(caller);
    const first = await caller.battle.vote({ battleId: view.id, outcome: "tie" });
    const second = await caller.battle.vote({ battleId: view.id, outcome: "model_b" });
    expect(second.voteId).toBe(first.voteId);
    expect(second.outcome).toBe("tie");
    expect(second.battle).toEqual(first.battle);
    expect(second.battle.vote?.outcome).toBe("tie");
    expect(await db.vote.count({ where: { battleId: view.id } })).toBe(1);
  });

  it("keeps exactly one vote when two submits race", async () => {
    const { caller } = await newAnnotator({ consent: true });
    const view = await finishedBattle(caller);
    const [one, two] = await Promise.all([
      caller.battle.vote({ battleId: view.id, outcome: "model_a" }),
      caller.battle.vote({ battleId: view.id, outcome: "model_b" }),
    ]);
    expect(one.voteId).toBe(two.voteId);
    expect(one.outcome).toBe(two.outcome);
    // The submit that lost the race answers with the battle as stored with the winner's vote.
    expect(one.battle).toEqual(two.battle);
    expect(one.battle).toMatchObject({ status: "voted", vote: { outcome: one.outcome } });
    expect(await db.vote.count({ where: { battleId: view.id } })).toBe(1);
  });

  it("refuses a vote before both answers finished", async () => {
    await registerTextModels(fake().url, [
      { slug: "held-back", behaviour: "fake-gated" },
      { slug: "right-model", behaviour: "fake-ok" },
    ]);
    const { caller } = await newAnnotator({ consent: true });
    const view = await caller.battle.create({ prompt: "Slow question", personalized: false });
    await fake().gateReached();
    const error = await expectTrpcError(caller.battle.vote({ battleId: view.id, outcome: "model_a" }), "CONFLICT");
    expect(error.message).toContain("wait until both answers have finished");
    fake().releaseGate();
    await collectRound(view.id);
    expect(await db.vote.count()).toBe(0);
    await expect(caller.battle.vote({ battleId: view.id, outcome: "model_a" })).resolves.toMatchObject({ countsForRating: true });
  });

  it("refuses a vote while a side has failed and points to the retry", async () => {
    await registerTextModels(fake().url, [
      { slug: "left-model", behaviour: "fake-ok" },
      { slug: "failing-model", behaviour: "fake-500" },
    ]);
    const { caller } = await newAnnotator({ consent: true });
    const view = await finishedBattle(caller);
    const error = await expectTrpcError(caller.battle.vote({ battleId: view.id, outcome: "model_a" }), "CONFLICT");
    expect(error.message).toContain("Retry that side");
    expect(await db.vote.count()).toBe(0);
  });

  it("stores a vote after 'skip and reveal' without counting it", async () => {
    const { caller } = await newAnnotator({ consent: true });
    const view = await finishedBattle(caller);
    const revealed = await caller.battle.reveal({ battleId: view.id });
    expect(revealed.models).not.toBeNull();
    const result = await caller.battle.vote({ battleId: view.id, outcome: "model_b" });
    expect(result).toMatchObject({ countsForRating: false, invalidReasons: ["post_reveal"] });
    expect(await db.vote.findUniqueOrThrow({ where: { battleId: view.id } })).toMatchObject({ countsForRating: false, invalidReasons: "post_reveal" });
  });

  it("stores a vote on answers that leak an identity without counting it", async () => {
    await registerTextModels(fake().url, [
      { slug: "leaky-model", behaviour: "fake-leak" },
      { slug: "right-model", behaviour: "fake-ok" },
    ]);
    const { caller } = await newAnnotator({ consent: true });
    const view = await finishedBattle(caller);
    const leakySide = await sideOf(view.id, "leaky-model");
    const battle = await caller.battle.get({ battleId: view.id });
    expect(battle.turns[0].sides[leakySide].text).toContain("Anthropic");
    const result = await caller.battle.vote({ battleId: view.id, outcome: leakySide === "a" ? "model_a" : "model_b" });
    expect(result).toMatchObject({ countsForRating: false, invalidReasons: ["identity_leak"] });
  });

  it("covers the whole conversation: a vote after a follow-up counts once", async () => {
    const { caller } = await newAnnotator({ consent: true });
    const view = await finishedBattle(caller);
    await caller.battle.continue({ battleId: view.id, prompt: "And which is friendlier?" });
    await collectRound(view.id);
    const result = await caller.battle.vote({ battleId: view.id, outcome: "both_bad" });
    expect(result.countsForRating).toBe(true);
    await caller.battle.continue({ battleId: view.id, prompt: "Now that I know who you are, anything to add?" });
    await collectRound(view.id);
    const battle = await db.battle.findUniqueOrThrow({ where: { id: view.id }, include: { turns: true } });
    expect(battle.status).toBe("voted");
    expect(battle.turns).toHaveLength(3);
    expect(await db.vote.count({ where: { battleId: view.id } })).toBe(1);
  });

  it("rejects feedback over 2000 characters", async () => {
    const { caller } = await newAnnotator({ consent: true });
    const view = await finishedBattle(caller);
    await expectTrpcError(caller.battle.vote({ battleId: view.id, outcome: "model_a", feedback: { general: "x".repeat(2001) } }), "BAD_REQUEST");
    expect(await db.vote.count()).toBe(0);
  });

  it("does not let anyone else vote on a battle", async () => {
    const owner = await newAnnotator({ consent: true });
    const stranger = await newAnnotator({ consent: true });
    const view = await finishedBattle(owner.caller);
    await expectTrpcError(stranger.caller.battle.vote({ battleId: view.id, outcome: "model_a" }), "NOT_FOUND");
  });
});
