/**
 * The authorization matrix: every tRPC procedure and every API route handler against every role, with
 * the expected allow or deny. Procedures come from `appRouter._def.procedures` and routes from the files
 * under app/api, so a new procedure or route without an entry here fails the test.
 *
 * Deny = UNAUTHORIZED / FORBIDDEN (tRPC) or 401 / 403 (routes); anything else (including BAD_REQUEST
 * for deliberately minimal input) means the request got past authorization.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { env } from "@/lib/env";
import { appRouter, createCaller } from "@/lib/server/api/root";
import { createGuestUser, type SessionUser } from "@/lib/server/services/accounts";
import { createUserWithRole, db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";

/** lib/env reads the environment once, when first imported: the token must be in place before. */
const MATRIX_METRICS_TOKEN = vi.hoisted(() => (process.env.METRICS_TOKEN = "authorization-matrix-metrics-token"));
/** The matrix calls every procedure once per role within a minute: limits high enough that only permissions answer. */
vi.hoisted(() => {
  process.env.RATE_LIMIT_BATTLES_PER_MINUTE = "1000000";
  process.env.RATE_LIMIT_VOTES_PER_MINUTE = "1000000";
});

/** Route handlers read the session through these two modules (getServerSession needs Next's request scope). */
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/server/session", () => ({ getCurrentUser: async () => session.user }));
vi.mock("@/lib/server/api/context", async () => {
  const { db: database } = await import("@/lib/server/db");
  return { clientIp: () => null, createRequestContext: async () => ({ db: database, user: session.user, ip: null }) };
});

const ROLES = ["anonymous", "guest", "annotator", "researcher", "ownerA", "ownerB", "admin"] as const;
type TMatrixRole = (typeof ROLES)[number];

/** Who may pass, as explicit role lists (deliberately not derived from lib/domain/auth/roles.ts). */
const EVERYONE: readonly TMatrixRole[] = ROLES;
const SIGNED_IN: readonly TMatrixRole[] = ["guest", "annotator", "researcher", "ownerA", "ownerB", "admin"];
const ACCOUNTS: readonly TMatrixRole[] = ["annotator", "researcher", "ownerA", "ownerB", "admin"];
const TOKEN_HOLDERS: readonly TMatrixRole[] = ["researcher", "ownerA", "ownerB", "admin"];
const MODEL_OWNERS: readonly TMatrixRole[] = ["ownerA", "ownerB", "admin"];
const ORG_A: readonly TMatrixRole[] = ["ownerA", "admin"];
const ADMIN: readonly TMatrixRole[] = ["admin"];

interface TFixtures {
  organizationA: string;
  organizationB: string;
  modelA: string;
}

interface TProcedureEntry {
  allowed: readonly TMatrixRole[];
  /** Minimal input; invalid input is fine where the check precedes validation. */
  input?: (fixtures: TFixtures) => unknown;
}

const MISSING_ID = "does-not-exist";

const PROCEDURES: Record<string, TProcedureEntry> = {
  "auth.me": { allowed: EVERYONE },
  "auth.access": { allowed: SIGNED_IN, input: () => ({ scope: "leaderboard:view" }) },
  "auth.signUp": { allowed: EVERYONE, input: () => ({ email: "not-an-email", password: "x" }) },

  "battle.create": { allowed: SIGNED_IN, input: () => ({ modality: "text", prompt: "", personalized: false }) },
  "battle.get": { allowed: SIGNED_IN, input: () => ({ battleId: MISSING_ID }) },
  "battle.continue": { allowed: SIGNED_IN, input: () => ({ battleId: MISSING_ID, prompt: "more" }) },
  "battle.retrySide": { allowed: SIGNED_IN, input: () => ({ battleId: MISSING_ID, side: "a" }) },
  "battle.reveal": { allowed: SIGNED_IN, input: () => ({ battleId: MISSING_ID }) },
  "battle.vote": { allowed: SIGNED_IN, input: () => ({ battleId: MISSING_ID, outcome: "tie" }) },
  "battle.arenaProps": { allowed: SIGNED_IN },
  "battle.history": { allowed: SIGNED_IN, input: () => ({ page: 1 }) },

  "persona.current": { allowed: SIGNED_IN },
  "persona.save": { allowed: SIGNED_IN, input: () => ({}) },
  "persona.disclosure": { allowed: SIGNED_IN },

  "consent.status": { allowed: SIGNED_IN },
  "consent.accept": { allowed: SIGNED_IN, input: () => ({ termsVersion: "1999-01" }) },

  "account.releasePreference": { allowed: SIGNED_IN },
  "account.setReleaseOptOut": { allowed: SIGNED_IN, input: () => ({ optOut: "not-a-boolean" }) },
  "account.changePassword": { allowed: ACCOUNTS, input: () => ({ currentPassword: "", newPassword: "x" }) },
  "account.delete": { allowed: ACCOUNTS, input: () => ({ confirmation: "not the confirmation phrase" }) },

  "leaderboard.get": { allowed: EVERYONE, input: () => ({ modality: "text" }) },
  "leaderboard.personal": { allowed: SIGNED_IN, input: () => ({ modality: "text" }) },
  "leaderboard.lift": { allowed: EVERYONE, input: () => ({ modality: "text" }) },

  "preferenceGroups.get": { allowed: EVERYONE, input: () => ({ modality: "text" }) },
  "preferenceGroups.mine": { allowed: SIGNED_IN, input: () => ({ modality: "text" }) },

  "judge.list": { allowed: TOKEN_HOLDERS },
  "judge.models": { allowed: ADMIN },
  "judge.get": { allowed: TOKEN_HOLDERS, input: () => ({ id: MISSING_ID }) },
  "judge.start": { allowed: ADMIN, input: () => ({}) },
  "judge.attachToRelease": { allowed: ADMIN, input: () => ({ runId: MISSING_ID, version: "2001-01" }) },

  "release.list": { allowed: EVERYONE },
  "release.byVersion": { allowed: EVERYONE, input: () => ({ version: "2001-01" }) },
  "release.nextScheduled": { allowed: EVERYONE },
  "release.adminList": { allowed: ADMIN },
  "release.publish": { allowed: ADMIN, input: () => ({ window: "not-a-window" }) },

  "token.list": { allowed: TOKEN_HOLDERS },
  "token.create": { allowed: TOKEN_HOLDERS, input: () => ({ name: "" }) },
  "token.revoke": { allowed: TOKEN_HOLDERS, input: () => ({ id: MISSING_ID }) },

  "stats.arena": { allowed: EVERYONE },
  "stats.simulatedVotes": { allowed: EVERYONE, input: () => ({ modality: "text" }) },

  "owner.organizations": { allowed: MODEL_OWNERS },
  "owner.dashboard": { allowed: ORG_A, input: ({ organizationA }) => ({ organizationId: organizationA }) },

  "adminModels.list": { allowed: ADMIN },
  "adminModels.get": { allowed: ADMIN, input: ({ modelA }) => ({ id: modelA }) },
  "adminModels.create": { allowed: ADMIN, input: () => ({}) },
  "adminModels.update": { allowed: ADMIN, input: () => ({}) },
  "adminModels.changeStatus": { allowed: ADMIN, input: () => ({}) },
  "adminModels.test": { allowed: ADMIN, input: () => ({}) },
  "adminModels.envVarStatus": { allowed: ADMIN, input: () => ({ name: "NOT_SET_ANYWHERE" }) },
  "adminModels.organizations": { allowed: ADMIN },
  "adminModels.createOrganization": { allowed: ADMIN, input: () => ({}) },
  "adminModels.assignOrganization": { allowed: ADMIN, input: () => ({}) },

  "adminQuality.overview": { allowed: ADMIN },
  "adminQuality.annotators": { allowed: ADMIN, input: () => ({ days: 30 }) },
  "adminQuality.excludeVotes": { allowed: ADMIN, input: () => ({ userId: MISSING_ID, reason: "" }) },
  "adminQuality.includeVotes": { allowed: ADMIN, input: () => ({ userId: MISSING_ID }) },
  "adminQuality.battles": { allowed: ADMIN, input: () => ({}) },
  "adminQuality.battle": { allowed: ADMIN, input: () => ({ battleId: MISSING_ID }) },
  "adminQuality.markGold": { allowed: ADMIN, input: () => ({ battleId: MISSING_ID, goldOutcome: "tie" }) },
  "adminQuality.clearGold": { allowed: ADMIN, input: () => ({ battleId: MISSING_ID }) },

  "adminUsers.search": { allowed: ADMIN, input: () => ({ query: "nobody" }) },
  "adminUsers.changeRole": { allowed: ADMIN, input: () => ({ userId: MISSING_ID, role: "annotator" }) },
  "adminUsers.setMembership": { allowed: ADMIN, input: () => ({ userId: MISSING_ID, organizationId: MISSING_ID, role: "member" }) },
  "adminUsers.removeMembership": { allowed: ADMIN, input: () => ({ userId: MISSING_ID, organizationId: MISSING_ID }) },
  "adminUsers.setBanned": { allowed: ADMIN, input: () => ({ userId: MISSING_ID, banned: true }) },
  "adminUsers.auditLog": { allowed: ADMIN, input: () => ({}) },
};

interface TRouteCase {
  method: "GET" | "POST" | "HEAD" | "OPTIONS";
  url: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  allowed: readonly TMatrixRole[];
}

interface TRouteEntry {
  /** In-process requests against the handler; `null` when the route can only be judged over HTTP. */
  cases: ((fixtures: TFixtures) => TRouteCase[]) | null;
  /** Why the route is not exercised here, and where it is. */
  overHttp?: string;
}

/** Keyed by the route folder under app/api. */
const ROUTES: Record<string, TRouteEntry> = {
  health: { cases: () => [{ method: "GET", url: "/api/health", allowed: EVERYONE }] },
  // A bearer token, never a session, opens the metrics (per-model series would tell a battle's pair).
  metrics: {
    cases: () => [
      { method: "GET", url: "/api/metrics", allowed: [] },
      { method: "GET", url: "/api/metrics", headers: { authorization: "Bearer not-the-metrics-token-at-all" }, allowed: [] },
      { method: "GET", url: "/api/metrics", headers: { authorization: `Bearer ${MATRIX_METRICS_TOKEN}` }, allowed: EVERYONE },
    ],
  },
  "trpc/[trpc]": {
    cases: () => [
      { method: "GET", url: "/api/trpc/adminUsers.auditLog?input=%7B%22json%22%3A%7B%7D%7D", params: { trpc: "adminUsers.auditLog" }, allowed: ADMIN },
      { method: "GET", url: "/api/trpc/consent.status", params: { trpc: "consent.status" }, allowed: SIGNED_IN },
      { method: "GET", url: "/api/trpc/release.list", params: { trpc: "release.list" }, allowed: EVERYONE },
    ],
  },
  "auth/[...nextauth]": {
    cases: null,
    overHttp: "next-auth's own endpoints need Next's request scope; tests/integration/security/http-hostile-input.test.ts signs in as a guest over HTTP",
  },
  "battles/[id]/stream": {
    cases: () => [{ method: "GET", url: `/api/battles/${MISSING_ID}/stream`, params: { id: MISSING_ID }, allowed: SIGNED_IN }],
  },
  "media/[sha256]": { cases: () => [{ method: "GET", url: `/api/media/${"0".repeat(64)}`, params: { sha256: "0".repeat(64) }, allowed: EVERYONE }] },
  "v1/leaderboard": {
    cases: () => [
      { method: "GET", url: "/api/v1/leaderboard?modality=text", allowed: EVERYONE },
      { method: "OPTIONS", url: "/api/v1/leaderboard", allowed: EVERYONE },
    ],
  },
  "v1/releases": { cases: () => [{ method: "GET", url: "/api/v1/releases", allowed: EVERYONE }] },
  "v1/preference-groups": {
    cases: () => [
      { method: "GET", url: "/api/v1/preference-groups?modality=text", allowed: EVERYONE },
      { method: "OPTIONS", url: "/api/v1/preference-groups", allowed: EVERYONE },
    ],
  },
  "v1/releases/[version]/[file]": {
    cases: () => [
      { method: "GET", url: "/api/v1/releases/2001-01/battles.jsonl", params: { version: "2001-01", file: "battles.jsonl" }, allowed: EVERYONE },
      // A bad researcher token is refused whoever holds the session: tokens, not sessions, authenticate here.
      {
        method: "GET",
        url: "/api/v1/releases/2001-01/battles.jsonl",
        params: { version: "2001-01", file: "battles.jsonl" },
        headers: { authorization: "Bearer not-a-real-token" },
        allowed: [],
      },
    ],
  },
  "v1/owner/battles": {
    cases: ({ organizationA, organizationB }) => [
      { method: "GET", url: `/api/v1/owner/battles?organizationId=${organizationA}`, allowed: ORG_A },
      { method: "GET", url: `/api/v1/owner/battles?organizationId=${organizationB}`, allowed: ["ownerB", "admin"] },
    ],
  },
};

function listRouteFolders(): string[] {
  const apiRoot = path.join(process.cwd(), "app/api");
  const found: string[] = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/^route\.(ts|tsx|js)$/.test(entry.name)) found.push(path.relative(apiRoot, folder).split(path.sep).join("/"));
    }
  };
  visit(apiRoot);
  return found.sort();
}

type TOutcome = { verdict: "allow" | "deny"; detail: string };

async function callProcedure(user: SessionUser | null, procedurePath: string, input: unknown): Promise<TOutcome> {
  const caller = createCaller({ db, user, ip: null }) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
  const [router, name] = procedurePath.split(".");
  try {
    await caller[router!]![name!]!(input);
    return { verdict: "allow", detail: "ok" };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { verdict: error.code === "UNAUTHORIZED" || error.code === "FORBIDDEN" ? "deny" : "allow", detail: `${error.code}: ${error.message}` };
  }
}

async function callRoute(folder: string, user: SessionUser | null, routeCase: TRouteCase): Promise<TOutcome> {
  session.user = user;
  const module = (await import(/* @vite-ignore */ path.join(process.cwd(), "app/api", folder, "route.ts"))) as Record<string, (request: Request, context: unknown) => Promise<Response> | Response>;
  const handler = module[routeCase.method];
  if (!handler) throw new Error(`app/api/${folder}/route.ts has no ${routeCase.method} handler`);
  const request = new Request(`http://localhost${routeCase.url}`, { method: routeCase.method, headers: routeCase.headers });
  const response = await handler(request, { params: Promise.resolve(routeCase.params ?? {}) });
  await response.body?.cancel();
  return { verdict: response.status === 401 || response.status === 403 ? "deny" : "allow", detail: `HTTP ${response.status}` };
}

let fixtures: TFixtures;
let users: Record<TMatrixRole, SessionUser | null>;

beforeAll(async () => {
  await resetDatabase(db);
  const [organizationA, organizationB] = await Promise.all(
    ["matrix-org-a", "matrix-org-b"].map((slug) => db.organization.create({ data: { slug, name: slug } })),
  );
  const modelA = await db.arenaModel.create({
    data: { slug: "matrix-model-a", displayName: "Matrix A", organizationId: organizationA!.id, modality: "text", providerKind: "demo_text", providerModelId: "concise-expert", extraParams: {} },
  });
  const ownerA = await createUserWithRole("model_owner");
  const ownerB = await createUserWithRole("model_owner");
  await db.membership.create({ data: { userId: ownerA.id, organizationId: organizationA!.id, role: "owner" } });
  await db.membership.create({ data: { userId: ownerB.id, organizationId: organizationB!.id, role: "owner" } });
  users = {
    anonymous: null,
    guest: await createGuestUser(db),
    annotator: await createUserWithRole("annotator"),
    researcher: await createUserWithRole("researcher"),
    ownerA,
    ownerB,
    admin: await createUserWithRole("admin"),
  };
  for (const user of Object.values(users)) {
    if (user) await db.consentRecord.create({ data: { userId: user.id, termsVersion: env.TERMS_VERSION, license: env.RELEASE_LICENSE } });
  }
  fixtures = { organizationA: organizationA!.id, organizationB: organizationB!.id, modelA: modelA.id };
});

afterAll(() => {
  session.user = null;
});

describe("authorization matrix: tRPC procedures", () => {
  it("has an entry for every procedure of the app router, and no stale entries", () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(procedures.length).toBeGreaterThan(40);
    expect(Object.keys(PROCEDURES).sort()).toEqual(procedures);
  });

  for (const [procedurePath, entry] of Object.entries(PROCEDURES)) {
    it(`${procedurePath}: allowed for ${entry.allowed.join(", ") || "nobody"}`, async () => {
      const observed: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const role of ROLES) {
        const outcome = await callProcedure(users[role], procedurePath, entry.input?.(fixtures));
        observed[role] = outcome.verdict === "deny" ? "deny" : "allow";
        expected[role] = entry.allowed.includes(role) ? "allow" : "deny";
        if (observed[role] !== expected[role]) observed[role] += ` (${outcome.detail})`;
      }
      expect(observed).toEqual(expected);
    });
  }
});

describe("authorization matrix: API route handlers", () => {
  it("has an entry for every route file under app/api, and no stale entries", () => {
    expect(Object.keys(ROUTES).sort()).toEqual(listRouteFolders());
  });

  for (const [folder, entry] of Object.entries(ROUTES)) {
    if (!entry.cases) {
      it(`${folder}: judged over HTTP (${entry.overHttp})`, () => {
        expect(entry.overHttp).toMatch(/http/i);
      });
      continue;
    }
    it(`${folder}: every case allows exactly the expected roles`, async () => {
      const observed: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const routeCase of entry.cases!(fixtures)) {
        for (const role of ROLES) {
          const key = `${routeCase.method} ${routeCase.url}${routeCase.headers ? " (with headers)" : ""} as ${role}`;
          const outcome = await callRoute(folder, users[role], routeCase);
          observed[key] = outcome.verdict === "deny" ? "deny" : "allow";
          expected[key] = routeCase.allowed.includes(role) ? "allow" : "deny";
          if (observed[key] !== expected[key]) observed[key] += ` (${outcome.detail})`;
        }
      }
      expect(observed).toEqual(expected);
    });
  }
});

describe("authorization: objects owned by someone else", () => {
  let battleId: string;

  beforeAll(async () => {
    const modelB = await db.arenaModel.create({
      data: { slug: "matrix-model-b", displayName: "Matrix B", organizationId: fixtures.organizationB, modality: "text", providerKind: "demo_text", providerModelId: "storyteller", extraParams: {} },
    });
    const battle = await db.battle.create({
      data: {
        publicId: "matrix-battle",
        userId: users.annotator!.id,
        modality: "text",
        personalized: false,
        modelAId: fixtures.modelA,
        modelBId: modelB.id,
        status: "ready",
        completedAt: new Date(),
        turns: { create: { index: 0, prompt: "Say hello" } },
      },
      include: { turns: true },
    });
    for (const [side, modelId] of [["a", fixtures.modelA], ["b", modelB.id]] as const) {
      await db.response.create({ data: { turnId: battle.turns[0]!.id, side, modelId, status: "complete", text: `Hello from ${side}`, completedAt: new Date() } });
    }
    battleId = battle.id;
  });

  const OTHERS = ROLES.filter((role) => role !== "annotator" && role !== "anonymous");

  it.each(["battle.get", "battle.reveal", "battle.vote", "battle.retrySide", "battle.continue"])(
    "%s on another user's battle is refused (NOT_FOUND hides that it exists) for every other signed-in role",
    async (procedurePath) => {
      const input = { battleId, outcome: "model_a", side: "a", prompt: "more" };
      const codes: Record<string, string> = {};
      for (const role of OTHERS) {
        const caller = createCaller({ db, user: users[role], ip: null }) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
        const [router, name] = procedurePath.split(".");
        codes[role] = await caller[router!]![name!]!(input).then(
          () => "allowed",
          (error: unknown) => (error instanceof TRPCError ? error.code : String(error)),
        );
      }
      expect(codes).toEqual(Object.fromEntries(OTHERS.map((role) => [role, "NOT_FOUND"])));
      expect(await db.vote.count({ where: { battleId } })).toBe(0);
    },
  );

  it("the battle's owner gets it (the refusals above are about ownership, not a broken battle)", async () => {
    const caller = createCaller({ db, user: users.annotator, ip: null });
    const view = await caller.battle.get({ battleId });
    expect(view.id).toBe(battleId);
  });

  it("streaming another user's battle is refused for every other signed-in role", async () => {
    const { GET } = await import("@/app/api/battles/[id]/stream/route");
    const statuses: Record<string, number> = {};
    for (const role of OTHERS) {
      session.user = users[role];
      const response = await GET(new Request(`http://localhost/api/battles/${battleId}/stream`), { params: Promise.resolve({ id: battleId }) });
      statuses[role] = response.status;
      await response.body?.cancel();
    }
    expect(Object.values(statuses).every((status) => status === 404 || status === 403)).toBe(true);
  });

  it("an owner of organization B cannot export organization A's battles, and gets no rows", async () => {
    const { GET } = await import("@/app/api/v1/owner/battles/route");
    session.user = users.ownerB;
    const response = await GET(new Request(`http://localhost/api/v1/owner/battles?organizationId=${fixtures.organizationA}`));
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain(battleId);
    session.user = users.ownerA;
    const allowed = await GET(new Request(`http://localhost/api/v1/owner/battles?organizationId=${fixtures.organizationA}`));
    expect(allowed.status).toBe(200);
  });

  it("owner.organizations lists only the owner's own organization", async () => {
    const ids = async (role: TMatrixRole) => (await createCaller({ db, user: users[role], ip: null }).owner.organizations()).map(({ id }) => id);
    expect(await ids("ownerA")).toEqual([fixtures.organizationA]);
    expect(await ids("ownerB")).toEqual([fixtures.organizationB]);
    expect(await ids("admin")).toEqual(expect.arrayContaining([fixtures.organizationA, fixtures.organizationB]));
  });
});
