import { beforeEach, describe, expect, it } from "vitest";

import { publicFailureMessage } from "@/lib/domain/battle/failure-message";
import { forgetActiveModels } from "@/lib/server/battles/model-pool";
import { battleHub } from "@/lib/server/battles/stream-hub";
import { newPublicId } from "@/lib/server/services/battles";
import { resetDatabase } from "../helpers/db";
import { setupFakeProviderServer } from "../providers/text-test-support";
import { collectRound, db, expectTrpcError, latestResponses, newAnnotator, otherSide, sideOf, registerTextModels } from "./battle-test-support";

const fake = setupFakeProviderServer();

type RecordedBody = { model: string; system?: string; messages: Array<{ role: string; content: unknown }> };
const bodiesFor = (behaviour: string) => fake().requests.filter((request) => (request.body as RecordedBody | null)?.model === behaviour).map((request) => request.body as RecordedBody);
const textOf = (content: unknown) => (typeof content === "string" ? content : (content as Array<{ text: string }>).map((part) => part.text).join(""));

describe("battles against fake providers over HTTP", () => {
  beforeEach(() => resetDatabase(db));

  it("streams both answers through the hub before they complete, then saves them", async () => {
    await registerTextModels(fake().url, [
      { slug: "openai-side", behaviour: "fake-ok", kind: "openai_compatible" },
      { slug: "anthropic-side", behaviour: "fake-slow", kind: "anthropic" },
    ]);
    const { caller } = await newAnnotator();
    const view = await caller.battle.create({ prompt: "Tell me about tide pools", personalized: true });
    expect(view.models).toBeNull();
    expect(view.generating).toBe(true);

    const events = await collectRound(view.id);
    const slowSide = await sideOf(view.id, "anthropic-side");
    const firstDelta = events.findIndex((event) => event.type === "delta" && event.side === slowSide);
    const slowDone = events.findIndex((event) => event.type === "side" && event.side === slowSide);
    expect(firstDelta).toBeGreaterThan(-1);
    expect(firstDelta).toBeLessThan(slowDone);
    expect(events.at(-2)).toEqual({ type: "ready", turnIndex: 0 });

    const responses = await latestResponses(view.id);
    for (const response of Object.values(responses)) {
      expect(response.status).toBe("complete");
      expect(response.text).toContain("tide pools");
      expect(response.outputTokens).toBeGreaterThan(0);
      expect(response.firstTokenMs).not.toBeNull();
      expect(response.latencyMs).toBeGreaterThanOrEqual(response.firstTokenMs!);
      expect(response.styleFeatures).toMatchObject({ tokens: expect.any(Number) });
      expect(response.completedAt).toBeInstanceOf(Date);
      expect(response.completedAt!.getTime()).toBeGreaterThanOrEqual(response.startedAt.getTime());
    }
    // Read back through Prisma as written (on SQLite the battle writes go through a connection of their own).
    const battle = await db.battle.findUniqueOrThrow({ where: { id: view.id } });
    expect(battle.status).toBe("ready");
    expect(battle.personalized).toBe(true);
    expect(battle.completedAt).toBeInstanceOf(Date);
    expect(battle.completedAt!.getTime()).toBeGreaterThanOrEqual(battle.createdAt.getTime());
    expect(battleHub.get(view.id)).toBeUndefined();
  });

  it("keeps partial text in the hub while a side is held mid-stream", async () => {
    await registerTextModels(fake().url, [
      { slug: "gated", behaviour: "fake-gated" },
      { slug: "quick", behaviour: "fake-ok" },
    ]);
    const { caller } = await newAnnotator();
    const view = await caller.battle.create({ prompt: "Explain rainbows", personalized: false });
    await fake().gateReached();
    const gatedSide = await sideOf(view.id, "gated");
    await expect.poll(() => battleHub.get(view.id)?.snapshot.sides[gatedSide].text ?? "").not.toBe("");
    expect(battleHub.get(view.id)?.snapshot.sides[gatedSide].status).toBe("streaming");
    const during = await caller.battle.get({ battleId: view.id });
    expect(during.turns[0].sides[gatedSide].status).toBe("streaming");
    expect(during.turns[0].sides[gatedSide].text).not.toBe("");
    fake().releaseGate();
    await collectRound(view.id);
    expect((await latestResponses(view.id))[gatedSide].status).toBe("complete");
  });

  it.each([
    { behaviour: "fake-timeout", kind: "timeout", message: /did not finish within 400 ms/ },
    { behaviour: "fake-400", kind: "http_error", message: /400/ },
    { behaviour: "fake-500", kind: "http_error", message: /500/ },
    { behaviour: "fake-429", kind: "rate_limited", message: /rate|429/i },
    { behaviour: "fake-garbage", kind: "bad_response", message: /./ },
    { behaviour: "fake-cut", kind: "stream_cut", message: /./ },
    { behaviour: "fake-empty", kind: "empty", message: /./ },
  ])("records $behaviour as a failed side with a clear message while the other side completes", async ({ behaviour, kind, message }) => {
    await registerTextModels(fake().url, [
      { slug: "faulty", behaviour, timeoutMs: behaviour === "fake-timeout" ? 400 : 5_000 },
      { slug: "healthy", behaviour: "fake-ok" },
    ]);
    const { caller } = await newAnnotator();
    const view = await caller.battle.create({ prompt: "What is a haiku?", personalized: false });
    const events = await collectRound(view.id);
    const faultySide = await sideOf(view.id, "faulty");
    const responses = await latestResponses(view.id);
    expect(responses[faultySide]).toMatchObject({ status: "error", errorKind: kind });
    expect(responses[faultySide].errorMessage).toMatch(message);
    expect(responses[otherSide(faultySide)].status).toBe("complete");
    // The stream tells the browser: a `side` event, or the first snapshot when the failure came first
    // (on PostgreSQL, battle.create answers once the rows are stored, by when a 4xx may be back).
    const toldInStream = events.some(
      (event) =>
        (event.type === "side" && event.side === faultySide && event.snapshot.status === "error") ||
        (event.type === "snapshot" && event.sides[faultySide].status === "error"),
    );
    expect(toldInStream).toBe(true);
    const battle = await caller.battle.get({ battleId: view.id });
    expect(battle.status).toBe("ready");
    // The annotator reads what went wrong in words naming no model, organization or host; the stored error keeps it all.
    const shown = battle.turns[0].sides[faultySide].errorMessage!;
    expect(shown).toBe(publicFailureMessage(kind, responses[faultySide].errorMessage));
    for (const secret of ["faulty", "Org test-org", "127.0.0.1", fake().url]) expect(shown).not.toContain(secret);
    const streamed = events.flatMap((event) => (event.type === "side" ? [event.snapshot] : event.type === "snapshot" ? Object.values(event.sides) : []));
    for (const snapshot of streamed) if (snapshot.status === "error") expect(snapshot.errorMessage).toBe(shown);
  });

  it("does not pause a busy model for scattered failures, and pauses it once three answers in a row failed", async () => {
    const [switchable] = await registerTextModels(fake().url, [
      { slug: "switchable", behaviour: "fake-ok" },
      { slug: "steady", behaviour: "fake-ok" },
    ]);
    const { caller } = await newAnnotator();
    const status = async () => (await db.arenaModel.findUniqueOrThrow({ where: { id: switchable.id } })).status;
    let failures = 0;
    const answer = async (behaviour: "fake-ok" | "fake-500") => {
      await db.arenaModel.update({ where: { id: switchable.id }, data: { providerModelId: behaviour } });
      forgetActiveModels();
      const view = await caller.battle.create({ prompt: `A ${behaviour} answer`, personalized: false });
      await collectRound(view.id);
      // The breaker is fed after the round ends: wait until it has recorded the failure.
      if (behaviour === "fake-500") await expect.poll(() => db.modelFailure.count({ where: { modelId: switchable.id } })).toBe(++failures);
    };
    // 6 answers, then three failures each followed by a success, then two more failures: 5 failures of 14
    // answers (36%), never 3 in a row. Each status is read a whole battle after the failure before it was recorded.
    for (const behaviour of ["fake-ok", "fake-ok", "fake-ok", "fake-ok", "fake-ok", "fake-ok", "fake-500", "fake-ok", "fake-500", "fake-ok", "fake-500", "fake-ok", "fake-500", "fake-500"] as const) {
      expect(await status()).toBe("active");
      await answer(behaviour);
    }
    await answer("fake-ok");
    expect(await status()).toBe("active");
    // The provider goes down: the third failure in a row pauses it although most answers in the window (10 of 18) succeeded.
    for (let failure = 0; failure < 3; failure++) await answer("fake-500");
    await expect.poll(status).toBe("paused");
    const paused = await db.arenaModel.findUniqueOrThrow({ where: { id: switchable.id } });
    expect(paused.pausedReason).toMatch(/^Paused automatically: 8 failed answers in the last 10 min \(44% of 18; 3 in a row\)/);
  });

  it("counts each failed retry of a side toward the circuit breaker", async () => {
    const [broken] = await registerTextModels(fake().url, [
      { slug: "retried-500", behaviour: "fake-500" },
      { slug: "steady", behaviour: "fake-ok" },
    ]);
    const { caller } = await newAnnotator();
    const view = await caller.battle.create({ prompt: "Name a river", personalized: false });
    await collectRound(view.id);
    const brokenSide = await sideOf(view.id, "retried-500");
    // One Response row, overwritten by each retry: the failures are still three.
    for (let retry = 0; retry < 2; retry++) {
      await caller.battle.retrySide({ battleId: view.id, side: brokenSide });
      await collectRound(view.id);
    }
    await expect.poll(async () => (await db.arenaModel.findUniqueOrThrow({ where: { id: broken.id } })).status).toBe("paused");
    expect(await db.response.count({ where: { modelId: broken.id } })).toBe(1);
    const paused = await db.arenaModel.findUniqueOrThrow({ where: { id: broken.id } });
    expect(paused.pausedReason).toMatch(/^Paused automatically: 3 failed answers/);
  });

  it("a failing battle does not disturb another battle streaming at the same time", async () => {
    await registerTextModels(fake().url, [
      { slug: "slow-one", behaviour: "fake-slow" },
      { slug: "ok-one", behaviour: "fake-ok" },
    ]);
    const first = await newAnnotator();
    const healthy = await first.caller.battle.create({ prompt: "Describe the moon", personalized: false });
    const healthyRound = collectRound(healthy.id);
    await registerTextModels(fake().url, [
      { slug: "cut-one", behaviour: "fake-cut" },
      { slug: "broken-one", behaviour: "fake-500" },
    ]);
    const second = await newAnnotator();
    const failing = await second.caller.battle.create({ prompt: "Describe the sun", personalized: false });
    await collectRound(failing.id);
    expect(Object.values(await latestResponses(failing.id)).map((response) => response.status)).toEqual(["error", "error"]);
    await healthyRound;
    expect(Object.values(await latestResponses(healthy.id)).map((response) => response.status)).toEqual(["complete", "complete"]);
  });

  it("pauses a model that keeps failing and takes it out of matchmaking", async () => {
    const [broken] = await registerTextModels(fake().url, [
      { slug: "always-500", behaviour: "fake-500" },
      { slug: "steady-a", behaviour: "fake-ok" },
      { slug: "steady-b", behaviour: "fake-ok" },
    ]);
    const { caller } = await newAnnotator();
    let failures = 0;
    // CIRCUIT_BREAKER_FAILURES is 3 by default (window 10 min, failure rate 50%).
    for (let attempt = 0; attempt < 40 && failures < 3; attempt++) {
      const view = await caller.battle.create({ prompt: `Question number ${attempt}`, personalized: false });
      await collectRound(view.id);
      const battle = await db.battle.findUniqueOrThrow({ where: { id: view.id } });
      if (battle.modelAId === broken.id || battle.modelBId === broken.id) {
        failures++;
        // Before the third failure it is still active: two failures are below the count.
        if (failures < 3) expect((await db.arenaModel.findUniqueOrThrow({ where: { id: broken.id } })).status).toBe("active");
      }
    }
    expect(failures).toBe(3);
    // The breaker is fed after the round has ended.
    await expect.poll(async () => (await db.arenaModel.findUniqueOrThrow({ where: { id: broken.id } })).status).toBe("paused");
    const paused = await db.arenaModel.findUniqueOrThrow({ where: { id: broken.id } });
    expect(paused.status).toBe("paused");
    expect(paused.pausedReason).toMatch(/3 failed answers in the last 10 min \(100% of 3; 3 in a row\).*500/);
    expect(paused.pausedAt).not.toBeNull();
    expect(await db.modelFailure.count({ where: { modelId: broken.id } })).toBe(3);
    const audit = await db.auditLog.findMany({ where: { action: "model.auto_paused", targetId: broken.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0].actorId).toBeNull();

    const later = await newAnnotator();
    for (let attempt = 0; attempt < 6; attempt++) {
      const view = await later.caller.battle.create({ prompt: `After the pause ${attempt}`, personalized: false });
      await collectRound(view.id);
      const battle = await db.battle.findUniqueOrThrow({ where: { id: view.id } });
      expect([battle.modelAId, battle.modelBId]).not.toContain(broken.id);
    }
  });

  it("refuses to start when fewer than two models are available", async () => {
    const [only] = await registerTextModels(fake().url, [{ slug: "lonely", behaviour: "fake-ok" }]);
    expect(only.status).toBe("active");
    const { caller } = await newAnnotator();
    const error = await expectTrpcError(caller.battle.create({ prompt: "Hello there", personalized: false }), "CONFLICT");
    expect(error.message).toContain("Not enough text models");
  });

  it("sends the same persona system prompt to both models and records the persona version", async () => {
    await registerTextModels(fake().url, [
      { slug: "persona-openai", behaviour: "fake-ok", kind: "openai_compatible" },
      { slug: "persona-anthropic", behaviour: "fake-slow", kind: "anthropic" },
    ]);
    const { caller } = await newAnnotator();
    const first = await caller.persona.save({ expertise: "medicine", responseStyle: "concise", ageBand: "prefer_not_to_say" });
    expect(first.version).toBe(1);
    const view = await caller.battle.create({ prompt: "How do vaccines work?", personalized: true });
    await collectRound(view.id);

    const openai = bodiesFor("fake-ok")[0];
    const anthropic = bodiesFor("fake-slow")[0];
    expect(openai.messages[0]).toMatchObject({ role: "system" });
    const systemPrompt = textOf(openai.messages[0].content);
    expect(textOf(anthropic.system)).toBe(systemPrompt);
    expect(systemPrompt).toContain("Field of expertise: Medicine and health");
    expect(systemPrompt).not.toContain("Age:");
    const battle = await db.battle.findUniqueOrThrow({ where: { id: view.id }, include: { turns: true, personaVersion: true } });
    expect(battle.personalized).toBe(true);
    expect(battle.personaVersion?.version).toBe(1);
    expect(battle.turns[0].systemPrompt).toBe(systemPrompt);
    const disclosure = await caller.persona.disclosure();
    for (const statement of disclosure.statements) expect(systemPrompt).toContain(statement.value);

    const second = await caller.persona.save({ expertise: "law" });
    expect(second.version).toBe(2);
    expect(await db.personaVersion.count({ where: { userId: battle.userId } })).toBe(2);
    const kept = await db.battle.findUniqueOrThrow({ where: { id: view.id }, include: { personaVersion: true } });
    expect(kept.personaVersion?.version).toBe(1);
    const next = await caller.battle.create({ prompt: "And contracts?", personalized: true });
    await collectRound(next.id);
    const nextBattle = await db.battle.findUniqueOrThrow({ where: { id: next.id }, include: { personaVersion: true, turns: true } });
    expect(nextBattle.personaVersion?.version).toBe(2);
    expect(nextBattle.turns[0].systemPrompt).toContain("Field of expertise: Law");
  });

  it("sends no system prompt when personalization is off", async () => {
    await registerTextModels(fake().url, [
      { slug: "plain-openai", behaviour: "fake-ok", kind: "openai_compatible" },
      { slug: "plain-anthropic", behaviour: "fake-slow", kind: "anthropic" },
    ]);
    const { caller } = await newAnnotator();
    await caller.persona.save({ expertise: "software", aboutMe: "I love sailing" });
    const view = await caller.battle.create({ prompt: "Plan a weekend trip", personalized: false });
    await collectRound(view.id);
    expect(bodiesFor("fake-ok")[0].messages.map((message) => message.role)).toEqual(["user"]);
    expect(bodiesFor("fake-slow")[0].system).toBeUndefined();
    expect(JSON.stringify(fake().requests.map((request) => request.body))).not.toContain("sailing");
    const battle = await db.battle.findUniqueOrThrow({ where: { id: view.id }, include: { turns: true } });
    expect(battle.personalized).toBe(false);
    expect(battle.turns[0].systemPrompt).toBeNull();
  });

  it("gives each model the whole conversation with its own earlier answers on a follow-up", async () => {
    await registerTextModels(fake().url, [
      { slug: "talk-openai", behaviour: "fake-ok", kind: "openai_compatible" },
      { slug: "talk-anthropic", behaviour: "fake-slow", kind: "anthropic" },
    ]);
    const { caller } = await newAnnotator();
    await caller.persona.save({ expertise: "arts" });
    const view = await caller.battle.create({ prompt: "Name a colour", personalized: true });
    await collectRound(view.id);
    const firstAnswers = await latestResponses(view.id);
    const openaiSide = await sideOf(view.id, "talk-openai");

    const continued = await caller.battle.continue({ battleId: view.id, prompt: "Why that one?" });
    expect(continued.turns).toHaveLength(2);
    await collectRound(view.id);

    const openai = bodiesFor("fake-ok").at(-1)!;
    expect(openai.messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(textOf(openai.messages[1].content)).toBe("Name a colour");
    expect(textOf(openai.messages[2].content)).toBe(firstAnswers[openaiSide].text);
    expect(textOf(openai.messages[3].content)).toBe("Why that one?");
    const anthropic = bodiesFor("fake-slow").at(-1)!;
    expect(textOf(anthropic.system)).toContain("Arts and design");
    expect(anthropic.messages.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
    expect(textOf(anthropic.messages[1].content)).toBe(firstAnswers[otherSide(openaiSide)].text);

    const turns = await db.turn.findMany({ where: { battleId: view.id }, orderBy: { index: "asc" } });
    expect(turns.map((turn) => turn.index)).toEqual([0, 1]);
    expect(turns[1].systemPrompt).toBe(turns[0].systemPrompt);
    expect(Object.values(await latestResponses(view.id)).every((response) => response.status === "complete")).toBe(true);
  });

  it("refuses a follow-up while answers are still streaming", async () => {
    await registerTextModels(fake().url, [
      { slug: "held", behaviour: "fake-gated" },
      { slug: "free", behaviour: "fake-ok" },
    ]);
    const { caller } = await newAnnotator();
    const view = await caller.battle.create({ prompt: "First question", personalized: false });
    await fake().gateReached();
    const error = await expectTrpcError(caller.battle.continue({ battleId: view.id, prompt: "Second" }), "CONFLICT");
    expect(error.message).toContain("wait");
    fake().releaseGate();
    await collectRound(view.id);
  });

  it("retries a failed side as a new attempt and keeps the other answer", async () => {
    const [flaky] = await registerTextModels(fake().url, [
      { slug: "flaky", behaviour: "fake-500" },
      { slug: "fine", behaviour: "fake-ok" },
    ]);
    const { caller } = await newAnnotator();
    const view = await caller.battle.create({ prompt: "Tell me a fact", personalized: false });
    await collectRound(view.id);
    const flakySide = await sideOf(view.id, "flaky");
    const before = await latestResponses(view.id);
    expect(before[flakySide].status).toBe("error");

    await expectTrpcError(caller.battle.retrySide({ battleId: view.id, side: otherSide(flakySide) }), "CONFLICT");
    await db.arenaModel.update({ where: { id: flaky.id }, data: { providerModelId: "fake-ok" } });
    // As the registry service does after an edit (other instances see it within MODEL_POOL_TTL_MS).
    forgetActiveModels();
    const retried = await caller.battle.retrySide({ battleId: view.id, side: flakySide });
    expect(retried.turns[0].sides[flakySide]).toMatchObject({ status: "streaming", attempt: 2 });
    await collectRound(view.id);
    const after = await latestResponses(view.id);
    expect(after[flakySide]).toMatchObject({ status: "complete", attempt: 2, errorKind: null, errorMessage: null });
    expect(after[otherSide(flakySide)].text).toBe(before[otherSide(flakySide)].text);
    expect((await db.battle.findUniqueOrThrow({ where: { id: view.id } })).status).toBe("ready");
  });

  it("hides other people's battles", async () => {
    await registerTextModels(fake().url, [
      { slug: "m1", behaviour: "fake-ok" },
      { slug: "m2", behaviour: "fake-ok" },
    ]);
    const owner = await newAnnotator();
    const stranger = await newAnnotator();
    const view = await owner.caller.battle.create({ prompt: "Private question", personalized: false });
    await collectRound(view.id);
    await expectTrpcError(stranger.caller.battle.get({ battleId: view.id }), "NOT_FOUND");
    await expectTrpcError(stranger.caller.battle.continue({ battleId: view.id, prompt: "Hijack" }), "NOT_FOUND");
  });

  it("requires a session", async () => {
    const { createCaller } = await import("@/lib/server/api/root");
    const anonymous = createCaller({ db, user: null, ip: null });
    await expectTrpcError(anonymous.battle.create({ prompt: "Hi", personalized: false }), "UNAUTHORIZED");
  });
});

describe("public battle ids", () => {
  it("are 12 random bytes in base64url, none repeated across refills of the pool they are drawn from", () => {
    const ids = Array.from({ length: 1000 }, () => newPublicId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
