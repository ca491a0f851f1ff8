import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { forgetActiveModels, MODEL_POOL_TTL_MS, modelsById } from "@/lib/server/battles/model-pool";
import { setupFakeProviderServer } from "../providers/text-test-support";
import { collectRound, db, newAnnotator, freshModelPair } from "./battle-test-support";

const fake = setupFakeProviderServer();

describe("battle reads take their models from the model cache", () => {
  beforeEach(() => freshModelPair(fake().url));
  afterEach(() => vi.useRealTimers());

  it("serves a model edited behind its back until MODEL_POOL_TTL_MS passes, and at once after forgetActiveModels", async () => {
    const model = await db.arenaModel.findUniqueOrThrow({ where: { slug: "left-model" } });
    expect((await modelsById(db, [model.id])).get(model.id)).toMatchObject({ displayName: "Display left-model", organization: { name: "Org org-left" } });

    await db.arenaModel.update({ where: { id: model.id }, data: { displayName: "Renamed" } });
    expect((await modelsById(db, [model.id])).get(model.id)!.displayName).toBe("Display left-model");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + MODEL_POOL_TTL_MS + 1 });
    expect((await modelsById(db, [model.id])).get(model.id)!.displayName).toBe("Renamed");

    await db.arenaModel.update({ where: { id: model.id }, data: { displayName: "Renamed again" } });
    forgetActiveModels();
    expect((await modelsById(db, [model.id])).get(model.id)!.displayName).toBe("Renamed again");
  });

  it("finds paused models (a battle keeps its models) and refuses an unknown id", async () => {
    const model = await db.arenaModel.update({ where: { slug: "right-model" }, data: { status: "paused", pausedAt: new Date() } });
    expect((await modelsById(db, [model.id, model.id])).get(model.id)!.slug).toBe("right-model");
    await expect(modelsById(db, ["no-such-model"])).rejects.toThrow(/does not exist/);
  });

  it("reveals both models with their organizations on the vote, from one cached read", async () => {
    const { caller } = await newAnnotator({ consent: true });
    const view = await caller.battle.create({ prompt: "Compare tea and coffee", personalized: false });
    await collectRound(view.id);
    const vote = await caller.battle.vote({ battleId: view.id, outcome: "tie" });
    expect(Object.values(vote.models).map((model) => model.organizationName).sort()).toEqual(["Org org-left", "Org org-right"]);
    expect((await caller.battle.get({ battleId: view.id })).models).toEqual(vote.models);
  });
});
