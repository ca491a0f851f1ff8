import { beforeEach, describe, expect, it } from "vitest";
import { runQueuedJudgeRuns } from "@/lib/server/judge/run";
import { callerFor, createUserWithRole, db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { createAnnotator, createOrganizationWithModels, plantVotes, type PlantedVote } from "../leaderboards/leaderboard-test-support";
import { setupFakeProviderServer } from "../providers/text-test-support";

const fake = setupFakeProviderServer();
const PROFILE = "About the user:\n- Field of expertise: Software and IT\n\nHow they like answers:\n- The user prefers detailed, thorough answers.";

/** 12 voted text battles with answers (A long, B short); the first 9 votes go to A. */
async function plantJudgeableBattles() {
  const { organization, models } = await createOrganizationWithModels(db, "judged", [
    { slug: "long", modality: "text" },
    { slug: "short", modality: "text" },
  ]);
  const votes: PlantedVote[] = [];
  for (let n = 0; n < 12; n++) {
    const user = await createAnnotator(db, { expertise: "software", preferences: { detail: 90 } });
    votes.push({
      modelA: models[0].id,
      modelB: models[1].id,
      outcome: n < 9 ? "model_a" : "model_b",
      userId: user.id,
      at: new Date(Date.UTC(2026, 10, 1, n)),
      styles: { a: "A thorough answer. ".repeat(40), b: "Short." },
    });
  }
  await plantVotes(db, "text", votes);
  await db.turn.updateMany({ data: { systemPrompt: PROFILE } });
  return organization;
}

describe("judge runs", () => {
  beforeEach(async () => {
    await resetDatabase(db);
  });

  it("runs a registered judge over real HTTP, within its concurrency limit, and reports malformed output as abstentions", async () => {
    const organization = await plantJudgeableBattles();
    const judge = await db.arenaModel.create({
      data: {
        slug: "fake-judge",
        displayName: "Fake judge",
        organizationId: organization.id,
        modality: "text",
        providerKind: "openai_compatible",
        endpoint: `${fake().url}/v1`,
        providerModelId: "fake-judge",
        extraParams: {},
        maxConcurrency: 2,
      },
    });
    const admin = await createUserWithRole("admin");
    const started = await (await callerFor(admin)).judge.start({ judgeModelId: judge.id, sampleSize: 10, seed: 3 });
    expect(started.status).toBe("queued");
    await runQueuedJudgeRuns(db);

    const researcher = await createUserWithRole("researcher");
    const run = await (await callerFor(researcher)).judge.get({ id: started.id });
    expect(run.status).toBe("completed");
    expect(run.total).toBe(20);
    expect(run.done).toBe(20);
    expect(run.abstained).toBe(10);
    const judgeCalls = fake().requests.filter((request) => (request.body as { model?: string } | null)?.model === "fake-judge");
    expect(judgeCalls).toHaveLength(20);
    expect(fake().maxInFlight).toBeLessThanOrEqual(2);

    const summary = run.summary!;
    expect(summary.sampled).toBe(10);
    expect(summary.methods.judge_persona.answered).toBe(10);
    expect(summary.methods.judge_persona.curve[7]).toMatchObject({ minCertainty: 8, coverage: 1 });
    expect(summary.methods.judge_blind).toMatchObject({ answered: 0, abstained: 10, abstentions: { not_json: 10 }, agreement: null });
    const agreeing = await db.judgeItem.count({ where: { runId: started.id, withPersona: true, humanOutcome: "model_a" } });
    expect(summary.methods.judge_persona.agreement).toBeCloseTo(agreeing / 10, 12);
    expect(summary.methods.global_board.items).toBe(10);
    expect(run.abstentions[0]).toMatchObject({ withPersona: false, abstention: "not_json" });
  });

  it("runs the offline demo judge, and keeps starting runs to admins", async () => {
    await plantJudgeableBattles();
    const researcher = await createUserWithRole("researcher");
    await expect((await callerFor(researcher)).judge.start({ judgeModelId: null, sampleSize: 5, seed: 1 })).rejects.toThrow();
    const admin = await createUserWithRole("admin");
    const caller = await callerFor(admin);
    await expect(caller.judge.start({ judgeModelId: null, sampleSize: 0, seed: 1 })).rejects.toThrow();
    const started = await caller.judge.start({ judgeModelId: null, sampleSize: 12, seed: 1 });
    await runQueuedJudgeRuns(db);
    const run = await caller.judge.get({ id: started.id });
    expect(run.status).toBe("completed");
    expect(run.judgeLabel).toContain("Demo");
    // The demo judge follows the stated preference for detail: it picks the long answer A with the persona.
    expect(run.summary!.methods.judge_persona.agreement).toBeCloseTo(9 / 12, 12);
    expect(run.summary!.methods.judge_blind.abstained).toBe(0);
    expect((await caller.judge.list()).map((listed) => listed.id)).toContain(started.id);
    expect(await db.judgeRun.count()).toBe(1);
  });
});
