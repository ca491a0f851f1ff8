/**
 * Abuse costs more than it gains (issue 17), over real HTTP against the built app as `npm start` serves
 * it (scripts/serve.js: the fast lane and Next): trusted proxies, bounded batches, methods and bodies
 * refused at the door, throttled identity endpoints, sessions that end, and the small items (export
 * file names, internal error texts, the nonce policy, the media route's own policy, prompt length).
 *
 * Two apps run: `proxied` trusts the loopback address as its reverse proxy (so each test can play a
 * client address of its own through X-Forwarded-For), `direct` trusts nobody and leaves every request
 * to Next's routes (FAST_LANE=false).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArenaClient } from "@/scripts/load/arena-client";
import { startBuiltAppOnSqlite, type TBuiltApp } from "./support/built-app";

const ADMIN = { email: "admin@abuse.test", password: "admin-password-abuse" };
const LIMITS = { RATE_LIMIT_GUESTS_PER_HOUR: "3", RATE_LIMIT_SIGN_UPS_PER_HOUR: "4", RATE_LIMIT_SIGN_INS_PER_MINUTE: "1000", SIGN_IN_FREE_FAILURES: "3" };

let proxied: TBuiltApp;
let direct: TBuiltApp;

beforeAll(async () => {
  [proxied, direct] = await Promise.all([
    startBuiltAppOnSqlite({ ...LIMITS, TRUSTED_PROXIES: "127.0.0.1/32,::1/128", ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }),
    startBuiltAppOnSqlite({ ...LIMITS, FAST_LANE: "false" }),
  ]);
}, 300_000);

afterAll(async () => {
  await Promise.all([proxied?.remove(), direct?.remove()]);
});

let addressCounter = 0;
/** A client address of its own for each use (TEST-NET-2), so the per-address limits of tests stay apart. */
const freshAddress = () => `198.51.100.${++addressCounter}`;
const clientFrom = (app: TBuiltApp, address: string, extra: Record<string, string> = {}) => new ArenaClient(app.app.url, { "x-forwarded-for": address, ...extra });

/** Between polls of a condition (a backoff running out), not instead of one. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TRawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request over node:http (fetch refuses TRACE and cannot send a chunked body without a length). */
function rawRequest(app: TBuiltApp, method: string, pathname: string, { headers = {}, chunks }: { headers?: Record<string, string>; chunks?: string[] } = {}): Promise<TRawResponse> {
  const url = new URL(pathname, app.app.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ method, host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers: { origin: app.app.url, ...headers } }, (response) => {
      const parts: Buffer[] = [];
      response.on("data", (part: Buffer) => parts.push(part));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    for (const chunk of chunks ?? []) request.write(chunk);
    request.end();
  });
}

/** next-auth's credentials sign-in as the sign-in form sends it; `error` is what the form would show. */
async function signIn(client: ArenaClient, email: string, password: string): Promise<{ status: number; error: string | null }> {
  const { csrfToken } = (await (await client.request("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await client.request("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: client.baseUrl }).toString(),
  });
  const { url } = (await response.json()) as { url: string };
  return { status: response.status, error: new URL(url).searchParams.get("error") };
}

async function signOut(client: ArenaClient): Promise<void> {
  const { csrfToken } = (await (await client.request("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await client.request("/api/auth/signout", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, json: "true", callbackUrl: client.baseUrl }).toString(),
  });
  await response.body?.cancel();
}

/** A new account with a session: signs up, then signs in. */
async function newAccount(app: TBuiltApp, address = freshAddress()): Promise<{ client: ArenaClient; email: string; password: string; address: string }> {
  const client = clientFrom(app, address);
  const email = `person-${createHash("sha256").update(`${address}-${Math.random()}`).digest("hex").slice(0, 10)}@example.com`;
  const password = "a-long-enough-password";
  const signedUp = await client.mutation("auth.signUp", { email, password });
  expect(signedUp.ok, JSON.stringify(signedUp)).toBe(true);
  expect((await signIn(client, email, password)).error).toBeNull();
  return { client, email, password, address };
}

/** The session's user id, as the app sees it on this request (null: no session). */
async function whoAmI(app: TBuiltApp, cookie: string): Promise<string | null> {
  const response = await rawRequest(app, "GET", "/api/trpc/auth.me", { headers: { cookie } });
  return (JSON.parse(response.body) as { result: { data: { json: { id: string } | null } } }).result.data.json?.id ?? null;
}

describe("trusted proxies", () => {
  it("ignores X-Forwarded-For from a client that is not a trusted proxy: made-up addresses share the socket's guest limit", async () => {
    const results = [];
    for (let guest = 0; guest < 4; guest++) {
      const client = clientFrom(direct, freshAddress());
      results.push(await client.signInAsGuest().then(() => "ok", (error: Error) => error.message));
    }
    expect(results.slice(0, 3)).toEqual(["ok", "ok", "ok"]);
    expect(results[3]).toMatch(/no session cookie/);
  });

  it("believes X-Forwarded-For through a trusted proxy, reading past it from the right: a made-up left part changes nothing", async () => {
    const address = freshAddress();
    for (let guest = 0; guest < 3; guest++) await clientFrom(proxied, address).signInAsGuest();
    await expect(clientFrom(proxied, `203.0.113.77, ${address}`).signInAsGuest()).rejects.toThrow(/no session cookie/);
    await expect(clientFrom(proxied, freshAddress()).signInAsGuest()).resolves.toBeUndefined();
  });

  it("sets Secure cookies when the request came over HTTPS through a trusted proxy, and only then", async () => {
    const secure = clientFrom(proxied, freshAddress(), { "x-forwarded-proto": "https" });
    await secure.signInAsGuest();
    expect(secure.cookieHeader).toMatch(/__Secure-next-auth\.session-token=/);
    expect(await whoAmI(proxied, secure.cookieHeader)).not.toBeNull();
    const response = await rawRequest(direct, "GET", "/api/auth/csrf", { headers: { "x-forwarded-proto": "https" } });
    expect(String(response.headers["set-cookie"])).not.toMatch(/Secure/i);
  });
});

describe("bounded batches and methods", () => {
  const batch = (calls: number) => `/api/trpc/${Array(calls).fill("release.list").join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify({}))}`;

  it.each([["fast lane", () => proxied], ["Next's route", () => direct]] as const)("answers a batch of TRPC_MAX_BATCH calls and refuses one more with a clear 400 (%s)", async (_label, app) => {
    expect((await rawRequest(app(), "GET", batch(10))).status).toBe(200);
    const refused = await rawRequest(app(), "GET", batch(1000));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatch(/at most 10 calls/);
  });

  it.each([
    ["TRACE", "/api/trpc/release.list"],
    ["TRACE", "/"],
    ["PROPFIND", "/api/health"],
  ])("answers %s %s with 405 on both paths", async (method, pathname) => {
    for (const app of [proxied, direct]) {
      const response = await rawRequest(app, method, pathname);
      expect(response.status).toBe(405);
      expect(response.headers.allow).toMatch(/GET/);
      expect(JSON.parse(response.body).error).toMatch(/not allowed/);
    }
  });

  it("answers CONNECT (which Node hands to a handler of its own) with 405 too", async () => {
    for (const app of [proxied, direct]) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(app.app.port, "127.0.0.1", () => socket.write("CONNECT /api/trpc/auth.me HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        let received = "";
        socket.on("data", (chunk: Buffer) => (received += chunk.toString("utf8")));
        socket.on("end", () => resolve(received));
        socket.on("error", reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 405 /);
      expect(answer).toMatch(/not allowed/);
    }
  });

  it("refuses a chunked body (411) and a declared length over the limit (413) before reading it", async () => {
    const chunked = await rawRequest(direct, "POST", "/api/trpc/auth.signUp", { headers: { "content-type": "application/json", "transfer-encoding": "chunked" }, chunks: ['{"json":', "{}}"] });
    expect(chunked.status).toBe(411);
    const credentials = await rawRequest(proxied, "POST", "/api/auth/callback/credentials", { headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" }, chunks: ["a=", "b"] });
    expect(credentials.status).toBe(411);
    const declared = await rawRequest(direct, "POST", "/api/auth/callback/credentials", { headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(50 * 1024 * 1024) } });
    expect(declared.status).toBe(413);
  });

  it("refuses a chunked body on the fast lane's routes too, so both paths answer alike", async () => {
    const response = await rawRequest(proxied, "POST", "/api/trpc/auth.signUp", {
      headers: { "content-type": "application/json", "transfer-encoding": "chunked", "x-forwarded-for": freshAddress() },
      chunks: ['{"json":{"email":"not-an-email",', '"password":"x"}}'],
    });
    expect(response.status).toBe(411);
  });
});

describe("throttled identity endpoints", () => {
  it("backs off exponentially after repeated failed sign-ins, for the right password too, then lets the owner in", async () => {
    const { email, password, address } = await newAccount(proxied);
    const client = clientFrom(proxied, address);
    for (let attempt = 0; attempt < 4; attempt++) expect((await signIn(client, email, "wrong-password-123")).error).toBe("CredentialsSignin");
    const refused = await signIn(client, email, password);
    expect(refused.status).toBe(401);
    expect(refused.error).toMatch(/Too many sign-in attempts from here — try again in 1 second/);
    // The account's backoff holds from any address.
    expect((await signIn(clientFrom(proxied, freshAddress()), email, password)).error).toMatch(/Too many sign-in attempts/);
    const deadline = Date.now() + 5_000;
    let result = await signIn(client, email, "wrong-password-123");
    while (result.error !== "CredentialsSignin" && Date.now() < deadline) {
      await pause(100);
      result = await signIn(client, email, "wrong-password-123");
    }
    expect(result.error).toBe("CredentialsSignin");
    expect((await signIn(client, email, password)).error).toMatch(/try again in 2 seconds/);
    let signedIn = await signIn(clientFrom(proxied, freshAddress()), email, password);
    while (signedIn.error !== null && Date.now() < deadline + 5_000) {
      await pause(100);
      signedIn = await signIn(clientFrom(proxied, freshAddress()), email, password);
    }
    expect(signedIn.error).toBeNull();
  });

  it("takes as long for an unknown email as for a known one", async () => {
    const { email, password } = await newAccount(proxied);
    const timed = async (who: string, secret: string) => {
      const client = clientFrom(proxied, freshAddress());
      const { csrfToken } = (await (await client.request("/api/auth/csrf")).json()) as { csrfToken: string };
      const started = performance.now();
      await client.request("/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken, email: who, password: secret, json: "true", callbackUrl: client.baseUrl }).toString(),
      });
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let round = 0; round < 5; round++) {
      known.push(await timed(email, password));
      unknown.push(await timed(`nobody-${round}@example.com`, password));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[2]!;
    // Without the check against a stand-in hash an unknown email answered in a few ms, a known one in ~100 ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.6);
  });

  it("limits sign-ups per address and per email, so sign-up cannot be used to test many emails", async () => {
    const { email } = await newAccount(proxied);
    const address = freshAddress();
    const attempts = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      attempts.push(await clientFrom(proxied, address).mutation("auth.signUp", { email: attempt === 0 ? email : `other-${attempt}-${address}@example.com`, password: "a-long-enough-password" }));
    }
    expect(attempts[0]).toMatchObject({ ok: false, status: 409 });
    expect(attempts.slice(1, 4).every((attempt) => attempt.ok)).toBe(true);
    expect(attempts[4]).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/Too many sign-ups from here/) });
    // Per email: from fresh addresses, the same email is answered at most 3 times an hour (its own sign-up was the first).
    const perEmail = [];
    for (let attempt = 0; attempt < 2; attempt++) perEmail.push((await clientFrom(proxied, freshAddress()).mutation("auth.signUp", { email, password: "a-long-enough-password" })).status);
    expect(perEmail).toEqual([409, 429]);
  });
});

describe("revocable sessions", () => {
  it("signing out ends every session of the user: a copied cookie no longer works", async () => {
    const { client, email, password, address } = await newAccount(proxied);
    const other = clientFrom(proxied, address);
    expect((await signIn(other, email, password)).error).toBeNull();
    const copied = client.cookieHeader;
    const userId = await whoAmI(proxied, copied);
    expect(userId).not.toBeNull();
    await signOut(client);
    expect(await whoAmI(proxied, copied)).toBeNull();
    expect(await whoAmI(proxied, other.cookieHeader)).toBeNull();
    // next-auth's own session endpoint refuses it too.
    const session = await rawRequest(proxied, "GET", "/api/auth/session", { headers: { cookie: copied } });
    expect(JSON.parse(session.body)).toEqual({});
    expect((await signIn(client, email, password)).error).toBeNull();
    expect(await whoAmI(proxied, client.cookieHeader)).toBe(userId);
  });

  it("a password change ends every session, the one that changed it too; the new password signs in", async () => {
    const { client, email, password, address } = await newAccount(proxied);
    const other = clientFrom(proxied, address);
    expect((await signIn(other, email, password)).error).toBeNull();
    const wrong = await client.mutation("account.changePassword", { currentPassword: "not-the-password", newPassword: "another-long-password" });
    expect(wrong).toMatchObject({ ok: false, status: 400 });
    expect(await whoAmI(proxied, other.cookieHeader)).not.toBeNull();
    expect((await client.mutation("account.changePassword", { currentPassword: password, newPassword: "another-long-password" })).ok).toBe(true);
    expect(await whoAmI(proxied, other.cookieHeader)).toBeNull();
    expect(await whoAmI(proxied, client.cookieHeader)).toBeNull();
    expect((await signIn(other, email, password)).error).toBe("CredentialsSignin");
    expect((await signIn(other, email, "another-long-password")).error).toBeNull();
  });

  it("a ban ends the user's sessions for good (an unban does not revive them); deletion ends them too", async () => {
    const admin = clientFrom(proxied, freshAddress());
    expect((await signIn(admin, ADMIN.email, ADMIN.password)).error).toBeNull();
    const banned = await newAccount(proxied);
    const copied = banned.client.cookieHeader;
    const userId = (await whoAmI(proxied, copied))!;
    expect((await admin.mutation("adminUsers.setBanned", { userId, banned: true })).ok).toBe(true);
    expect(await whoAmI(proxied, copied)).toBeNull();
    expect((await admin.mutation("adminUsers.setBanned", { userId, banned: false })).ok).toBe(true);
    expect(await whoAmI(proxied, copied)).toBeNull();

    const deleted = await newAccount(proxied);
    const deletedCookie = deleted.client.cookieHeader;
    expect((await deleted.client.mutation("account.delete", { confirmation: "delete my account" })).ok).toBe(true);
    expect(await whoAmI(proxied, deletedCookie)).toBeNull();
  });
});

describe("small items", () => {
  it("names the owner export after the organization's slug, RFC 6266 encoded, whatever id the request carries", async () => {
    const admin = clientFrom(proxied, freshAddress());
    expect((await signIn(admin, ADMIN.email, ADMIN.password)).error).toBeNull();
    const database = createClient({ url: proxied.databaseUrl });
    const [organization] = (await database.execute(`SELECT "id", "slug" FROM "Organization" LIMIT 1`)).rows;
    database.close();
    const real = await admin.request(`/api/v1/owner/battles?organizationId=${encodeURIComponent(String(organization!.id))}`);
    expect(real.status).toBe(200);
    expect(real.headers.get("content-disposition")).toBe(`attachment; filename="battles-${String(organization!.slug)}.jsonl"; filename*=UTF-8''battles-${String(organization!.slug)}.jsonl`);
    await real.body?.cancel();
    for (const hostile of ['a"b', "a\r\nSet-Cookie: x=1", "ünïcødé", "../../etc/passwd"]) {
      const response = await admin.request(`/api/v1/owner/battles?organizationId=${encodeURIComponent(hostile)}`);
      expect(response.status, hostile).toBe(200);
      expect(response.headers.get("content-disposition"), hostile).toBe(`attachment; filename="battles-organization.jsonl"; filename*=UTF-8''battles-organization.jsonl`);
      expect(response.headers.get("set-cookie"), hostile).toBeNull();
      await response.body?.cancel();
    }
  });

  it("answers a 100,000-deep superjson meta with a clear 400, never the internal error text", async () => {
    const deep = `{"json":{"email":"x"},"meta":{"values":{"email":${"[".repeat(100_000)}${"]".repeat(100_000)}}}}`;
    for (const app of [proxied, direct]) {
      const client = clientFrom(app, freshAddress());
      const response = await client.request("/api/trpc/auth.signUp", { method: "POST", headers: { "content-type": "application/json" }, body: deep });
      const body = await response.text();
      expect(response.status).toBe(400);
      expect(body).not.toMatch(/call stack|RangeError|superjson/i);
      expect(body).toMatch(/could not be read/);
    }
  });

  it("gives each page a fresh script nonce, never 'unsafe-inline' for scripts, and Next's scripts carry it", async () => {
    const first = await fetch(`${proxied.app.url}/leaderboard`);
    const second = await fetch(`${proxied.app.url}/leaderboard`);
    const policy = first.headers.get("content-security-policy")!;
    const scriptSources = /script-src ([^;]+)/.exec(policy)![1]!;
    expect(scriptSources).not.toMatch(/unsafe-inline/);
    const nonce = /'nonce-([^']+)'/.exec(scriptSources)![1]!;
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    await second.body?.cancel();
  });

  it("keeps the media route's own sandbox policy", async () => {
    const bytes = Buffer.from("not really a picture");
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const folder = path.join(proxied.folder, "media", sha256.slice(0, 2), sha256.slice(2, 4));
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, sha256), bytes);
    writeFileSync(path.join(folder, `${sha256}.mime`), "image/png");
    const response = await fetch(`${proxied.app.url}/api/media/${sha256}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    const api = await fetch(`${proxied.app.url}/api/health`);
    expect(api.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("counts a prompt's length in characters, and refuses a prompt of invisible characters with a clear message", async () => {
    const guest = clientFrom(proxied, freshAddress());
    await guest.signInAsGuest();
    expect((await guest.mutation("consent.accept", { termsVersion: "2026-11" })).ok).toBe(true);
    const emoji = await guest.mutation("battle.create", { modality: "text", prompt: "😀".repeat(8_000), personalized: false });
    expect(emoji.ok, JSON.stringify(emoji)).toBe(true);
    const tooLong = await guest.mutation("battle.create", { modality: "text", prompt: "😀".repeat(8_001), personalized: false });
    expect(tooLong).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/at most 8000 characters/) });
    const invisible = await guest.mutation("battle.create", { modality: "text", prompt: "\u200B\u200C\u200D\uFEFF\u2060", personalized: false });
    expect(invisible).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/no visible characters/) });
  });
});
