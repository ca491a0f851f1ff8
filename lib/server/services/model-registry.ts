import "server-only";
import { renderPersonaPrompt, DEFAULT_PERSONA_TEMPLATE } from "@/lib/domain/persona";
import type { TModality } from "@/lib/domain/vocabulary";
import { readProviderSecret } from "@/lib/env";
import { Prisma, type ArenaModel } from "@/lib/generated/sqlite/client";
import {
  SAMPLE_PREVIEW_PERSONA,
  type TCreateModelInput,
  type TModelStatusAction,
  type TUpdateModelInput,
} from "@/lib/schemas/model-registry";
import { recordAudit } from "@/lib/server/audit";
import { forgetActiveModels } from "@/lib/server/battles/model-pool";
import type { Db } from "@/lib/server/db";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { AppError, notFound } from "@/lib/server/errors";
import type { ChatMessage, ProviderFailure } from "@/lib/server/providers";
import { getRuntimeProvider } from "@/lib/server/services/models-runtime";

type TActor = { id: string };

/** A registry row as admins see it. The API key appears only as its variable's name and whether it is set. */
export interface TAdminModel {
  id: string;
  slug: string;
  displayName: string;
  organization: { id: string; slug: string; name: string };
  modality: TModality;
  providerKind: string;
  endpoint: string | null;
  providerModelId: string;
  apiKeyEnvVar: string | null;
  /** Whether the named variable holds a value in this server process; the value itself never leaves it. */
  apiKeySet: boolean;
  extraParams: Record<string, unknown>;
  personaTemplate: string | null;
  samplingWeight: number;
  status: "active" | "paused" | "retired";
  pausedReason: string | null;
  pausedAt: Date | null;
  redistributable: boolean;
  timeoutMs: number;
  maxTokens: number;
  maxConcurrency: number;
  consecutiveFailures: number;
  votes: number;
  createdAt: Date;
  updatedAt: Date;
}

type TModelWithOrganization = ArenaModel & { organization: { id: string; slug: string; name: string } };

/** Whether an API key variable is set, without reading it into anything that leaves this function. */
export function isEnvVarSet(name: string | null): boolean {
  return name !== null && readProviderSecret(name) !== undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function toAdminModel(model: TModelWithOrganization, votes: number): TAdminModel {
  return {
    id: model.id,
    slug: model.slug,
    displayName: model.displayName,
    organization: { id: model.organization.id, slug: model.organization.slug, name: model.organization.name },
    modality: model.modality,
    providerKind: model.providerKind,
    endpoint: model.endpoint,
    providerModelId: model.providerModelId,
    apiKeyEnvVar: model.apiKeyEnvVar,
    apiKeySet: isEnvVarSet(model.apiKeyEnvVar),
    extraParams: asRecord(model.extraParams),
    personaTemplate: model.personaTemplate,
    samplingWeight: model.samplingWeight,
    status: model.status,
    pausedReason: model.pausedReason,
    pausedAt: model.pausedAt,
    redistributable: model.redistributable,
    timeoutMs: model.timeoutMs,
    maxTokens: model.maxTokens,
    maxConcurrency: model.maxConcurrency,
    consecutiveFailures: model.consecutiveFailures,
    votes,
    createdAt: model.createdAt,
    updatedAt: model.updatedAt,
  };
}

const organizationSelect = { select: { id: true, slug: true, name: true } } as const;

/** Votes per model id, counting both sides. */
async function countVotesByModel(db: Db, modelIds?: string[]): Promise<Map<string, number>> {
  const where = modelIds ? { in: modelIds } : undefined;
  const [asA, asB] = await Promise.all([
    db.vote.groupBy({ by: ["modelAId"], where: where ? { modelAId: where } : {}, _count: { _all: true } }),
    db.vote.groupBy({ by: ["modelBId"], where: where ? { modelBId: where } : {}, _count: { _all: true } }),
  ]);
  const counts = new Map<string, number>();
  for (const row of asA) counts.set(row.modelAId, (counts.get(row.modelAId) ?? 0) + row._count._all);
  for (const row of asB) counts.set(row.modelBId, (counts.get(row.modelBId) ?? 0) + row._count._all);
  return counts;
}

const STATUS_ORDER = { paused: 0, active: 1, retired: 2 } as const;

/** Every model, paused first (they need attention), then active, then retired; by name within a status. */
export async function listAdminModels(db: Db): Promise<TAdminModel[]> {
  const [models, votes] = await Promise.all([
    db.arenaModel.findMany({ include: { organization: organizationSelect }, orderBy: { displayName: "asc" } }),
    countVotesByModel(db),
  ]);
  return models
    .map((model) => toAdminModel(model, votes.get(model.id) ?? 0))
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
}

export async function getAdminModel(db: Db, id: string): Promise<TAdminModel> {
  const model = await db.arenaModel.findUnique({ where: { id }, include: { organization: organizationSelect } });
  if (!model) throw notFound("The model");
  const votes = await countVotesByModel(db, [id]);
  return toAdminModel(model, votes.get(id) ?? 0);
}

async function assertOrganizationExists(db: Db, organizationId: string): Promise<void> {
  const organization = await db.organization.findUnique({ where: { id: organizationId }, select: { id: true } });
  if (!organization) throw new AppError("BAD_REQUEST", "That organization does not exist.", { organizationId: "That organization does not exist." });
}

function slugTaken(): AppError {
  return new AppError("CONFLICT", "Another model already uses this slug.", { slug: "Another model already uses this slug." });
}


function registryData(input: TCreateModelInput) {
  return {
    slug: input.slug,
    displayName: input.displayName,
    organizationId: input.organizationId,
    modality: input.modality,
    providerKind: input.providerKind,
    endpoint: input.endpoint,
    providerModelId: input.providerModelId,
    apiKeyEnvVar: input.apiKeyEnvVar,
    extraParams: input.extraParams as Prisma.InputJsonObject,
    personaTemplate: input.personaTemplate,
    samplingWeight: input.samplingWeight,
    redistributable: input.redistributable,
    timeoutMs: input.timeoutMs,
    maxTokens: input.maxTokens,
    maxConcurrency: input.maxConcurrency,
  };
}

/** Registers a model (active). Input is validated by ZCreateModelSchema at the router. */
export async function createModel(db: Db, actor: TActor, input: TCreateModelInput): Promise<TAdminModel> {
  await assertOrganizationExists(db, input.organizationId);
  if (await db.arenaModel.findUnique({ where: { slug: input.slug }, select: { id: true } })) throw slugTaken();
  try {
    const created = await db.$transaction(async (tx) => {
      const model = await tx.arenaModel.create({ data: registryData(input) });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "model.create",
        targetType: "ArenaModel",
        targetId: model.id,
        details: { slug: model.slug, providerKind: model.providerKind, modality: model.modality },
      });
      return model;
    });
    forgetActiveModels();
    return getAdminModel(db, created.id);
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

/** Replaces every registry field of a model; the audit row lists which fields changed (names only). */
export async function updateModel(db: Db, actor: TActor, input: TUpdateModelInput): Promise<TAdminModel> {
  const { id, ...fields } = input;
  const before = await db.arenaModel.findUnique({ where: { id } });
  if (!before) throw notFound("The model");
  await assertOrganizationExists(db, fields.organizationId);
  const data = registryData(fields);
  const changedFields = (Object.keys(data) as (keyof typeof data)[]).filter(
    (key) => JSON.stringify(data[key]) !== JSON.stringify(before[key as keyof ArenaModel]),
  );
  try {
    await db.$transaction(async (tx) => {
      await tx.arenaModel.update({ where: { id }, data });
      await recordAudit(tx, { actorId: actor.id, action: "model.update", targetType: "ArenaModel", targetId: id, details: { slug: data.slug, changedFields } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
  forgetActiveModels();
  return getAdminModel(db, id);
}

/**
 * Status changes. `pause` takes the model out of matchmaking with a reason; `activate` and `resume`
 * put it back, clearing the pause, the failure count and the circuit breaker's failure records so an
 * auto-paused model starts with a clean slate; `retire` removes it for good (it can be activated again).
 */
export async function changeModelStatus(
  db: Db,
  actor: TActor,
  { id, action, reason }: { id: string; action: TModelStatusAction; reason?: string },
): Promise<TAdminModel> {
  const model = await db.arenaModel.findUnique({ where: { id }, select: { id: true, slug: true, status: true } });
  if (!model) throw notFound("The model");
  if (action === "resume" && model.status !== "paused") throw new AppError("CONFLICT", "Only a paused model can be resumed.");
  if (action === "pause" && model.status !== "active") throw new AppError("CONFLICT", "Only an active model can be paused.");

  const data =
    action === "pause"
      ? { status: "paused" as const, pausedReason: `Paused by an administrator${reason ? `: ${reason}` : ""}`, pausedAt: new Date() }
      : action === "retire"
        ? { status: "retired" as const }
        : { status: "active" as const, pausedReason: null, pausedAt: null, consecutiveFailures: 0 };
  await db.$transaction(async (tx) => {
    await tx.arenaModel.update({ where: { id }, data });
    if (data.status === "active") await tx.modelFailure.deleteMany({ where: { modelId: id } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: `model.${action}`,
      targetType: "ArenaModel",
      targetId: id,
      details: { slug: model.slug, from: model.status, to: data.status, ...(reason ? { reason } : {}) },
    });
  });
  forgetActiveModels();
  return getAdminModel(db, id);
}

export type TModelTestResult =
  | { ok: true; kind: "text"; text: string; latencyMs: number; firstTokenMs: number | null; inputTokens: number | null; outputTokens: number | null; systemPrompt: string | null }
  | { ok: true; kind: Exclude<TModality, "text">; dataUrl: string; mime: string; bytes: number; width: number | null; height: number | null; durationSeconds: number | null; latencyMs: number; systemPrompt: string | null }
  | { ok: false; error: ProviderFailure; partialText: string; latencyMs: number; systemPrompt: string | null };

const TEST_MUSIC_SECONDS = 10;
/** Extra time past the model's own timeout before the test gives up on a provider that ignores it. */
const TEST_GRACE_MS = 5_000;

/**
 * Sends one prompt to a registered model, whatever its status (so a paused model can be checked
 * before resuming it). Admin tests do not feed the circuit breaker: a failing test must not pause
 * a model, and a passing one must not hide real failures. Images and audio come back as data URLs.
 */
export async function testModel(
  db: Db,
  actor: TActor,
  { id, prompt, withSamplePersona }: { id: string; prompt: string; withSamplePersona: boolean },
): Promise<TModelTestResult> {
  const model = await db.arenaModel.findUnique({ where: { id } });
  if (!model) throw notFound("The model");
  const systemPrompt = withSamplePersona ? renderPersonaPrompt(model.personaTemplate ?? DEFAULT_PERSONA_TEMPLATE, SAMPLE_PREVIEW_PERSONA).systemPrompt : null;
  const signal = AbortSignal.timeout(model.timeoutMs + TEST_GRACE_MS);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const runtime = getRuntimeProvider(model);

  let result: TModelTestResult;
  if (runtime.modality === "text") {
    const messages: ChatMessage[] = [...(systemPrompt ? [{ role: "system" as const, content: systemPrompt }] : []), { role: "user", content: prompt }];
    let partialText = "";
    let firstTokenMs: number | null = null;
    result = { ok: false, error: { kind: "empty", message: "The stream ended without an answer" }, partialText, latencyMs: 0, systemPrompt };
    for await (const event of runtime.provider.streamChat({ messages, signal })) {
      if (event.type === "delta") {
        firstTokenMs ??= elapsed();
        partialText += event.text;
      } else if (event.type === "done") {
        result = { ok: true, kind: "text", text: event.text, latencyMs: elapsed(), firstTokenMs, inputTokens: event.inputTokens, outputTokens: event.outputTokens, systemPrompt };
        break;
      } else {
        result = { ok: false, error: event.error, partialText, latencyMs: elapsed(), systemPrompt };
        break;
      }
    }
    if (!result.ok) result = { ...result, partialText, latencyMs: result.latencyMs || elapsed() };
  } else {
    const media =
      runtime.modality === "image"
        ? await runtime.provider.generateImage({ prompt, personaContext: systemPrompt, signal })
        : await runtime.provider.generateMusic({ prompt, personaContext: systemPrompt, durationSeconds: TEST_MUSIC_SECONDS, signal });
    result = media.ok
      ? {
          ok: true,
          kind: runtime.modality,
          dataUrl: `data:${media.mime};base64,${Buffer.from(media.bytes).toString("base64")}`,
          mime: media.mime,
          bytes: media.bytes.byteLength,
          width: media.width ?? null,
          height: media.height ?? null,
          durationSeconds: media.durationSeconds ?? null,
          latencyMs: elapsed(),
          systemPrompt,
        }
      : { ok: false, error: media.error, partialText: "", latencyMs: elapsed(), systemPrompt };
  }

  await recordAudit(db, {
    actorId: actor.id,
    action: "model.test",
    targetType: "ArenaModel",
    targetId: id,
    details: { slug: model.slug, ok: result.ok, latencyMs: result.latencyMs, ...(result.ok ? {} : { failureKind: result.error.kind }) },
  });
  return result;
}

export interface TAdminOrganization {
  id: string;
  slug: string;
  name: string;
  models: number;
  members: number;
  createdAt: Date;
}

export async function listOrganizations(db: Db): Promise<TAdminOrganization[]> {
  const organizations = await db.organization.findMany({
    orderBy: { name: "asc" },
    include: { _count: { select: { models: true, memberships: true } } },
  });
  return organizations.map(({ _count, ...organization }) => ({ ...organization, models: _count.models, members: _count.memberships }));
}

export async function createOrganization(db: Db, actor: TActor, { slug, name }: { slug: string; name: string }): Promise<TAdminOrganization> {
  const taken = () => new AppError("CONFLICT", "Another organization already uses this slug.", { slug: "Another organization already uses this slug." });
  if (await db.organization.findUnique({ where: { slug }, select: { id: true } })) throw taken();
  try {
    const organization = await db.$transaction(async (tx) => {
      const created = await tx.organization.create({ data: { slug, name } });
      await recordAudit(tx, { actorId: actor.id, action: "organization.create", targetType: "Organization", targetId: created.id, details: { slug, name } });
      return created;
    });
    return { ...organization, models: 0, members: 0 };
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

export async function assignModelToOrganization(db: Db, actor: TActor, { modelId, organizationId }: { modelId: string; organizationId: string }): Promise<TAdminModel> {
  const model = await db.arenaModel.findUnique({ where: { id: modelId }, select: { slug: true, organizationId: true } });
  if (!model) throw notFound("The model");
  await assertOrganizationExists(db, organizationId);
  await db.$transaction(async (tx) => {
    await tx.arenaModel.update({ where: { id: modelId }, data: { organizationId } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "model.assign_organization",
      targetType: "ArenaModel",
      targetId: modelId,
      details: { slug: model.slug, from: model.organizationId, to: organizationId },
    });
  });
  forgetActiveModels();
  return getAdminModel(db, modelId);
}
