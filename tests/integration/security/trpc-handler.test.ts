/**
 * The app's tRPC handler (lib/server/api/handler.ts, which the fast lane and the Next route both call)
 * against tRPC's own fetch adapter as the reference for the wire format: each request below goes to
 * both, on the same router and database, and must get the same status, body, content type and Vary.
 * The adapter is used here only; the app serves every tRPC request through answerTrpc.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { createRequestContext } from "@/lib/server/api/context";
import { answerTrpc } from "@/lib/server/api/handler";
import { appRouter } from "@/lib/server/api/root";
import { createGuestUser } from "@/lib/server/services/accounts";
import { SESSION_COOKIE } from "@/lib/server/session";
import { db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";

const ORIGIN = "http://localhost:3000";
let guestCookie = "";

beforeAll(async () => {
  await resetDatabase(db);
  const guest = await createGuestUser(db);
  guestCookie = `${SESSION_COOKIE}=${await encode({ token: { uid: guest.id }, secret: env.AUTH_SECRET })}`;
});

interface TCase {
  name: string;
  method?: "GET" | "POST" | "HEAD";
  /** After /api/trpc/, with its query string. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  as?: "guest" | "anonymous";
  status: number;
}

const json = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const batch = (...values: unknown[]) => json(Object.fromEntries(values.map((value, index) => [index, { json: value }])));
const JSON_TYPE = { "content-type": "application/json" };
const MISSING_BATTLE = { battleId: "0123456789abcdef0123456789abcdef", outcome: "tie" };

const CASES: TCase[] = [
  { name: "a batched query as the browser sends it", url: `consent.status?batch=1&input=${batch(undefined)}`, as: "guest", status: 200 },
  { name: "a batch of two public queries", url: `auth.me,auth.me?batch=1&input=${json({})}`, status: 200 },
  { name: "a batch where one call fails and one succeeds (207)", url: `auth.me,consent.status?batch=1&input=${json({})}`, status: 207 },
  { name: "a batched mutation a service refuses", method: "POST", url: "battle.vote?batch=1", headers: JSON_TYPE, body: JSON.stringify({ 0: { json: MISSING_BATTLE } }), as: "guest", status: 404 },
  { name: "a batched mutation without a session", method: "POST", url: "battle.vote?batch=1", headers: JSON_TYPE, body: JSON.stringify({ 0: { json: MISSING_BATTLE } }), status: 401 },
  { name: "a batched mutation that succeeds", method: "POST", url: "consent.accept?batch=1", headers: JSON_TYPE, body: JSON.stringify({ 0: { json: { termsVersion: env.TERMS_VERSION } } }), as: "guest", status: 200 },
  { name: "a query without a session", url: "consent.status", status: 401 },
  { name: "a query with a session", url: "consent.status", as: "guest", status: 200 },
  { name: "an unknown procedure", url: "nothing.here", status: 404 },
  { name: "a path naming an Object method", url: "constructor", status: 404 },
  { name: "input of the wrong type", url: `battle.get?input=${json({ json: { battleId: 5 } })}`, as: "guest", status: 400 },
  { name: "a query whose input is not JSON", url: "battle.get?input=%7Bnot", as: "guest", status: 400 },
  { name: "a batch whose input is not an object", url: `battle.get?batch=1&input=${json([1])}`, as: "guest", status: 400 },
  { name: "a mutation with an empty body", method: "POST", url: "consent.accept", headers: JSON_TYPE, body: "", as: "guest", status: 400 },
  { name: "a body that is not JSON", method: "POST", url: "battle.vote", headers: JSON_TYPE, body: "{not json", as: "guest", status: 400 },
  { name: "a mutation with a charset in its content type", method: "POST", url: "consent.accept", headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify({ json: { termsVersion: 7 } }), as: "guest", status: 400 },
  { name: "a mutation sent with another content type", method: "POST", url: "consent.accept", headers: { "content-type": "text/plain" }, body: "{}", as: "guest", status: 415 },
  // No body: a Request given a text body would get a text/plain type of its own.
  { name: "a mutation without a content type", method: "POST", url: "consent.accept", as: "guest", status: 415 },
  { name: "a query sent as POST", method: "POST", url: "battle.get", headers: JSON_TYPE, body: JSON.stringify({ json: { battleId: "x" } }), as: "guest", status: 405 },
  { name: "a mutation sent as GET", url: `battle.vote?input=${json({ json: MISSING_BATTLE })}`, as: "guest", status: 405 },
  { name: "a batch mixing a query and a mutation", url: `auth.me,consent.accept?batch=1&input=${json({})}`, status: 400 },
  { name: "a batch over TRPC_MAX_BATCH", url: `${Array.from({ length: env.TRPC_MAX_BATCH + 1 }, () => "auth.me").join(",")}?batch=1&input=${json({})}`, status: 400 },
  { name: "a path with a broken %-escape", url: "auth.%ZZ", status: 400 },
  { name: "HEAD", method: "HEAD", url: "auth.me", status: 204 },
];

function headersOf(testCase: TCase): Headers {
  const headers = new Headers(testCase.headers);
  if (testCase.as === "guest") headers.set("cookie", guestCookie);
  return headers;
}

async function fromAdapter(testCase: TCase) {
  const request = new Request(`${ORIGIN}/api/trpc/${testCase.url}`, { method: testCase.method ?? "GET", headers: headersOf(testCase), body: testCase.body });
  const response = await fetchRequestHandler({ endpoint: "/api/trpc", req: request, router: appRouter, maxBatchSize: env.TRPC_MAX_BATCH, createContext: () => createRequestContext(request.headers) });
  return { status: response.status, contentType: response.headers.get("content-type"), vary: response.headers.get("vary"), body: await response.text() };
}

async function fromHandler(testCase: TCase) {
  const queryAt = testCase.url.indexOf("?");
  const answer = await answerTrpc({
    method: testCase.method ?? "GET",
    pathname: `/api/trpc/${queryAt === -1 ? testCase.url : testCase.url.slice(0, queryAt)}`,
    searchParams: new URLSearchParams(queryAt === -1 ? "" : testCase.url.slice(queryAt + 1)),
    headers: headersOf(testCase),
    body: testCase.body === undefined ? null : new TextEncoder().encode(testCase.body),
  });
  return { status: answer.status, contentType: answer.headers["content-type"] ?? null, vary: answer.headers.vary ?? null, body: answer.body ?? "" };
}

describe("answerTrpc answers as tRPC's fetch adapter does", () => {
  it.each(CASES)("$name", async (testCase) => {
    const reference = await fromAdapter(testCase);
    const ours = await fromHandler(testCase);
    expect(reference.status).toBe(testCase.status);
    expect(ours.status).toBe(testCase.status);
    expect(ours.contentType).toBe(reference.contentType);
    if (testCase.method !== "HEAD") expect(ours.vary).toBe(reference.vary);
    expect(ours.body === "" ? null : JSON.parse(ours.body)).toEqual(reference.body === "" ? null : JSON.parse(reference.body));
  });
});
