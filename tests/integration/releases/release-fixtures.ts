import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PersonaInput } from "@/lib/domain/anonymization/personas";
import { db } from "@/lib/server/db";
import type { MediaStorage, OpenedMedia } from "@/lib/server/media/storage";
import type { TModality, TVoteOutcome } from "@/lib/domain/vocabulary";

export { db };

export const WINDOW = "2026-10";
/** Inside the October 2026 window. */
const IN_WINDOW = new Date("2026-10-15T12:34:56Z");
/** Well after the window's end plus the 7-day embargo. */
export const PUBLISH_AT = new Date("2026-11-20T00:00:00Z");

export async function tempReleaseDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "releases-"));
}

export async function createModels(options: { redistributableB?: boolean } = {}) {
  const organization = await db.organization.upsert({ where: { slug: "rel-org" }, create: { slug: "rel-org", name: "Release org" }, update: {} });
  const base = { organizationId: organization.id, providerKind: "demo", providerModelId: "demo", extraParams: {} };
  const modelA = await db.arenaModel.create({ data: { ...base, slug: "alpha-model", displayName: "Alpha", modality: "text" } });
  const modelB = await db.arenaModel.create({
    data: { ...base, slug: "beta-model", displayName: "Beta", modality: "text", redistributable: options.redistributableB ?? true },
  });
  return { modelA, modelB };
}

export interface AnnotatorSpec {
  email?: string;
  persona?: PersonaInput;
  consent?: boolean;
  optOut?: boolean;
}

export async function createAnnotator(spec: AnnotatorSpec = {}) {
  const user = await db.user.create({ data: { email: spec.email ?? `annotator-${randomBytes(5).toString("hex")}@example.com`, role: "annotator" } });
  const persona = await db.personaVersion.create({ data: { userId: user.id, version: 1, data: (spec.persona ?? {}) as object } });
  if (spec.consent ?? true) {
    await db.consentRecord.create({
      data: { userId: user.id, termsVersion: "2026-11", license: "CC-BY-4.0", releaseOptOut: spec.optOut ?? false, acceptedAt: new Date("2026-09-01T00:00:00Z") },
    });
  }
  return { user, persona };
}

export interface BattleSpec {
  userId: string;
  personaVersionId: string | null;
  modelAId: string;
  modelBId: string;
  createdAt?: Date;
  prompt?: string;
  answerA?: string;
  answerB?: string;
  feedback?: string;
  outcome?: TVoteOutcome;
  countsForRating?: boolean;
  modality?: TModality;
  mediaA?: { sha256: string; mime: string };
  mediaB?: { sha256: string; mime: string };
  listenSecondsA?: number;
  listenSecondsB?: number;
  turns?: number;
}

/** A voted battle with its turns, responses and vote; returns the battle's public id. */
export async function createVotedBattle(spec: BattleSpec): Promise<string> {
  const createdAt = spec.createdAt ?? IN_WINDOW;
  const modality = spec.modality ?? "text";
  const publicId = `pub_${randomBytes(8).toString("hex")}`;
  const battle = await db.battle.create({
    data: {
      publicId,
      userId: spec.userId,
      modality,
      personaVersionId: spec.personaVersionId,
      modelAId: spec.modelAId,
      modelBId: spec.modelBId,
      status: "voted",
      createdAt,
    },
  });
  for (let index = 0; index < (spec.turns ?? 1); index++) {
    const turn = await db.turn.create({ data: { battleId: battle.id, index, prompt: index === 0 ? (spec.prompt ?? "What is a good name for a cat?") : `Follow-up question ${index}`, createdAt } });
    for (const side of ["a", "b"] as const) {
      const media = side === "a" ? spec.mediaA : spec.mediaB;
      await db.response.create({
        data: {
          turnId: turn.id,
          side,
          modelId: side === "a" ? spec.modelAId : spec.modelBId,
          status: "complete",
          text: side === "a" ? (spec.answerA ?? "Whiskers, because it is classic.") : (spec.answerB ?? "Mochi: short, sweet and easy to call."),
          mediaSha256: media?.sha256 ?? null,
          mediaMime: media?.mime ?? null,
        },
      });
    }
  }
  await db.vote.create({
    data: {
      battleId: battle.id,
      userId: spec.userId,
      modality,
      modelAId: spec.modelAId,
      modelBId: spec.modelBId,
      outcome: spec.outcome ?? "model_a",
      feedbackGeneral: spec.feedback ?? null,
      listenSecondsA: spec.listenSecondsA ?? null,
      listenSecondsB: spec.listenSecondsB ?? null,
      countsForRating: spec.countsForRating ?? true,
      createdAt,
    },
  });
  return publicId;
}

/** In-memory media storage for release tests. */
export function memoryMediaStorage(files: Record<string, Uint8Array>): Pick<MediaStorage, "open"> {
  return {
    async open(sha256): Promise<OpenedMedia | null> {
      const bytes = files[sha256];
      if (!bytes) return null;
      return {
        size: bytes.byteLength,
        mime: null,
        stream: () => new ReadableStream({ start: (controller) => (controller.enqueue(bytes), controller.close()) }),
      };
    },
  };
}

/** A common persona shared by many annotators, so k-anonymity needs little generalization. */
export const COMMON_PERSONA: PersonaInput = {
  ageBand: "25-34",
  gender: "woman",
  country: "FR",
  languages: ["fr", "en"],
  education: "master",
  expertise: "software",
  aiUsageFrequency: "daily",
  preferences: { factuality: 90, creativity: 30 },
  responseStyle: "concise",
};
