/**
 * The fast lane (lib/server/http/fast-lane.ts) against Next's own routes, over real HTTP: the same built
 * app runs twice, once as `npm start` serves it (the lane takes tRPC and the battle stream) and once
 * with FAST_LANE=false (Next serves everything). Every request below must get the same status, the same
 * body and the same security headers from both; the lane's own counter shows that it served them.
 */
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyBattleEvent, EMPTY_SIDE, type TBattleStreamEvent } from "@/lib/domain/battle/stream-events";
import { counterByLabel } from "@/scripts/load/app-process";
import { ArenaClient } from "@/scripts/load/arena-client";
import { startBuiltAppOnSqlite, type TBuiltApp } from "./support/built-app";

const SECURITY_HEADERS = [
  "content-security-policy",
  "x-frame-options",
  "x-content-type-options",
  "referrer-policy",
  "cross-origin-opener-policy",
  "permissions-policy",
  "strict-transport-security",
];
const MAX_JSON_BODY_BYTES = 4096;

let lane: TBuiltApp;
let next: TBuiltApp;

beforeAll(async () => {
  [lane, next] = await Promise.all([
    // A batch of 30 (over the default TRPC_MAX_BATCH) makes an answer large enough to gzip.
    startBuiltAppOnSqlite({ MAX_JSON_BODY_BYTES: String(MAX_JSON_BODY_BYTES), TRPC_MAX_BATCH: "30" }),
    startBuiltAppOnSqlite({ MAX_JSON_BODY_BYTES: String(MAX_JSON_BODY_BYTES), TRPC_MAX_BATCH: "30", FAST_LANE: "false" }),
  ]);
}, 240_000);

afterAll(async () => {
  await Promise.all([lane?.remove(), next?.remove()]);
});

const laneRequests = (app: TBuiltApp) => counterByLabel(app.app.url, "fast_lane_requests_total", "route");

interface TAnswer {
  status: number;
  contentType: string | null;
  body: string;
  headers: Record<string, string | null>;
}

async function answer(response: Response): Promise<TAnswer> {
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: await response.text(),
    headers: Object.fromEntries(SECURITY_HEADERS.map((name) => [name, response.headers.get(name)])),
  };
}

type TSend = (client: ArenaClient) => Promise<Response>;

/** A fresh guest (or nobody) on each app sends the same request; both answers are returned. */
async function onBoth(send: TSend, as: "guest" | "anonymous" = "anonymous"): Promise<[TAnswer, TAnswer]> {
  const clients = [new ArenaClient(lane.app.url), new ArenaClient(next.app.url)];
  if (as === "guest") await Promise.all(clients.map((client) => client.signInAsGuest()));
  const [fromLane, fromNext] = await Promise.all(clients.map(async (client) => answer(await send(client))));
  return [fromLane!, fromNext!];
}

const input = (value: unknown) => encodeURIComponent(JSON.stringify({ json: value }));
const postJson = (client: ArenaClient, procedure: string, value: unknown, contentType = "application/json") =>
  client.request(`/api/trpc/${procedure}`, { method: "POST", headers: { "content-type": contentType }, body: JSON.stringify({ json: value }) });

/** A batch as the browser client's link sends it: the calls' inputs keyed by their index. */
const batchInput = (...values: unknown[]) => encodeURIComponent(JSON.stringify(Object.fromEntries(values.map((value, index) => [index, { json: value }]))));
const postBatch = (client: ArenaClient, procedure: string, value: unknown) =>
  client.request(`/api/trpc/${procedure}?batch=1`, { method: "POST", headers: { "content-type": "application/json", "x-trpc-source": "react" }, body: JSON.stringify({ 0: { json: value } }) });

/** `sameBody: false`: the body holds values of its own app (times), so only its shape is compared. */
const CASES: Array<{ name: string; as?: "guest" | "anonymous"; status: number; sameBody?: false; send: TSend }> = [
  { name: "a batched query as the browser sends it", as: "guest", status: 200, send: (client) => client.request(`/api/trpc/consent.status?batch=1&input=${batchInput(undefined)}`) },
  { name: "a batched public query of two calls", status: 200, sameBody: false, send: (client) => client.request(`/api/trpc/leaderboard.get,leaderboard.get?batch=1&input=${batchInput({ modality: "text" }, { modality: "image" })}`) },
  { name: "a batched mutation a service refuses (a missing battle)", as: "guest", status: 404, send: (client) => postBatch(client, "battle.vote", { battleId: "0123456789abcdef0123456789abcdef", outcome: "tie" }) },
  { name: "a batched mutation without a session", status: 401, send: (client) => postBatch(client, "battle.create", { modality: "text", prompt: "hi", personalized: false }) },
  { name: "a query without a session", status: 401, send: (client) => client.request("/api/trpc/consent.status") },
  { name: "a query with a session", as: "guest", status: 200, send: (client) => client.request("/api/trpc/consent.status") },
  { name: "a public query", status: 200, sameBody: false, send: (client) => client.request(`/api/trpc/leaderboard.get?input=${input({ modality: "text" })}`) },
  { name: "an unknown procedure", status: 404, send: (client) => client.request("/api/trpc/nothing.here") },
  { name: "input of the wrong type", as: "guest", status: 400, send: (client) => client.request(`/api/trpc/battle.get?input=${input({ battleId: 5 })}`) },
  { name: "a query whose input is not JSON", as: "guest", status: 400, send: (client) => client.request("/api/trpc/battle.get?input=%7Bnot") },
  { name: "a mutation a service refuses (a missing battle)", as: "guest", status: 404, send: (client) => postJson(client, "battle.vote", { battleId: "0123456789abcdef0123456789abcdef", outcome: "tie" }) },
  { name: "a mutation without a session", status: 401, send: (client) => postJson(client, "battle.create", { modality: "text", prompt: "hi", personalized: false }) },
  { name: "a mutation with a charset in its content type", as: "guest", status: 400, send: (client) => postJson(client, "consent.accept", { termsVersion: 7 }, "application/json; charset=utf-8") },
  { name: "a mutation sent with another content type", as: "guest", status: 415, send: (client) => postJson(client, "consent.accept", { termsVersion: "x" }, "text/plain") },
  { name: "a query sent as POST", as: "guest", status: 405, send: (client) => postJson(client, "battle.get", { battleId: "x" }) },
  { name: "a mutation sent as GET", as: "guest", status: 405, send: (client) => client.request(`/api/trpc/battle.vote?input=${input({ battleId: "x", outcome: "tie" })}`) },
  { name: "a batch of calls", status: 401, send: (client) => client.request(`/api/trpc/consent.status,consent.status?batch=1&input=${encodeURIComponent("{}")}`) },
  {
    name: "a body that is not JSON",
    as: "guest",
    status: 400,
    send: (client) => client.request("/api/trpc/battle.vote", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" }),
  },
  {
    name: "a cross-site mutation",
    as: "guest",
    status: 403,
    send: (client) =>
      client.request("/api/trpc/battle.create", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://evil.example", "sec-fetch-site": "cross-site" },
        body: JSON.stringify({ json: { modality: "text", prompt: "hi", personalized: false } }),
      }),
  },
  {
    name: "a body over the limit with its length declared",
    as: "guest",
    status: 413,
    send: (client) =>
      client.request("/api/trpc/battle.create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { modality: "text", prompt: "x".repeat(MAX_JSON_BODY_BYTES), personalized: false } }),
      }),
  },
  // A body without a declared length never reaches either path: scripts/serve.js answers 411 (abuse.test.ts).
  { name: "another user's or a missing battle's stream", as: "guest", status: 404, send: (client) => client.request("/api/battles/0123456789abcdef0123456789abcdef/stream") },
  { name: "a battle stream without a session", status: 401, send: (client) => client.request("/api/battles/0123456789abcdef0123456789abcdef/stream") },
];

describe("the fast lane answers like Next's routes", () => {
  it.each(CASES)("$name", async ({ as, status, sameBody, send }) => {
    const before = await laneRequests(lane);
    const [fromLane, fromNext] = await onBoth(send, as);
    expect(fromLane.status).toBe(status);
    expect(fromNext.status).toBe(status);
    expect(fromLane.contentType).toBe(fromNext.contentType);
    const [laneBody, nextBody] = [JSON.parse(fromLane.body), JSON.parse(fromNext.body)];
    if (sameBody === false) expect(Object.keys(laneBody)).toEqual(Object.keys(nextBody));
    else expect(laneBody).toEqual(nextBody);
    expect(fromLane.headers).toEqual(fromNext.headers);
    expect(fromLane.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    const after = await laneRequests(lane);
    const served = (after.trpc ?? 0) + (after.battle_stream ?? 0) - (before.trpc ?? 0) - (before.battle_stream ?? 0);
    expect(served).toBeGreaterThanOrEqual(1);
  });

  it("refuses a path with a broken %-escape with a 400 and a message, where Next alone answers a bare 500", async () => {
    for (const pathname of ["/api/battles/%ZZ/stream", "/api/auth/%ZZ", "/releases/%E0%A4%A"]) {
      const [fromLane, fromNext] = await Promise.all([fetch(`${lane.app.url}${pathname}`), fetch(`${next.app.url}${pathname}`)]);
      expect(fromNext.status).toBe(500);
      expect(fromLane.status).toBe(400);
      expect(await fromLane.text()).toMatch(/broken %-escape/);
      expect(fromLane.headers.get("x-frame-options")).toBe("DENY");
    }
    expect((await laneRequests(lane)).malformed_path).toBeGreaterThanOrEqual(3);
  });

  it("leaves every request to Next when FAST_LANE=false", async () => {
    await new ArenaClient(next.app.url).request("/api/trpc/consent.status");
    expect(await laneRequests(next)).toEqual({});
  });

  it("leaves other routes to Next (next-auth, health, pages)", async () => {
    const before = await laneRequests(lane);
    const responses = await Promise.all(["/api/auth/csrf", "/api/health", "/arena"].map((pathname) => fetch(`${lane.app.url}${pathname}`)));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(await laneRequests(lane)).toEqual(before);
  });

  it("gzips a larger answer for a client that accepts it, and not for one that does not", async () => {
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 30 }, (_, index) => [index, { json: { modality: "text" } }]))));
    const url = `${lane.app.url}/api/trpc/${Array.from({ length: 30 }, () => "leaderboard.get").join(",")}?batch=1&input=${input}`;
    // fetch would decode gzip itself; ask for the raw bytes through node's http client instead.
    const http = await import("node:http");
    const raw = (acceptEncoding: string) =>
      new Promise<{ encoding: string | undefined; vary: string | undefined; bytes: Buffer }>((resolve, reject) => {
        http
          .get(url, { headers: { "accept-encoding": acceptEncoding } }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => resolve({ encoding: response.headers["content-encoding"], vary: response.headers.vary, bytes: Buffer.concat(chunks) }));
          })
          .on("error", reject);
      });
    const [zipped, plain] = await Promise.all([raw("gzip, deflate, br"), raw("identity")]);
    expect(plain.encoding).toBeUndefined();
    expect(plain.bytes.length).toBeGreaterThan(1024);
    expect(zipped.encoding).toBe("gzip");
    // tRPC's own Vary stays, and both variants say they depend on Accept-Encoding.
    expect(zipped.vary).toBe("trpc-accept, accept, Accept-Encoding");
    expect(plain.vary).toBe(zipped.vary);
    expect(zipped.bytes.length).toBeLessThan(plain.bytes.length);
    expect(JSON.parse(gunzipSync(zipped.bytes).toString("utf8"))).toEqual(JSON.parse(plain.bytes.toString("utf8")));
  });

  it("streams a battle's answers whose merged deltas rebuild the stored text, then takes the vote", async () => {
    const client = new ArenaClient(lane.app.url);
    await client.signInAsGuest();
    const status = await client.query<{ termsVersion: string }>("consent.status");
    expect(status.ok && (await client.mutation("consent.accept", { termsVersion: status.data.termsVersion })).ok).toBe(true);
    const created = await client.mutation<{ id: string }>("battle.create", { modality: "text", prompt: "Explain how tides work.", personalized: false });
    if (!created.ok) throw new Error(created.message);

    const response = await client.request(`/api/battles/${created.data.id}/stream`);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const events = (await response.text())
      .split("\n\n")
      .filter((frame) => frame.startsWith("data: "))
      .map((frame) => JSON.parse(frame.slice(6)) as TBattleStreamEvent);
    expect(events[0]?.type).toBe("snapshot");
    expect(events.slice(-2).map((event) => event.type)).toEqual(["ready", "end"]);
    const sides = events.reduce(applyBattleEvent, { a: EMPTY_SIDE, b: EMPTY_SIDE });

    const view = await client.query<{ turns: Array<{ sides: typeof sides }> }>("battle.get", { battleId: created.data.id });
    if (!view.ok) throw new Error(view.message);
    expect(sides.a.text).toBe(view.data.turns[0]!.sides.a.text);
    expect(sides.b.text).toBe(view.data.turns[0]!.sides.b.text);
    expect(sides.a.text.length).toBeGreaterThan(0);

    const vote = await client.mutation<{ models: { a: { slug: string } } }>("battle.vote", { battleId: created.data.id, outcome: "tie" });
    expect(vote.ok).toBe(true);
  });
});
