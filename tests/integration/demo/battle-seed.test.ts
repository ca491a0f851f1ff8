import { beforeAll, describe, expect, it } from "vitest";
import { turnSeed } from "@/lib/domain/battle/seed";
import { generateDemoAnswer, type DemoPersonalityId } from "@/lib/domain/demo/text-personalities";
import { forgetActiveModels } from "@/lib/server/battles/model-pool";
import { resetDatabase } from "../helpers/db";
import { collectRound, db, latestResponses, newAnnotator } from "../battles/battle-test-support";

const PERSONALITIES: DemoPersonalityId[] = ["concise-expert", "friendly-explainer"];
const PROMPT = "List some ideas for a rainy day";

beforeAll(async () => {
  await resetDatabase(db);
  const organization = await db.organization.create({ data: { slug: "seed-org", name: "Seed org" } });
  for (const personality of PERSONALITIES) {
    await db.arenaModel.create({
      data: {
        slug: `seed-${personality}`,
        displayName: personality,
        organizationId: organization.id,
        modality: "text",
        providerKind: "demo_text",
        providerModelId: personality,
        extraParams: { tokensPerSecond: 1_000_000 },
        maxTokens: 4096,
      },
    });
  }
  forgetActiveModels();
});

async function battleAnswers() {
  const { caller } = await newAnnotator();
  const view = await caller.battle.create({ prompt: PROMPT, personalized: false });
  await collectRound(view.id);
  const battle = await db.battle.findUniqueOrThrow({ where: { id: view.id }, include: { modelA: true, modelB: true } });
  const responses = await latestResponses(view.id);
  return {
    seed: battle.seed,
    byPersonality: new Map([
      [battle.modelA.providerModelId as DemoPersonalityId, responses.a.text!],
      [battle.modelB.providerModelId as DemoPersonalityId, responses.b.text!],
    ]),
  };
}

describe("per-battle seed of the demo models", () => {
  // That another seed gives another answer is the demo models' own property, checked on fixed seeds in
  // tests/unit/demo/answer-shapes.test.ts: two random seeds can give the same answer (a bank of ideas is finite),
  // so comparing two battles' answers here would fail now and then.
  it("gives each battle a seed of its own, and each answer is the demo model's answer for that stored seed", async () => {
    const first = await battleAnswers();
    const second = await battleAnswers();
    expect(first.seed).not.toBe(second.seed);
    for (const personality of PERSONALITIES) {
      for (const battle of [first, second]) {
        expect(battle.byPersonality.get(personality)).toBe(generateDemoAnswer(personality, [{ role: "user", content: PROMPT }], turnSeed(battle.seed, 0)));
      }
    }
  });
});
