import { beforeEach, describe, expect, it } from "vitest";
import { BATTLE_HISTORY_PAGE_SIZE, listOwnBattles } from "@/lib/server/services/battle-history";
import { setupFakeProviderServer } from "../providers/text-test-support";
import { collectRound, db, newAnnotator, freshModelPair } from "./battle-test-support";

const fake = setupFakeProviderServer();

describe("My battles", () => {
  beforeEach(() => freshModelPair(fake().url));

  it("lists only the annotator's own battles, newest first, with the vote and the models only once revealed", async () => {
    const { caller, user } = await newAnnotator({ consent: true });
    const other = await newAnnotator({ consent: true });
    const voted = await caller.battle.create({ prompt: "First question", personalized: false });
    await collectRound(voted.id);
    await caller.battle.vote({ battleId: voted.id, outcome: "model_b" });
    const open = await caller.battle.create({ prompt: "Second question", personalized: false });
    await collectRound(open.id);
    await collectRound((await other.caller.battle.create({ prompt: "Someone else's question", personalized: false })).id);

    const history = await listOwnBattles(db, user.id);
    expect(history).toMatchObject({ page: 1, pageCount: 1, total: 2 });
    expect(history.items.map((item) => [item.prompt, item.vote, item.status])).toEqual([
      ["Second question", null, "ready"],
      ["First question", "model_b", "voted"],
    ]);
    expect(history.items[0]!.models).toBeNull();
    expect(Object.values(history.items[1]!.models!).map((model) => model.slug).sort()).toEqual(["left-model", "right-model"]);

    await caller.battle.reveal({ battleId: open.id });
    expect((await listOwnBattles(db, user.id)).items[0]!.models).not.toBeNull();
  });

  it("pages by BATTLE_HISTORY_PAGE_SIZE and clamps a page number past the end", async () => {
    const { user } = await newAnnotator();
    const [modelA, modelB] = await db.arenaModel.findMany({ orderBy: { slug: "asc" } });
    for (let index = 0; index < BATTLE_HISTORY_PAGE_SIZE + 3; index++) {
      await db.battle.create({
        data: {
          publicId: `history-${index}`,
          userId: user.id,
          modality: "text",
          modelAId: modelA!.id,
          modelBId: modelB!.id,
          status: "ready",
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, index)),
          turns: { create: { index: 0, prompt: `Question ${index}` } },
        },
      });
    }
    const first = await listOwnBattles(db, user.id, 1);
    expect(first).toMatchObject({ page: 1, pageCount: 2, total: BATTLE_HISTORY_PAGE_SIZE + 3 });
    expect(first.items).toHaveLength(BATTLE_HISTORY_PAGE_SIZE);
    expect(first.items[0]!.prompt).toBe(`Question ${BATTLE_HISTORY_PAGE_SIZE + 2}`);
    const last = await listOwnBattles(db, user.id, 99);
    expect(last.page).toBe(2);
    expect(last.items.map((item) => item.prompt)).toEqual(["Question 2", "Question 1", "Question 0"]);
  });
});
