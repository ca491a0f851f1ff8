import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import type { TCreateModelInput } from "@/lib/schemas/model-registry";
import { db } from "../helpers/caller";
import type { TVoteOutcome } from "@/lib/domain/vocabulary";

export async function expectTrpcError(promise: Promise<unknown>, code: TRPCError["code"]): Promise<TRPCError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}

/** The fields a validation error names (the ZodError behind a BAD_REQUEST, or an AppError's fieldErrors). */
export function invalidFields(error: TRPCError): string[] {
  const cause = error.cause as { issues?: { path: PropertyKey[] }[]; fieldErrors?: Record<string, string> } | undefined;
  if (cause?.issues) return [...new Set(cause.issues.map((issue) => String(issue.path[0])))];
  return Object.keys(cause?.fieldErrors ?? {});
}

export async function createOrganizationRow(slug = `org-${Math.random().toString(36).slice(2, 8)}`) {
  return db.organization.create({ data: { slug, name: `Organization ${slug}` } });
}

/** A valid OpenAI-compatible registry entry; override any field. */
export function modelInput(organizationId: string, overrides: Partial<TCreateModelInput> = {}): TCreateModelInput {
  return {
    slug: "test-model",
    displayName: "Test model",
    organizationId,
    modality: "text",
    providerKind: "openai_compatible",
    endpoint: "http://127.0.0.1:9/v1",
    providerModelId: "fake-ok",
    apiKeyEnvVar: null,
    extraParams: { temperature: 0.2 },
    personaTemplate: null,
    samplingWeight: 1,
    redistributable: true,
    timeoutMs: 5_000,
    maxTokens: 256,
    maxConcurrency: 4,
    ...overrides,
  };
}

export async function createModelRow(organizationId: string, slug: string) {
  return db.arenaModel.create({
    data: { slug, displayName: `Model ${slug}`, organizationId, modality: "text", providerKind: "demo_text", providerModelId: "concise-expert", extraParams: {} },
  });
}

let battleCounter = 0;

/**
 * A finished, voted text battle (one turn, both answers complete), written directly so quality
 * tests control every field the signals read.
 */
export async function createVotedBattle(options: {
  userId: string;
  modelAId: string;
  modelBId: string;
  outcome: TVoteOutcome;
  prompt?: string;
  answerChars?: number;
  secondsToVote?: number;
  isGold?: boolean;
  goldOutcome?: TVoteOutcome | null;
  createdAt?: Date;
}) {
  battleCounter += 1;
  const { userId, modelAId, modelBId, outcome } = options;
  const text = "x".repeat(Math.ceil((options.answerChars ?? 400) / 2));
  const createdAt = options.createdAt ?? new Date();
  return db.battle.create({
    data: {
      publicId: `pub-${battleCounter}-${Math.random().toString(36).slice(2)}`,
      userId,
      modality: "text",
      modelAId,
      modelBId,
      status: "voted",
      isGold: options.isGold ?? false,
      goldOutcome: options.goldOutcome ?? null,
      createdAt,
      turns: {
        create: {
          index: 0,
          prompt: options.prompt ?? `prompt ${battleCounter}`,
          responses: {
            create: [
              { side: "a", modelId: modelAId, status: "complete", text },
              { side: "b", modelId: modelBId, status: "complete", text },
            ],
          },
        },
      },
      vote: { create: { userId, modality: "text", modelAId, modelBId, outcome, secondsToVote: options.secondsToVote ?? 30, createdAt } },
    },
  });
}
