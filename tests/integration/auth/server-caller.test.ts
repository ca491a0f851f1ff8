/**
 * Server components read through lib/trpc/server.ts: the procedures the browser calls, with the
 * context built from the request's headers. These tests stand in for Next's request scope by
 * answering `headers()` from next/headers with the headers of the request being simulated.
 */
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { env } from "@/lib/env";
import { createGuestUser } from "@/lib/server/services/accounts";
import { SESSION_COOKIE } from "@/lib/server/session";
import { api, hasScope, isTrpcError } from "@/lib/trpc/server";
import { createUserWithRole, db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers }));

async function signInAs(userId: string | null) {
  request.headers = new Headers(userId ? { cookie: `${SESSION_COOKIE}=${await encode({ token: { uid: userId }, secret: env.AUTH_SECRET })}` } : {});
}

/** The code a procedure refused with, or "ok". */
async function outcomeOf(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => "ok",
    (error: unknown) => (isTrpcError(error, "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST") ? error.code : Promise.reject(error)),
  );
}

let organizationId: string;
let owner: { id: string };
let annotator: { id: string };

beforeAll(async () => {
  await resetDatabase(db);
  organizationId = (await db.organization.create({ data: { slug: "caller-org", name: "Caller Org" } })).id;
  owner = await createUserWithRole("model_owner");
  annotator = await createUserWithRole("annotator");
  await db.membership.create({ data: { userId: owner.id, organizationId, role: "owner" } });
});

describe("the server components' tRPC caller", () => {
  it("builds its context from the request's session cookie: the signed-in user, or nobody", async () => {
    const guest = await createGuestUser(db);
    await signInAs(guest.id);
    expect(await api.auth.me()).toMatchObject({ id: guest.id, isGuest: true });
    await signInAs(null);
    expect(await api.auth.me()).toBeNull();
  });

  it("refuses exactly as the HTTP endpoint does: nobody is UNAUTHORIZED, an annotator FORBIDDEN, an owner sees their organization", async () => {
    await signInAs(null);
    expect(await outcomeOf(api.owner.organizations())).toBe("UNAUTHORIZED");
    await signInAs(annotator.id);
    expect(await outcomeOf(api.owner.organizations())).toBe("FORBIDDEN");
    expect(await outcomeOf(api.judge.models())).toBe("FORBIDDEN");
    await signInAs(owner.id);
    expect(await api.owner.organizations()).toEqual([{ id: organizationId, name: "Caller Org", slug: "caller-org" }]);
    expect(await outcomeOf(api.owner.dashboard({ organizationId: "someone-elses-org" }))).toBe("FORBIDDEN");
  });

  it("answers the pages' access checks through auth.access: nobody has no scope, an annotator votes but cannot publish, an owner opens the dashboard", async () => {
    await signInAs(null);
    expect(await hasScope("leaderboard:view")).toBe(false);
    await signInAs(annotator.id);
    expect(await hasScope("vote:create")).toBe(true);
    expect(await hasScope("token:manage")).toBe(false);
    expect(await hasScope("registry:manage")).toBe(false);
    await signInAs(owner.id);
    expect(await hasScope("owner:dashboard")).toBe(true);
    expect(await hasScope("release:publish")).toBe(false);
  });

  it("validates input with the procedures' schemas (a page turns BAD_REQUEST into its own not-found)", async () => {
    await signInAs(annotator.id);
    expect(await outcomeOf(api.release.byVersion({ version: "not-a-window" }))).toBe("BAD_REQUEST");
    expect(await api.release.byVersion({ version: "2001-01" })).toBeNull();
    expect(await outcomeOf(api.battle.get({ battleId: "x".repeat(65) }))).toBe("BAD_REQUEST");
    expect(await outcomeOf(api.battle.get({ battleId: "no-such-battle" }))).toBe("NOT_FOUND");
  });

  it("reads the pages' data: the home page's counts, an annotator's empty history and arena props", async () => {
    await signInAs(annotator.id);
    expect(await api.stats.arena()).toMatchObject({ votes: 0, battles: 0 });
    expect(await api.stats.simulatedVotes({ modality: "text" })).toBe(0);
    expect(await api.battle.history({ page: 3 })).toMatchObject({ total: 0, items: [] });
    expect(await api.battle.arenaProps()).toMatchObject({ hasPersona: false, props: { minReadSeconds: env.MIN_READ_SECONDS } });
  });
});
