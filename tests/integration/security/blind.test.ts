/**
 * The blind, over real HTTP against the built app (`scripts/serve.js`, as `npm start` runs it): before the
 * vote, nothing an annotator can read names a battle's models — not the tRPC responses, the battle's event
 * stream, any response header, the metrics, public reads that could change with the battle, or the error
 * of a side whose model is down. Then the circuit breaker pauses that model, and the vote gates run on the
 * server's clock. Each check has a control that shows the channel really carries the identities (the
 * reveal after the vote, the operator's metrics, the admin's battle detail), so the test can fail.
 */
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyBattleEvent, EMPTY_SIDE, type TBattleStreamEvent, type TSide, type TSideSnapshot } from "@/lib/domain/battle/stream-events";
import { freePort, TEST_METRICS_TOKEN } from "@/scripts/load/app-process";
import { ArenaClient } from "@/scripts/load/arena-client";
import { openAiCompatibleModelInput } from "../helpers/model-input";
import { startBuiltAppOnSqlite, type TBuiltApp } from "./support/built-app";
import type { TModality } from "@/lib/domain/vocabulary";

const ADMIN_EMAIL = "admin@blind.test";
const ADMIN_PASSWORD = "admin-password-blind";
const MIN_READ_SECONDS = 1;
const MIN_LISTEN_SECONDS = 1;

let built: TBuiltApp;
let admin: ArenaClient;
let brokenPort: number;

interface TModelRow {
  id: string;
  slug: string;
  displayName: string;
  organization: { id: string; slug: string; name: string };
  modality: TModality;
  endpoint: string | null;
  status: "active" | "paused" | "retired";
  pausedReason: string | null;
}

interface TRaw {
  status: number;
  headers: string;
  body: string;
}

async function raw(response: Response): Promise<TRaw> {
  return { status: response.status, headers: [...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n"), body: await response.text() };
}

function ok<T>(result: { ok: true; data: T } | { ok: false; code: string; message: string }, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.code} ${result.message}`);
  return result.data;
}

const trpcInput = (value: unknown) => encodeURIComponent(JSON.stringify({ json: value }));
const postTrpc = (client: ArenaClient, procedure: string, value: unknown) =>
  client.request(`/api/trpc/${procedure}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: value }) }).then(raw);
const getTrpc = (client: ArenaClient, procedure: string, value?: unknown) =>
  client.request(`/api/trpc/${procedure}${value === undefined ? "" : `?input=${trpcInput(value)}`}`).then(raw);
const dataOf = <T>(answer: TRaw): T => (JSON.parse(answer.body) as { result: { data: { json: T } } }).result.data.json;

/** The battle's event stream until the round's `end`: status, headers, raw text and parsed events. */
async function readRound(client: ArenaClient, battleId: string): Promise<TRaw & { events: TBattleStreamEvent[] }> {
  const response = await client.request(`/api/battles/${battleId}/stream`, { headers: { accept: "text/event-stream" }, signal: AbortSignal.timeout(20_000) });
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let body = "";
  while (!body.includes('"type":"end"')) {
    const { done, value } = await reader.read();
    if (done) break;
    body += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  const events = body
    .split("\n\n")
    .filter((frame) => frame.startsWith("data: "))
    .map((frame) => JSON.parse(frame.slice(6)) as TBattleStreamEvent);
  return { status: response.status, headers, body, events };
}

function finalSides(events: TBattleStreamEvent[]): Record<TSide, TSideSnapshot> {
  return events.reduce((sides, event) => applyBattleEvent(sides, event), { a: EMPTY_SIDE, b: EMPTY_SIDE });
}

/** Every string that would tell a model: ids, slugs, display names, organizations, endpoints' hosts. */
async function identities(): Promise<string[]> {
  const models = ok(await admin.query<TModelRow[]>("adminModels.list"), "adminModels.list");
  const names = models.flatMap((model) => [model.id, model.slug, model.displayName, model.organization.name, model.organization.slug, model.organization.id]);
  const hosts = models.flatMap((model) => (model.endpoint ? [new URL(model.endpoint).host] : []));
  return [...new Set([...names, ...hosts, String(brokenPort)])];
}

function expectBlind(channel: string, text: string, secrets: readonly string[]) {
  const lower = text.toLowerCase();
  const named = secrets.filter((secret) => lower.includes(secret.toLowerCase()));
  expect(named, `${channel} names ${named.join(", ")}`).toEqual([]);
}

async function newAnnotator(): Promise<ArenaClient> {
  const client = new ArenaClient(built.app.url);
  await client.signInAsGuest();
  const status = ok(await client.query<{ termsVersion: string }>("consent.status"), "consent.status");
  ok(await client.mutation("consent.accept", { termsVersion: status.termsVersion }), "consent.accept");
  return client;
}

async function modelBySlug(slug: string): Promise<TModelRow> {
  const models = ok(await admin.query<TModelRow[]>("adminModels.list"), "adminModels.list");
  return models.find((model) => model.slug === slug)!;
}

async function changeStatus(id: string, action: "pause" | "resume" | "activate") {
  ok(await admin.mutation("adminModels.changeStatus", { id, action, reason: "blind test" }), `changeStatus ${action}`);
}

beforeAll(async () => {
  brokenPort = await freePort();
  built = await startBuiltAppOnSqlite({
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    MIN_READ_SECONDS: String(MIN_READ_SECONDS),
    MIN_LISTEN_SECONDS: String(MIN_LISTEN_SECONDS),
    CIRCUIT_BREAKER_FAILURES: "3",
    CIRCUIT_BREAKER_WINDOW_SECONDS: "600",
    GOLD_BATTLE_SHARE: "0",
  });
  admin = new ArenaClient(built.app.url);
  await admin.signInWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
  // A model whose server is down, registered the way an admin does it; every text battle pairs it with
  // Aster-1 (the other demo text models are paused).
  const organization = ok(await admin.mutation<{ id: string }>("adminModels.createOrganization", { slug: "the-provider", name: "The provider" }), "createOrganization");
  const broken = openAiCompatibleModelInput({
    slug: "local-llama-broken",
    displayName: "Local Llama",
    organizationId: organization.id,
    endpoint: `http://127.0.0.1:${brokenPort}/v1`,
    providerModelId: "llama-3-8b",
  });
  ok(await admin.mutation("adminModels.create", broken), "adminModels.create");
  const models = ok(await admin.query<TModelRow[]>("adminModels.list"), "adminModels.list");
  for (const model of models) if (model.modality === "text" && model.slug !== "aster-1" && model.slug !== "local-llama-broken") await changeStatus(model.id, "pause");
}, 300_000);

afterAll(async () => {
  await built?.remove();
});

describe("nothing reveals a battle's pair before the vote", () => {
  let battleId: string;
  let secrets: string[];

  it("keeps the models out of every response, header, stream event and error of a battle with a failed side", async () => {
    secrets = await identities();
    const annotator = await newAnnotator();
    const publicReads = async () => [
      (await getTrpc(annotator, "leaderboard.get", { modality: "text" })).body,
      (await annotator.request("/api/v1/leaderboard?modality=text").then(raw)).body,
      (await getTrpc(annotator, "release.list")).body,
    ];
    const before = await publicReads();

    const created = await postTrpc(annotator, "battle.create", { modality: "text", prompt: "What is a tide pool?", personalized: false });
    expect(created.status).toBe(200);
    battleId = dataOf<{ id: string }>(created).id;
    expectBlind("battle.create", `${created.headers}\n${created.body}`, secrets);

    const round = await readRound(annotator, battleId);
    expect(round.status).toBe(200);
    expectBlind("the event stream", `${round.headers}\n${round.body}`, secrets);
    const sides = finalSides(round.events);
    const failed = (["a", "b"] as const).find((side) => sides[side].status === "error")!;
    expect(failed).toBeDefined();
    expect(sides[failed]).toMatchObject({ errorKind: "http_error", errorMessage: "This model could not answer (connection refused)." });

    const got = await getTrpc(annotator, "battle.get", { battleId });
    expectBlind("battle.get", `${got.headers}\n${got.body}`, secrets);
    const view = dataOf<{ models: unknown; turns: Array<{ sides: Record<TSide, TSideSnapshot> }> }>(got);
    expect(view.models).toBeNull();
    expect(view.turns[0]!.sides[failed].errorMessage).toBe("This model could not answer (connection refused).");

    // Errors: a vote and a follow-up are refused because of the failed side; a retry fails again.
    const vote = await postTrpc(annotator, "battle.vote", { battleId, outcome: "model_a" });
    expect(vote.status).toBe(409);
    expectBlind("the refused vote", `${vote.headers}\n${vote.body}`, secrets);
    const followUp = await postTrpc(annotator, "battle.continue", { battleId, prompt: "And then?" });
    expect(followUp.status).toBe(409);
    expectBlind("the refused follow-up", `${followUp.headers}\n${followUp.body}`, secrets);
    const retry = await postTrpc(annotator, "battle.retrySide", { battleId, side: failed });
    expect(retry.status).toBe(200);
    expectBlind("battle.retrySide", `${retry.headers}\n${retry.body}`, secrets);
    const retried = await readRound(annotator, battleId);
    expectBlind("the retried round's stream", `${retried.headers}\n${retried.body}`, secrets);
    expect(finalSides(retried.events)[failed]).toMatchObject({ status: "error", attempt: 2 });

    // Metrics: closed to annotators and to anyone without the token.
    for (const client of [annotator, new ArenaClient(built.app.url)]) {
      const metrics = await client.request("/api/metrics").then(raw);
      expect(metrics.status).toBe(401);
      expectBlind("the refused metrics", `${metrics.headers}\n${metrics.body}`, secrets);
      const wrongToken = await client.request("/api/metrics", { headers: { authorization: "Bearer guessed-token-0123456789" } }).then(raw);
      expect(wrongToken.status).toBe(401);
    }

    // Public reads that could move with a battle have not moved.
    expect(await publicReads()).toEqual(before);

    // Controls: the channels do carry identities where they may.
    const operator = await annotator.request("/api/metrics", { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } }).then(raw);
    expect(operator.status).toBe(200);
    expect(operator.body).toMatch(/provider_requests_total\{model="local-llama-broken",status="error"\} 2/);
    const detail = ok(await admin.query<{ turns: Array<{ sides: Array<{ side: TSide; errorKind: string; errorMessage: string }> }> }>("adminQuality.battle", { battleId }), "adminQuality.battle");
    const adminSide = detail.turns[0]!.sides.find((side) => side.side === failed)!;
    expect(adminSide.errorMessage).toMatch(/local-llama-broken/);
    expect(adminSide.errorMessage).toMatch(/ECONNREFUSED/);
  }, 60_000);

  it.each(["image", "audio"] as const)("keeps the models out of a %s battle's stream, its media's headers and its media's bytes", async (modality) => {
    const annotator = await newAnnotator();
    const created = await postTrpc(annotator, "battle.create", { modality, prompt: "a lighthouse at dusk", personalized: false });
    expectBlind(`${modality} battle.create`, `${created.headers}\n${created.body}`, secrets);
    const battleId = dataOf<{ id: string }>(created).id;
    const round = await readRound(annotator, battleId);
    expectBlind(`the ${modality} stream`, `${round.headers}\n${round.body}`, secrets);
    const sides = finalSides(round.events);
    for (const side of ["a", "b"] as const) {
      const sha256 = sides[side].media?.sha256;
      expect(sha256).toMatch(/^[0-9a-f]{64}$/);
      const response = await annotator.request(`/api/media/${sha256}`);
      expect(response.status).toBe(200);
      const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
      // Metadata chunks (PNG tEXt, ID3, RIFF INFO) are readable as text: scan the bytes too.
      const bytes = Buffer.from(await response.arrayBuffer()).toString("latin1");
      expectBlind(`the ${modality} media headers of side ${side}`, headers, secrets);
      // A bare port number could turn up in random bytes by chance; names and ids cannot.
      expectBlind(`the ${modality} media bytes of side ${side}`, bytes, secrets.filter((secret) => !/^\d+$/.test(secret)));
    }
  });

  it("reveals the pair with the vote, and only then (the control for the checks above)", async () => {
    const annotator = await newAnnotator();
    const model = await modelBySlug("cobalt-analyst");
    await changeStatus(model.id, "resume");
    const broken = await modelBySlug("local-llama-broken");
    // Two healthy models for this battle: the broken one sits out.
    await changeStatus(broken.id, "pause");
    try {
      const created = dataOf<{ id: string }>(await postTrpc(annotator, "battle.create", { modality: "text", prompt: "Name a bird", personalized: false }));
      const round = await readRound(annotator, created.id);
      expectBlind("a healthy battle's stream", round.body, secrets);
      expectBlind("a healthy battle before the vote", (await getTrpc(annotator, "battle.get", { battleId: created.id })).body, secrets);
      const voted = await postTrpc(annotator, "battle.vote", { battleId: created.id, outcome: "tie" });
      expect(voted.status).toBe(200);
      expect(voted.body).toContain("Aster-1");
      expect(voted.body).toContain("Cobalt Analyst");
    } finally {
      await changeStatus(model.id, "pause");
      await changeStatus(broken.id, "resume");
    }
  }, 60_000);
});

describe("the circuit breaker", () => {
  it("pauses a model that failed real users N times in the window, with the reason for admins, and takes it out of matchmaking", async () => {
    // Resuming cleared its earlier failures (a clean slate): three fresh ones pause it.
    const annotator = await newAnnotator();
    const broken = await modelBySlug("local-llama-broken");
    expect(broken.status).toBe("active");
    for (let failure = 1; failure <= 3; failure++) {
      const created = dataOf<{ id: string }>(await postTrpc(annotator, "battle.create", { modality: "text", prompt: `Question ${failure}`, personalized: false }));
      const sides = finalSides((await readRound(annotator, created.id)).events);
      expect(Object.values(sides).filter((side) => side.status === "error")).toHaveLength(1);
      if (failure < 3) expect((await modelBySlug("local-llama-broken")).status).toBe("active");
    }
    await expect.poll(async () => (await modelBySlug("local-llama-broken")).status, { timeout: 10_000 }).toBe("paused");
    const paused = await modelBySlug("local-llama-broken");
    expect(paused.pausedReason).toMatch(/^Paused automatically: 3 failed answers in the last 10 min \(100% of 3; 3 in a row\); last: http_error: .*ECONNREFUSED/);
    // Only Aster-1 is left among the text models: no battle can start.
    const refused = await postTrpc(annotator, "battle.create", { modality: "text", prompt: "One more?", personalized: false });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain("Not enough text models");
  }, 60_000);
});

describe("vote gates on the server's clock", () => {
  beforeAll(async () => {
    const models = ok(await admin.query<TModelRow[]>("adminModels.list"), "adminModels.list");
    for (const model of models) if (model.modality === "text" && model.status === "paused" && model.slug !== "local-llama-broken") await changeStatus(model.id, "resume");
  });

  async function voteDetail(battleId: string) {
    return ok(
      await admin.query<{ vote: { countsForRating: boolean; invalidReasons: string[]; secondsToVote: number | null } }>("adminQuality.battle", { battleId }),
      "adminQuality.battle",
    ).vote;
  }

  async function readyBattle(client: ArenaClient, modality: TModality, prompt: string) {
    const created = dataOf<{ id: string }>(await postTrpc(client, "battle.create", { modality, prompt, personalized: false }));
    const sides = finalSides((await readRound(client, created.id)).events);
    expect(sides.a.status).toBe("complete");
    expect(sides.b.status).toBe("complete");
    return created.id;
  }

  it.each(["text", "image"] as const)("stores a %s vote faster than the reading floor without counting it, with the reason and the server's time-to-vote", async (modality) => {
    const annotator = await newAnnotator();
    const battleId = await readyBattle(annotator, modality, "a lighthouse at dusk");
    const voted = await annotator.mutation<{ countsForRating: boolean; invalidReasons: string[] }>("battle.vote", { battleId, outcome: "model_a" });
    expect(ok(voted, "battle.vote")).toMatchObject({ countsForRating: false, invalidReasons: ["too_fast_to_read"] });
    const stored = await voteDetail(battleId);
    expect(stored).toMatchObject({ countsForRating: false, invalidReasons: ["too_fast_to_read"] });
    expect(stored.secondsToVote).toBeGreaterThanOrEqual(0);
    expect(stored.secondsToVote).toBeLessThan(MIN_READ_SECONDS);
  });

  it("counts a text vote made after the reading floor", async () => {
    const annotator = await newAnnotator();
    const battleId = await readyBattle(annotator, "text", "Explain rainbows");
    // The gate is the server's clock itself: the only way past it is for the time to pass.
    await new Promise((resolve) => setTimeout(resolve, MIN_READ_SECONDS * 1000 + 200));
    expect(ok(await annotator.mutation("battle.vote", { battleId, outcome: "model_b" }), "battle.vote")).toMatchObject({ countsForRating: true, invalidReasons: [] });
    expect((await voteDetail(battleId)).secondsToVote).toBeGreaterThanOrEqual(MIN_READ_SECONDS);
  });

  /** A browser's events claiming five seconds of each clip, whenever the vote is really sent. */
  const forgedListening = () => {
    const at = Date.now();
    const clip = [
      { type: "play", mediaTime: 0, at },
      { type: "pause", mediaTime: 5, at: at + 5_000 },
    ];
    return { a: clip, b: clip };
  };

  it("does not count a music vote sent before both clips could have been heard, whatever the browser's events claim, and keeps them as detail", async () => {
    const annotator = await newAnnotator();
    const battleId = await readyBattle(annotator, "audio", "calm piano with rain");
    const voted = ok(await annotator.mutation<{ countsForRating: boolean; invalidReasons: string[] }>("battle.vote", { battleId, outcome: "model_a", listening: forgedListening() }), "battle.vote");
    expect(voted).toMatchObject({ countsForRating: false, invalidReasons: ["too_fast_to_listen"] });
    expect((await voteDetail(battleId)).secondsToVote).toBeLessThan(2 * MIN_LISTEN_SECONDS);
    // The browser's events and the listening they claim stay on the vote as detail.
    const database = createClient({ url: built.databaseUrl });
    try {
      const row = (await database.execute({ sql: `SELECT "listenSecondsA", "listenSecondsB", "listeningEvents" FROM "Vote" WHERE "battleId" = ?`, args: [battleId] })).rows[0]!;
      expect(Number(row.listenSecondsA)).toBeGreaterThanOrEqual(MIN_LISTEN_SECONDS);
      expect(Number(row.listenSecondsB)).toBeGreaterThanOrEqual(MIN_LISTEN_SECONDS);
      expect(JSON.parse(String(row.listeningEvents))).toMatchObject({ a: [{ type: "play" }, { type: "pause" }] });
    } finally {
      database.close();
    }
  });

  it("counts a music vote once the listening minimum of both clips has passed on the server's clock", async () => {
    const annotator = await newAnnotator();
    const battleId = await readyBattle(annotator, "audio", "a march for brass band");
    await new Promise((resolve) => setTimeout(resolve, 2 * MIN_LISTEN_SECONDS * 1000 + 200));
    const voted = ok(await annotator.mutation("battle.vote", { battleId, outcome: "model_b", listening: forgedListening() }), "battle.vote");
    expect(voted).toMatchObject({ countsForRating: true, invalidReasons: [] });
  });
});
