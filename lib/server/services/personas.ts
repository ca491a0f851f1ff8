import "server-only";
import { describePersonaForUser, PERSONA_FIELDS, ZPersonaSchema, type TPersona, type TPersonaStatement } from "@/lib/domain/persona";
import { withoutPersonalData } from "@/lib/domain/persona/sendable";
import { PERSONA_BLOCKING_KINDS } from "@/lib/domain/moderation/personal-data";
import { assertNoPersonalData } from "@/lib/server/moderation";
import type { Db } from "@/lib/server/db";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { AppError } from "@/lib/server/errors";
import { promiseCache } from "@/lib/server/promise-cache";

export interface TPersonaVersionView {
  id: string;
  version: number;
  persona: TPersona;
  createdAt: Date;
}

export interface TPersonaDisclosure {
  version: number | null;
  /** Exactly what a personalized battle sends about the user with the default template. */
  statements: TPersonaStatement[];
}

/** Stored personas are re-validated on read; fields a newer schema dropped are stripped, not fatal. */
function parseStoredPersona(data: unknown): TPersona {
  const parsed = ZPersonaSchema.safeParse(data);
  return parsed.success ? parsed.data : {};
}

/** The user's newest persona version, or null before the survey. */
export async function getCurrentPersona(db: Db, userId: string): Promise<TPersonaVersionView | null> {
  const row = await db.personaVersion.findFirst({ where: { userId }, orderBy: { version: "desc" } });
  return row ? { id: row.id, version: row.version, persona: parseStoredPersona(row.data), createdAt: row.createdAt } : null;
}

/** Another instance's persona edit reaches battles started here within this long. */
const PERSONA_CACHE_TTL_MS = 10_000;
const personaCache = promiseCache<string, TPersonaVersionView | null>("personas", { ttlMs: PERSONA_CACHE_TTL_MS, maxEntries: 10_000 });

/**
 * getCurrentPersona with a short in-process cache, for starting battles without a query on the hot
 * path. Saving on this instance refreshes it at once; the battle records whichever version it used.
 */
export function getCurrentPersonaForBattle(db: Db, userId: string): Promise<TPersonaVersionView | null> {
  return personaCache.get(userId, () => getCurrentPersona(db, userId));
}

const MAX_SAVE_ATTEMPTS = 3;

/**
 * Saves the survey as a NEW version (append-only: earlier versions stay, since battles reference the
 * version they were made with). Concurrent saves cannot share a number: the (userId, version)
 * unique constraint rejects the loser, which retries with the next number. Free-text fields carrying
 * personal data are refused field by field (MODERATION_PII=block).
 */
export async function savePersona(db: Db, userId: string, input: unknown): Promise<TPersonaVersionView> {
  const parsed = ZPersonaSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("BAD_REQUEST", `${issue?.path.join(".") || "persona"}: ${issue?.message ?? "invalid value"}`);
  }
  const freeText = PERSONA_FIELDS.filter((field) => field.kind === "text" || field.kind === "textarea");
  assertNoPersonalData(
    freeText.map((field) => ({ field: field.key, label: field.label, text: (parsed.data as Record<string, unknown>)[field.key] as string | undefined })),
    PERSONA_BLOCKING_KINDS,
  );
  for (let attempt = 1; ; attempt++) {
    const latest = await db.personaVersion.findFirst({ where: { userId }, orderBy: { version: "desc" }, select: { version: true } });
    try {
      const row = await db.personaVersion.create({ data: { userId, version: (latest?.version ?? 0) + 1, data: parsed.data } });
      personaCache.delete(userId);
      return { id: row.id, version: row.version, persona: parsed.data, createdAt: row.createdAt };
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= MAX_SAVE_ATTEMPTS) throw error;
    }
  }
}

/** "What the models know about you" for the current persona. */
export async function describeCurrentPersona(db: Db, userId: string): Promise<TPersonaDisclosure> {
  const current = await getCurrentPersona(db, userId);
  return { version: current?.version ?? null, statements: current ? describePersonaForUser(withoutPersonalData(current.persona)) : [] };
}
