/**
 * Faults during load, against the built app over HTTP: the app process killed (SIGKILL) and restarted,
 * PostgreSQL crashed and restarted (a private server, see support/private-postgres.ts), a model
 * provider going down and coming back. In each case: every vote a client got a success answer for is
 * in the database with its outcome, no battle has two votes, and the app recovers by itself (health 200,
 * and votes are acknowledged again after the fault, under the same load).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeProviderServer, type FakeProviderServer } from "@/tests/fixtures/fake-providers/server";
import { ArenaClient } from "@/scripts/load/arena-client";
import { freePort, startApp, type TAppProcess, type TAppProcessOptions } from "@/scripts/load/app-process";
import { checkStoredVotes } from "@/scripts/load/stored-votes";
import { runVoteLoad, type TVoteLoadResult } from "@/scripts/load/vote-load";
import { SECURITY_DIST_DIR } from "../security/support/built-app";
import { startPrivatePostgres } from "./support/private-postgres";
import { openAiCompatibleModelInput } from "../helpers/model-input";

const LOAD_ENV = {
  DEMO_TOKENS_PER_SECOND: "100000",
  RATE_LIMIT_BATTLES_PER_MINUTE: "1000000",
  RATE_LIMIT_VOTES_PER_MINUTE: "1000000",
  DAILY_VOTE_CAP: "1000000",
  BACKGROUND_JOBS: "false",
};
const ADMIN = { email: "faults-admin@example.org", password: "faults-admin-password" };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function scratchFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), "arena-faults-"));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs the vote load, injects the fault once `votesBeforeFault` votes were acknowledged, then keeps the
 * load on until `votesAfterFault` more were acknowledged after the fault ended (recovery under load).
 */
async function loadThroughFault(options: {
  url: () => string;
  /** Gets the live load result, to wait for its effects while the fault lasts. */
  fault: (live: () => TVoteLoadResult | null) => Promise<void>;
  votesBeforeFault?: number;
  votesAfterFault?: number;
}) {
  const stop = new AbortController();
  let live: TVoteLoadResult | null = null;
  const acknowledged = () => live?.acknowledged.length ?? 0;
  const loading = runVoteLoad({ baseUrl: options.url, annotators: 8, durationMs: 240_000, signal: stop.signal, requestTimeoutMs: 8_000, onProgress: (result) => (live = result) });
  try {
    await until(() => acknowledged() >= (options.votesBeforeFault ?? 20), "votes before the fault");
    await options.fault(() => live);
    const afterFault = acknowledged();
    await until(() => acknowledged() >= afterFault + (options.votesAfterFault ?? 20), "votes acknowledged again after the fault", 120_000);
  } finally {
    stop.abort();
  }
  return loading;
}

async function expectNothingLost(databaseUrl: string, load: TVoteLoadResult) {
  const stored = await checkStoredVotes(databaseUrl, load.acknowledged);
  expect(stored.acknowledged).toBeGreaterThan(40);
  expect(stored.missing).toEqual([]);
  expect(stored.wrongOutcome).toEqual([]);
  expect(stored.battlesWithSeveralVotes).toBe(0);
}

async function expectRecovered(url: string) {
  expect((await fetch(`${url}/api/health`)).status).toBe(200);
  const client = new ArenaClient(url);
  await client.signInAsGuest();
  const status = await client.query<{ termsVersion: string }>("consent.status");
  expect(status.ok && (await client.mutation("consent.accept", { termsVersion: status.data.termsVersion })).ok).toBe(true);
  const battle = await client.mutation<{ id: string }>("battle.create", { prompt: "Are you back?", personalized: false });
  expect(battle.ok).toBe(true);
  if (!battle.ok) return;
  expect((await client.waitForAnswers(battle.data.id)).outcome).toBe("ready");
  expect((await client.mutation("battle.vote", { battleId: battle.data.id, outcome: "tie" })).ok).toBe(true);
}

async function startTracked(options: Omit<TAppProcessOptions, "distDir">): Promise<TAppProcess> {
  const app = await startApp({ distDir: SECURITY_DIST_DIR, healthTimeoutMs: 120_000, ...options });
  cleanups.push(() => app.stop("SIGKILL"));
  return app;
}

describe("faults under load", () => {
  it("the app process killed with SIGKILL and restarted: no acknowledged vote lost, none doubled", async () => {
    const folder = scratchFolder();
    const databaseUrl = `file:${path.join(folder, "arena.db")}`;
    const port = await freePort();
    const env = { ...LOAD_ENV, MEDIA_DIR: path.join(folder, "media") };
    let app = await startTracked({ databaseUrl, port, env });
    const load = await loadThroughFault({
      url: () => app.url,
      fault: async () => {
        await app.stop("SIGKILL");
        app = await startTracked({ databaseUrl, port, env, skipPrepare: true });
      },
    });
    expect(Object.keys(load.failures).length).toBeGreaterThan(0);
    await expectNothingLost(databaseUrl, load);
    await expectRecovered(app.url);
  }, 600_000);

  it("PostgreSQL crashed and restarted during load: no acknowledged vote lost, the app reconnects by itself", async () => {
    const postgres = await startPrivatePostgres();
    cleanups.push(() => postgres.stop());
    const folder = scratchFolder();
    const databaseUrl = `${postgres.serverUrl}arena_faults`;
    const app = await startTracked({ databaseUrl, env: { ...LOAD_ENV, MEDIA_DIR: path.join(folder, "media") } });
    const load = await loadThroughFault({ url: () => app.url, fault: () => postgres.crashAndRestart() });
    await expectNothingLost(databaseUrl, load);
    await expectRecovered(app.url);
    expect(app.child.exitCode).toBeNull();
  }, 600_000);

  it("a model provider down during load (text adapters on the provider thread): its battles get no vote, it is paused automatically, the arena goes on", async () => {
    const provider: FakeProviderServer = await startFakeProviderServer();
    cleanups.push(() => provider.close().catch(() => undefined));
    const folder = scratchFolder();
    const databaseUrl = `file:${path.join(folder, "arena.db")}`;
    // The text-provider thread as the built app starts it: the provider's failures cross it like its answers.
    const app = await startTracked({ databaseUrl, env: { ...LOAD_ENV, MEDIA_DIR: path.join(folder, "media"), ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
    const admin = await signInAsAdmin(app.url);
    const fakeModelId = await useFakeProviderModelWithTwoDemoModels(admin, provider.url);

    const load = await loadThroughFault({
      url: () => app.url,
      fault: async (live) => {
        const before = failureCount(live());
        await provider.close();
        // CIRCUIT_BREAKER_FAILURES (3 by default) failed answers pause the model: at least that many battles fail.
        await until(() => failureCount(live()) >= before + 3, "failed battles while the provider is down");
        // The circuit breaker takes the model out of matchmaking; no one has to step in for the arena to go on.
        await until(async () => (await modelStatus(admin, fakeModelId)) === "paused", "the failing model paused automatically");
      },
    });
    const audit = await admin.query<{ items: Array<{ action: string; targetId: string | null }> }>("adminUsers.auditLog", { action: "model.auto_paused" });
    expect(audit.ok && audit.data.items.map((entry) => entry.targetId)).toEqual([fakeModelId]);
    await expectNothingLost(databaseUrl, load);
    await expectRecovered(app.url);
  }, 600_000);
});

const failureCount = (load: TVoteLoadResult | null) => Object.values(load?.failures ?? {}).reduce((sum, count) => sum + count, 0);

async function signInAsAdmin(url: string): Promise<ArenaClient> {
  const admin = new ArenaClient(url);
  const csrf = (await (await admin.request("/api/auth/csrf")).json()) as { csrfToken: string };
  await admin.request("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken: csrf.csrfToken, email: ADMIN.email, password: ADMIN.password, json: "true" }).toString(),
  });
  const me = await admin.query<{ role: string } | null>("auth.me");
  if (!me.ok || me.data?.role !== "admin") throw new Error(`admin sign-in failed: ${JSON.stringify(me).slice(0, 300)}`);
  return admin;
}

type TAdminModel = { id: string; slug: string; modality: string; status: string };

async function modelStatus(admin: ArenaClient, modelId: string): Promise<string | undefined> {
  const models = await admin.query<TAdminModel[]>("adminModels.list");
  return models.ok ? models.data.find((model) => model.id === modelId)?.status : undefined;
}

/** Through the admin API: one text model on the fake provider, plus two offline demo models; the rest retired. */
async function useFakeProviderModelWithTwoDemoModels(admin: ArenaClient, providerUrl: string): Promise<string> {
  const organizations = await admin.query<Array<{ id: string }>>("adminModels.organizations");
  if (!organizations.ok) throw new Error(organizations.message);
  const created = await admin.mutation<{ id: string }>(
    "adminModels.create",
    openAiCompatibleModelInput({
      slug: "fault-provider-model",
      displayName: "Fault provider model",
      organizationId: organizations.data[0]!.id,
      endpoint: `${providerUrl}/v1`,
      providerModelId: "fake-ok",
      maxTokens: 64,
      maxConcurrency: 64,
    }),
  );
  if (!created.ok) throw new Error(`could not register the fake provider model: ${created.message}`);
  const models = await admin.query<TAdminModel[]>("adminModels.list");
  if (!models.ok) throw new Error(models.message);
  const demoText = models.data.filter((model) => model.modality === "text" && model.status === "active" && model.id !== created.data.id);
  for (const model of demoText.slice(2)) {
    const retired = await admin.mutation("adminModels.changeStatus", { id: model.id, action: "retire" });
    if (!retired.ok) throw new Error(`could not retire ${model.slug}: ${retired.message}`);
  }
  return created.data.id;
}
