import superjson from "superjson";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { TBattleStreamEvent } from "@/lib/domain/battle/stream-events";
import type { TBattleView } from "@/lib/server/services/battle-view";
import type { SessionUser } from "@/lib/server/services/accounts";
import { GET } from "@/app/api/battles/[id]/stream/route";
import { battleHub } from "@/lib/server/battles/stream-hub";
import { storeOf } from "@/lib/server/store";
import { resetDatabase } from "../helpers/db";
import { setupFakeProviderServer } from "../providers/text-test-support";
import { collectRound, db, expectTrpcError, newAnnotator, otherSide, sideOf, registerTextModels } from "./battle-test-support";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/server/session", () => ({ getCurrentUser: async () => session.user }));

const fake = setupFakeProviderServer();

function request(battleId: string, signal?: AbortSignal) {
  return GET(new Request(`http://localhost/api/battles/${battleId}/stream`, { signal }), { params: Promise.resolve({ id: battleId }) });
}

/** Reads SSE `data:` events until `stop` says so or the stream ends. */
async function readEvents(response: Response, stop: (events: TBattleStreamEvent[]) => boolean = () => false): Promise<TBattleStreamEvent[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: TBattleStreamEvent[] = [];
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let boundary: number;
    while ((boundary = buffer.indexOf("\n\n")) !== -1) {
      const frame = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      if (frame.startsWith("data: ")) events.push(JSON.parse(frame.slice(6)) as TBattleStreamEvent);
    }
    if (stop(events)) {
      await reader.cancel();
      break;
    }
  }
  return events;
}

/** The battle the stream's `end` carries, decoded as the page decodes it. */
function endBattle(events: TBattleStreamEvent[]): TBattleView {
  const end = events.at(-1);
  if (end?.type !== "end" || !end.battle) throw new Error(`the stream did not end with a battle: ${JSON.stringify(end)}`);
  return superjson.deserialize<TBattleView>(end.battle);
}

/** Nothing in the stream's text names either model (slug, display name, organization) before the vote. */
function expectNoModelNamed(events: TBattleStreamEvent[], slugs: string[]) {
  const text = JSON.stringify(events);
  for (const slug of slugs) for (const name of [slug, `Display ${slug}`]) expect(text).not.toContain(name);
  expect(text).not.toContain("Org test-org");
}

describe("GET /api/battles/[id]/stream", () => {
  beforeEach(async () => {
    await resetDatabase(db);
    session.user = null;
  });

  it("streams deltas to the browser before the answer completes, then ready and end with the battle as battle.get returns it", async () => {
    await registerTextModels(fake().url, [
      { slug: "gated", behaviour: "fake-gated" },
      { slug: "open", behaviour: "fake-ok" },
    ]);
    const { user, caller } = await newAnnotator();
    session.user = user;
    const view = await caller.battle.create({ prompt: "Stream me something", personalized: false });
    await fake().gateReached();
    const gatedSide = await sideOf(view.id, "gated");
    await expect.poll(() => battleHub.get(view.id)?.snapshot.sides[gatedSide].text ?? "").not.toBe("");

    const response = await request(view.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("cache-control")).toContain("no-transform");
    const early = await readEvents(response, (events) => events.some((event) => event.type === "snapshot"));
    const snapshot = early.find((event) => event.type === "snapshot");
    expect(snapshot?.type === "snapshot" && snapshot.sides[gatedSide].text).toBeTruthy();
    expect(snapshot?.type === "snapshot" && snapshot.sides[gatedSide].status).toBe("streaming");

    const live = await request(view.id);
    const reading = readEvents(live);
    fake().releaseGate();
    const events = await reading;
    expect(events[0].type).toBe("snapshot");
    expect(events.some((event) => event.type === "delta" && event.side === gatedSide)).toBe(true);
    expect(events.slice(-2).map((event) => event.type)).toEqual(["ready", "end"]);
    const done = events.find((event) => event.type === "side" && event.side === gatedSide);
    expect(done?.type === "side" && done.snapshot.status).toBe("complete");

    // The end carries the battle exactly as battle.get returns it after the stream, naming no model.
    const carried = endBattle(events);
    expect(carried).toEqual(await caller.battle.get({ battleId: view.id }));
    expect(carried).toMatchObject({ status: "ready", generating: false, revealed: false, models: null, vote: null });
    expect(carried.turns[0]!.sides[gatedSide].status).toBe("complete");
    expectNoModelNamed(events, ["gated", "open"]);
  });

  it("ends the stream of a round that already ended with the battle as battle.get returns it, vote date included", async () => {
    await registerTextModels(fake().url, [
      { slug: "over-one", behaviour: "fake-ok" },
      { slug: "over-two", behaviour: "fake-ok" },
    ]);
    const { user, caller } = await newAnnotator({ consent: true });
    session.user = user;
    const view = await caller.battle.create({ prompt: "Already over", personalized: false });
    await collectRound(view.id);

    const before = await readEvents(await request(view.id));
    expect(before.map((event) => event.type)).toEqual(["snapshot", "ready", "end"]);
    expect(endBattle(before)).toEqual(await caller.battle.get({ battleId: view.id }));
    expect(endBattle(before).models).toBeNull();
    expectNoModelNamed(before, ["over-one", "over-two"]);

    // After the vote the view names the models and holds the vote.
    await caller.battle.vote({ battleId: view.id, outcome: "tie" });
    const after = endBattle(await readEvents(await request(view.id)));
    expect(after.vote).toMatchObject({ outcome: "tie", turnsJudged: 1 });
    expect(after).toEqual(await caller.battle.get({ battleId: view.id }));
    expect(after.models).not.toBeNull();
  });

  it("replays a finished battle from the database", async () => {
    await registerTextModels(fake().url, [
      { slug: "one", behaviour: "fake-ok" },
      { slug: "two", behaviour: "fake-500" },
    ]);
    const { user, caller } = await newAnnotator();
    session.user = user;
    const view = await caller.battle.create({ prompt: "Replay please", personalized: false });
    await collectRound(view.id);
    const failedSide = await sideOf(view.id, "two");

    const events = await readEvents(await request(view.id));
    expect(events.map((event) => event.type)).toEqual(["snapshot", "ready", "end"]);
    const snapshot = events[0];
    if (snapshot.type !== "snapshot") throw new Error("expected a snapshot");
    expect(snapshot.generating).toBe(false);
    expect(snapshot.sides[failedSide]).toMatchObject({ status: "error", errorKind: "http_error" });
    expect(snapshot.sides[failedSide === "a" ? "b" : "a"].text).toContain("Replay please");
  });

  it("polls the database when another instance is generating, and marks long-dead answers interrupted", async () => {
    await registerTextModels(fake().url, [
      { slug: "p1", behaviour: "fake-ok" },
      { slug: "p2", behaviour: "fake-ok" },
    ]);
    const { user, caller } = await newAnnotator();
    session.user = user;
    const view = await caller.battle.create({ prompt: "Elsewhere", personalized: false });
    await collectRound(view.id);
    const turn = await db.turn.findFirstOrThrow({ where: { battleId: view.id } });
    await db.response.updateMany({ where: { turnId: turn.id }, data: { status: "streaming", startedAt: new Date(Date.now() - 3_600_000) } });
    await db.battle.update({ where: { id: view.id }, data: { status: "generating" } });

    const events = await readEvents(await request(view.id));
    expect(events.map((event) => event.type)).toEqual(["snapshot", "snapshot", "ready", "end"]);
    const last = events[1];
    expect(last.type === "snapshot" && last.sides.a).toMatchObject({ status: "error", errorKind: "interrupted" });
    expect((await db.battle.findUniqueOrThrow({ where: { id: view.id } })).status).toBe("ready");
  });

  it("answers 404 for someone else's battle and 401 without a session", async () => {
    await registerTextModels(fake().url, [
      { slug: "x1", behaviour: "fake-ok" },
      { slug: "x2", behaviour: "fake-ok" },
    ]);
    const owner = await newAnnotator();
    const view = await owner.caller.battle.create({ prompt: "Mine", personalized: false });
    await collectRound(view.id);
    expect((await request(view.id)).status).toBe(401);
    session.user = (await newAnnotator()).user;
    expect((await request(view.id)).status).toBe(404);
  });

  describe("the end of a round live in this process", () => {
    /**
     * The events of a stream opened while the battle's round waits at the fake server's gate, until its
     * `end` (the gate released once the stream is open), and how many battle reads the store served meanwhile.
     */
    async function streamLiveRound(battleId: string): Promise<{ events: TBattleStreamEvent[]; battleReads: number }> {
      await fake().gateReached();
      expect(battleHub.get(battleId)).toBeDefined();
      const store = await storeOf(db);
      const readBattle = vi.spyOn(store, "readBattle");
      const readBattleToVote = vi.spyOn(store, "readBattleToVote");
      try {
        const reading = readEvents(await request(battleId));
        fake().releaseGate();
        const events = await reading;
        expect(events.slice(-2).map((event) => event.type)).toEqual(["ready", "end"]);
        return { events, battleReads: readBattle.mock.calls.length + readBattleToVote.mock.calls.length };
      } finally {
        readBattle.mockRestore();
        readBattleToVote.mockRestore();
      }
    }

    it("carries the battle as battle.get returns it after the round, with an errored side, reading no battle", async () => {
      await registerTextModels(fake().url, [
        { slug: "held", behaviour: "fake-gated" },
        { slug: "broken", behaviour: "fake-500" },
      ]);
      const { user, caller } = await newAnnotator();
      session.user = user;
      const view = await caller.battle.create({ prompt: "One turn, one failure", personalized: false });
      const { events, battleReads } = await streamLiveRound(view.id);
      expect(battleReads).toBe(0);
      const carried = endBattle(events);
      expect(carried).toEqual(await caller.battle.get({ battleId: view.id }));
      expect(carried.turns[0]!.sides[await sideOf(view.id, "broken")]).toMatchObject({ status: "error", errorKind: "http_error", attempt: 1 });
      expect(carried).toMatchObject({ status: "ready", generating: false });
    });

    it("carries a second turn's battle (the first turn's answers included) as battle.get returns it, reading no battle", async () => {
      await registerTextModels(fake().url, [
        { slug: "turn-held", behaviour: "fake-gated" },
        { slug: "turn-open", behaviour: "fake-ok" },
      ]);
      const { user, caller } = await newAnnotator();
      session.user = user;
      const view = await caller.battle.create({ prompt: "First question", personalized: false });
      const first = await streamLiveRound(view.id);
      await caller.battle.continue({ battleId: view.id, prompt: "A follow-up question" });
      const { events, battleReads } = await streamLiveRound(view.id);
      expect(battleReads).toBe(0);
      const carried = endBattle(events);
      expect(carried).toEqual(await caller.battle.get({ battleId: view.id }));
      expect(carried.turns.map((turn) => turn.prompt)).toEqual(["First question", "A follow-up question"]);
      expect(carried.turns[0]).toEqual(endBattle(first.events).turns[0]);
      expect(carried.turns[1]!.sides.a.status).toBe("complete");
    });

    it("carries a voted battle's follow-up as battle.get returns it: still voted, the vote judging one turn", async () => {
      await registerTextModels(fake().url, [
        { slug: "vote-held", behaviour: "fake-gated" },
        { slug: "vote-open", behaviour: "fake-ok" },
      ]);
      const { user, caller } = await newAnnotator({ consent: true });
      session.user = user;
      const view = await caller.battle.create({ prompt: "Vote, then ask more", personalized: false });
      await streamLiveRound(view.id);
      await caller.battle.vote({ battleId: view.id, outcome: "model_a" });
      await caller.battle.continue({ battleId: view.id, prompt: "After the vote" });
      const { events, battleReads } = await streamLiveRound(view.id);
      expect(battleReads).toBe(0);
      const carried = endBattle(events);
      expect(carried).toEqual(await caller.battle.get({ battleId: view.id }));
      expect(carried).toMatchObject({ status: "voted", revealed: true, vote: { turnsJudged: 1 } });
    });

    it("carries a retried side's new attempt as battle.get returns it, reading no battle", async () => {
      await registerTextModels(fake().url, [
        { slug: "retry-steady", behaviour: "fake-ok" },
        { slug: "retry-flaky", behaviour: "fake-500" },
      ]);
      const { user, caller } = await newAnnotator();
      session.user = user;
      const view = await caller.battle.create({ prompt: "Retry the failure", personalized: false });
      await collectRound(view.id);
      const flakySide = await sideOf(view.id, "retry-flaky");
      // The flaky model answers this time, held at the gate until the stream is open.
      await registerTextModels(fake().url, [
        { slug: "retry-steady", behaviour: "fake-ok" },
        { slug: "retry-flaky", behaviour: "fake-gated" },
      ]);
      await caller.battle.retrySide({ battleId: view.id, side: flakySide });
      const { events, battleReads } = await streamLiveRound(view.id);
      expect(battleReads).toBe(0);
      const carried = endBattle(events);
      expect(carried).toEqual(await caller.battle.get({ battleId: view.id }));
      expect(carried.turns[0]!.sides[flakySide]).toMatchObject({ status: "complete", attempt: 2, errorKind: null });
      expect(carried.turns[0]!.sides[otherSide(flakySide)]).toMatchObject({ status: "complete", attempt: 1 });
    });

    it("refuses a reveal while the answers generate (the round is the battle's only writer)", async () => {
      await registerTextModels(fake().url, [
        { slug: "reveal-held", behaviour: "fake-gated" },
        { slug: "reveal-open", behaviour: "fake-ok" },
      ]);
      const { user, caller } = await newAnnotator();
      session.user = user;
      const view = await caller.battle.create({ prompt: "Reveal too early", personalized: false });
      await fake().gateReached();
      await expectTrpcError(caller.battle.reveal({ battleId: view.id }), "CONFLICT");
      const { events } = await streamLiveRound(view.id);
      expect(endBattle(events).revealed).toBe(false);
      expect(await caller.battle.reveal({ battleId: view.id })).toMatchObject({ revealed: true });
    });
  });
});
