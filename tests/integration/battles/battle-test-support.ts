import { TRPCError } from "@trpc/server";
import { expect } from "vitest";

import type { TBattleStreamEvent } from "@/lib/domain/battle/stream-events";
import { createCaller } from "@/lib/server/api/root";
import { forgetActiveModels } from "@/lib/server/battles/model-pool";
import { battleHub } from "@/lib/server/battles/stream-hub";
import { db } from "@/lib/server/db";
import { env } from "@/lib/env";
import { createGuestUser, loadSessionUser, type SessionUser } from "@/lib/server/services/accounts";
import { resetDatabase } from "../helpers/db";

export { db };

export interface TTestModelSpec {
  slug: string;
  /** Fake server behaviour (fake-ok, fake-500, ...). */
  behaviour: string;
  kind?: "openai_compatible" | "anthropic";
  organization?: string;
  timeoutMs?: number;
  personaTemplate?: string | null;
}

/**
 * A fresh database whose text pool is the pair most battle tests use: "left-model" (OpenAI-compatible)
 * and "right-model" (`rightKind`, OpenAI-compatible unless given), of two organizations, on the fake server.
 */
export async function freshModelPair(fakeUrl: string, rightKind?: TTestModelSpec["kind"]) {
  await resetDatabase(db);
  await registerTextModels(fakeUrl, [
    { slug: "left-model", behaviour: "fake-ok", organization: "org-left" },
    { slug: "right-model", behaviour: "fake-ok", ...(rightKind ? { kind: rightKind } : {}), organization: "org-right" },
  ]);
}

/** Registers text models pointing at the fake server; every other text model is retired so these are the pool. */
export async function registerTextModels(fakeUrl: string, specs: TTestModelSpec[]) {
  await db.arenaModel.updateMany({ where: { modality: "text" }, data: { status: "retired" } });
  const rows = [];
  for (const spec of specs) {
    const slug = spec.organization ?? "test-org";
    const organization = await db.organization.upsert({ where: { slug }, create: { slug, name: `Org ${slug}` }, update: {} });
    rows.push(
      await db.arenaModel.upsert({
        where: { slug: spec.slug },
        create: {
          slug: spec.slug,
          displayName: `Display ${spec.slug}`,
          organizationId: organization.id,
          modality: "text",
          providerKind: spec.kind ?? "openai_compatible",
          endpoint: `${fakeUrl}/v1`,
          providerModelId: spec.behaviour,
          extraParams: {},
          personaTemplate: spec.personaTemplate ?? null,
          timeoutMs: spec.timeoutMs ?? 5_000,
          maxTokens: 256,
          maxConcurrency: 64,
        },
        update: { status: "active", providerModelId: spec.behaviour, endpoint: `${fakeUrl}/v1`, pausedAt: null, pausedReason: null },
      }),
    );
  }
  forgetActiveModels();
  return rows;
}

/** A guest with a tRPC caller (no client address, so address rate limits stay out of the way). */
export async function newAnnotator(options: { consent?: boolean } = {}) {
  const guest = await createGuestUser(db);
  if (options.consent) {
    await db.consentRecord.create({ data: { userId: guest.id, termsVersion: env.TERMS_VERSION, license: env.RELEASE_LICENSE } });
  }
  const user = (await loadSessionUser(db, guest.id)) as SessionUser;
  return { user, caller: createCaller({ db, user, ip: null }) };
}

/** A new battle of `caller` on `prompt` whose first round has ended. */
export async function finishedBattle(caller: Awaited<ReturnType<typeof newAnnotator>>["caller"], prompt = "Compare cats and dogs") {
  const view = await caller.battle.create({ prompt, personalized: false });
  await collectRound(view.id);
  return view;
}

/** Every event of the battle's running round until `end` (snapshot first); [] when nothing runs. */
export async function collectRound(battleId: string): Promise<TBattleStreamEvent[]> {
  const round = battleHub.get(battleId);
  if (!round) return [];
  const events: TBattleStreamEvent[] = [];
  await new Promise<void>((resolve) => {
    const subscription = round.subscribe((event) => {
      events.push(event);
      if (event.type === "end") resolve();
    });
    if (!subscription) resolve();
  });
  // The round leaves the hub right after `end`.
  await new Promise((resolve) => setImmediate(resolve));
  return events;
}

export async function latestResponses(battleId: string) {
  const turn = await db.turn.findFirstOrThrow({ where: { battleId }, orderBy: { index: "desc" }, include: { responses: true } });
  return Object.fromEntries(turn.responses.map((response) => [response.side, response])) as Record<"a" | "b", (typeof turn.responses)[number]>;
}

/** Which side a model ended up on (sides are random). */
export async function sideOf(battleId: string, modelSlug: string): Promise<"a" | "b"> {
  // createBattle answers before its rows are written.
  await battleHub.get(battleId)?.rowsSaved;
  const battle = await db.battle.findUniqueOrThrow({ where: { id: battleId }, include: { modelA: true } });
  return battle.modelA.slug === modelSlug ? "a" : "b";
}

export const otherSide = (side: "a" | "b") => (side === "a" ? "b" : "a");

export async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"]): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}
