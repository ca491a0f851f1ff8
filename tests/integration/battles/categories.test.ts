import { beforeEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // Every personalized battle of this file is a personalization experiment.
  process.env.PERSONALIZATION_EXPERIMENT_SHARE = "1";
});

import { env } from "@/lib/env";
import { promptHash, storedCategories } from "@/lib/domain/categories";
import { categorizePendingBattles } from "@/lib/server/services/categorize-battles";
import { getLift } from "@/lib/server/leaderboards/lift";
import { getLeaderboard } from "@/lib/server/leaderboards/read";
import { computeAndStoreLeaderboards } from "@/lib/server/leaderboards/recompute";
import { GET as leaderboardRoute } from "@/app/api/v1/leaderboard/route";
import { resetDatabase } from "../helpers/db";
import { setupFakeProviderServer } from "../providers/text-test-support";
import { collectRound, db, newAnnotator, sideOf, registerTextModels } from "./battle-test-support";

const fake = setupFakeProviderServer();
type RecordedBody = { model: string; system?: string; messages: Array<{ role: string; content: unknown }> };
const bodiesFor = (behaviour: string) => fake().requests.filter((request) => (request.body as RecordedBody | null)?.model === behaviour).map((request) => request.body as RecordedBody);

async function annotatorWithConsent() {
  const annotator = await newAnnotator({ consent: true });
  await annotator.caller.persona.save({ expertise: "medicine", responseStyle: "concise" });
  return annotator;
}

describe("prompt categories and the personalization experiment", () => {
  beforeEach(async () => {
    await resetDatabase(db);
    await registerTextModels(fake().url, [
      { slug: "cat-left", behaviour: "fake-ok", organization: "org-left" },
      { slug: "cat-right", behaviour: "fake-slow", kind: "anthropic", organization: "org-right" },
    ]);
  });

  it("tags a voted coding battle as coding, with its language and prompt hash", async () => {
    const { caller } = await annotatorWithConsent();
    const prompt = "Write a Python function that removes duplicates from a list while keeping the order.";
    const view = await caller.battle.create({ prompt, personalized: false });
    await collectRound(view.id);
    expect((await db.battle.findUniqueOrThrow({ where: { id: view.id } })).promptHash).toBe(promptHash(prompt));

    // Not tagged before the vote.
    expect(await categorizePendingBattles(db)).toBe(0);
    await caller.battle.vote({ battleId: view.id, outcome: "model_a" });
    // Tagged by the background tagger shortly after the vote, or here, whichever comes first.
    await categorizePendingBattles(db);
    const battle = await db.battle.findUniqueOrThrow({ where: { id: view.id } });
    expect(storedCategories(battle.categories)).toEqual(["coding"]);
    expect(battle.language).toBe("en");
    expect(battle.categorizedBy).toBe("rules-v1");
    // Tagging is idempotent: nothing left to tag.
    expect(await categorizePendingBattles(db)).toBe(0);
  });

  it("tags a follow-up conversation multi-turn and a general question with no category", async () => {
    const { caller } = await annotatorWithConsent();
    const chat = await caller.battle.create({ prompt: "Was ist die Hauptstadt von Österreich?", personalized: false });
    await collectRound(chat.id);
    await caller.battle.continue({ battleId: chat.id, prompt: "Und wie viele Menschen leben dort?" });
    await collectRound(chat.id);
    await caller.battle.vote({ battleId: chat.id, outcome: "tie" });
    await categorizePendingBattles(db);
    const battle = await db.battle.findUniqueOrThrow({ where: { id: chat.id } });
    expect(storedCategories(battle.categories)).toEqual(["multi_turn"]);
    expect(battle.language).toBe("de");
  });

  it("personalizes exactly one side of an experiment battle and records which", async () => {
    expect(env.PERSONALIZATION_EXPERIMENT_SHARE).toBe(1);
    const { caller } = await annotatorWithConsent();
    const view = await caller.battle.create({ prompt: "How do vaccines work?", personalized: true });
    await collectRound(view.id);
    const battle = await db.battle.findUniqueOrThrow({ where: { id: view.id }, include: { turns: true } });
    expect(battle.personalized).toBe(true);
    expect(battle.personalizedA).not.toBe(battle.personalizedB);
    const personalizedSide = battle.personalizedA ? "a" : "b";

    const openai = bodiesFor("fake-ok")[0];
    const anthropic = bodiesFor("fake-slow")[0];
    const openaiSide = await sideOf(view.id, "cat-left");
    const openaiSawPersona = openai.messages[0]?.role === "system";
    const anthropicSawPersona = typeof anthropic.system === "string" || Array.isArray(anthropic.system);
    expect(openaiSawPersona).toBe(openaiSide === personalizedSide);
    expect(anthropicSawPersona).toBe(openaiSide !== personalizedSide);
    expect(battle.turns[0].systemPrompt).toContain("Medicine");

    // A follow-up keeps the same side generic.
    await caller.battle.continue({ battleId: view.id, prompt: "And boosters?" });
    await collectRound(view.id);
    const followUps = [...bodiesFor("fake-ok"), ...bodiesFor("fake-slow")].slice(-2);
    expect(followUps).toHaveLength(2);
    const sawPersona = [bodiesFor("fake-ok")[1].messages[0]?.role === "system", bodiesFor("fake-slow")[1].system !== undefined];
    expect(sawPersona.filter(Boolean)).toHaveLength(1);
  });

  it("keeps both sides generic when personalization is off", async () => {
    const { caller } = await annotatorWithConsent();
    const view = await caller.battle.create({ prompt: "Plan a weekend trip", personalized: false });
    await collectRound(view.id);
    const battle = await db.battle.findUniqueOrThrow({ where: { id: view.id } });
    expect([battle.personalizedA, battle.personalizedB]).toEqual([false, false]);
  });

  it("moves the coding board and measures the lift from experiment votes", { timeout: 180_000 }, async () => {
    await registerTextModels(fake().url, [
      { slug: "cat-left", behaviour: "fake-ok", organization: "org-left" },
      { slug: "cat-right", behaviour: "fake-ok", kind: "anthropic", organization: "org-right" },
    ]);
    const annotators = [await annotatorWithConsent(), await annotatorWithConsent()];
    const coding = ["sort a list", "reverse a string", "parse JSON", "read a CSV file", "merge two dicts", "count words", "flatten a list", "debounce a function", "validate an email regex", "fetch a URL", "zip two lists", "find duplicates"];
    for (const [index, task] of coding.entries()) {
      const { caller } = annotators[index % 2];
      const view = await caller.battle.create({ prompt: `Write a Python function to ${task}.`, personalized: true });
      await collectRound(view.id);
      await caller.battle.vote({ battleId: view.id, outcome: index % 3 === 0 ? "model_b" : "model_a" });
    }
    const general = await annotators[0].caller.battle.create({ prompt: "What is the capital of Chile?", personalized: true });
    await collectRound(general.id);
    await annotators[0].caller.battle.vote({ battleId: general.id, outcome: "tie" });

    await computeAndStoreLeaderboards(db, { rebuild: true });
    const overall = await getLeaderboard(db, "text");
    expect(overall.data?.voteCount).toBe(13);
    expect(overall.categories.map((category) => category.variant)).toEqual(["category:coding"]);
    const board = await getLeaderboard(db, "text", "category:coding");
    expect(board.data?.voteCount).toBe(12);
    expect(board.data?.rows.map((row) => row.slug).sort()).toEqual(["cat-left", "cat-right"]);

    const response = await leaderboardRoute(new Request("http://arena.test/api/v1/leaderboard?modality=text&variant=category:coding&format=csv"));
    expect(response.status).toBe(200);
    const csv = await response.text();
    expect(csv.split("\n")[0]).toContain("rating");
    expect(csv).toContain("cat-left");

    const lift = await getLift(db, "text");
    expect(lift?.experimentVotes).toBe(13);
    expect(lift?.models.map((row) => row.experimentBattles)).toEqual([13, 13]);
    for (const row of lift!.models) {
      expect(row.lower!).toBeLessThanOrEqual(row.lift!);
      expect(row.upper!).toBeGreaterThanOrEqual(row.lift!);
    }
  });
});
