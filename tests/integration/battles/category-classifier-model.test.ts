import { beforeEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // A registered text model tags the battles instead of the rules.
  process.env.CATEGORY_CLASSIFIER = "model:category-judge";
});

import { storedCategories } from "@/lib/domain/categories";
import { categorizePendingBattles, parseClassifierReply } from "@/lib/server/services/categorize-battles";
import { resetDatabase } from "../helpers/db";
import { setupFakeProviderServer } from "../providers/text-test-support";
import { collectRound, db, newAnnotator, registerTextModels } from "./battle-test-support";

const fake = setupFakeProviderServer();
type RecordedBody = { model: string; messages: Array<{ role: string; content: unknown }> };

async function votedBattle(prompt: string) {
  const { caller } = await newAnnotator({ consent: true });
  const view = await caller.battle.create({ prompt, personalized: false });
  await collectRound(view.id);
  await caller.battle.vote({ battleId: view.id, outcome: "model_a" });
  return view.id;
}

describe("a registered text model as the category classifier", () => {
  beforeEach(async () => {
    await resetDatabase(db);
    await registerTextModels(fake().url, [
      { slug: "arena-left", behaviour: "fake-ok", organization: "org-left" },
      { slug: "arena-right", behaviour: "fake-ok", organization: "org-right" },
    ]);
  });

  it("tags a battle with the model's answer, over real HTTP", async () => {
    // The classifier model is registered (and, here, outside the arena's pool of active models).
    const judge = await db.arenaModel.create({
      data: { slug: "category-judge", displayName: "Judge", organizationId: (await db.organization.findFirstOrThrow()).id, modality: "text", providerKind: "openai_compatible", endpoint: `${fake().url}/v1`, providerModelId: 'fake-reply:["math", "creative_writing"]', extraParams: {}, status: "retired" },
    });
    expect(judge.slug).toBe("category-judge");
    const id = await votedBattle("Tell me a story about a prime number.");
    // Tagged by the background tagger after the vote, or here, whichever comes first.
    await categorizePendingBattles(db);
    const battle = await db.battle.findUniqueOrThrow({ where: { id } });
    expect(storedCategories(battle.categories)).toEqual(["math", "creative_writing"]);
    expect(battle.categorizedBy).toBe("model:category-judge");
    const asked = fake().requests.map((request) => request.body as RecordedBody | null).find((body) => body?.model?.startsWith("fake-reply:"));
    expect(JSON.stringify(asked?.messages)).toContain("Tell me a story about a prime number.");
  });

  it("falls back to the rules when the model's answer cannot be read", async () => {
    await db.arenaModel.create({
      data: { slug: "category-judge", displayName: "Judge", organizationId: (await db.organization.findFirstOrThrow()).id, modality: "text", providerKind: "openai_compatible", endpoint: `${fake().url}/v1`, providerModelId: "fake-reply:I think it is about code.", extraParams: {}, status: "retired" },
    });
    const id = await votedBattle("Write a Python function that sorts a list.");
    await categorizePendingBattles(db);
    const battle = await db.battle.findUniqueOrThrow({ where: { id } });
    expect(storedCategories(battle.categories)).toEqual(["coding"]);
    expect(battle.categorizedBy).toBe("rules-v1");
  });

  it("reads only JSON lists of known categories", () => {
    expect(parseClassifierReply('Sure: ["coding","math"]')).toEqual(["coding", "math"]);
    expect(parseClassifierReply("[]")).toEqual([]);
    expect(parseClassifierReply('["poetry"]')).toBeNull();
    expect(parseClassifierReply("coding")).toBeNull();
  });
});
