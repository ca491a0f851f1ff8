import "server-only";
import { randomInt, type Random } from "@/lib/domain/random";
import type { TModality, TVoteOutcome as TOutcome } from "@/lib/domain/vocabulary";
import { invalidReasonsOf } from "@/lib/domain/battle";
import { recordAudit } from "@/lib/server/audit";
import type { Db } from "@/lib/server/db";
import { AppError, notFound } from "@/lib/server/errors";
import { userLabel } from "@/lib/server/services/users-admin";

type TActor = { id: string };

const battleContentInclude = {
  turns: {
    orderBy: { index: "asc" as const },
    include: { responses: { orderBy: { side: "asc" as const } } },
  },
};

/**
 * Marks a voted battle as a gold check with the outcome an attentive annotator should pick. Only
 * battles whose every answer completed qualify (an errored side cannot be judged). Audited.
 */
export async function markBattleGold(db: Db, actor: TActor, { battleId, goldOutcome }: { battleId: string; goldOutcome: TOutcome }) {
  const battle = await db.battle.findUnique({
    where: { id: battleId },
    select: { id: true, status: true, isGold: true, goldOutcome: true, vote: { select: { id: true } }, turns: { select: { responses: { select: { status: true } } } } },
  });
  if (!battle) throw notFound("The battle");
  if (!battle.vote) throw new AppError("CONFLICT", "Only a battle that has been voted on can become a gold battle.");
  if (battle.turns.some((turn) => turn.responses.some((response) => response.status !== "complete"))) {
    throw new AppError("CONFLICT", "A battle with an unfinished or failed answer cannot be a gold battle.");
  }
  return db.$transaction(async (tx) => {
    const updated = await tx.battle.update({ where: { id: battleId }, data: { isGold: true, goldOutcome }, select: { id: true, isGold: true, goldOutcome: true } });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "battle.gold_mark",
      targetType: "Battle",
      targetId: battleId,
      details: { goldOutcome, previous: battle.isGold ? battle.goldOutcome : null },
    });
    return updated;
  });
}

export async function clearBattleGold(db: Db, actor: TActor, { battleId }: { battleId: string }) {
  const battle = await db.battle.findUnique({ where: { id: battleId }, select: { isGold: true, goldOutcome: true } });
  if (!battle) throw notFound("The battle");
  if (!battle.isGold) throw new AppError("CONFLICT", "This battle is not a gold battle.");
  return db.$transaction(async (tx) => {
    const updated = await tx.battle.update({ where: { id: battleId }, data: { isGold: false, goldOutcome: null }, select: { id: true, isGold: true, goldOutcome: true } });
    await recordAudit(tx, { actorId: actor.id, action: "battle.gold_clear", targetType: "Battle", targetId: battleId, details: { previous: battle.goldOutcome } });
    return updated;
  });
}

/** Gold battles whose content (first prompt and model pair) has the same key are one check. */
function contentKey(prompt: string, modelAId: string, modelBId: string): string {
  return JSON.stringify([prompt, ...[modelAId, modelBId].sort()]);
}

/** How many gold battles `pickGoldBattle` considers; the oldest ones, which are the admins' originals. */
const GOLD_CANDIDATES = 500;

/**
 * A gold battle of `modality` for `userId` to judge, or null when there is none they have not seen.
 * Seen means: they made that battle, or they have any battle with the same first prompt and the
 * same two models (a gold check served to them earlier, or the same matchup they wrote themselves).
 * Copies served to other users share the content of their original and count once. The choice
 * among unseen checks is `random`'s. Returns the battle with its turns and responses (side a first),
 * so the caller can serve the same content with `goldOutcome` as the expected vote.
 */
export async function pickGoldBattle(db: Db, modality: TModality, userId: string, random: Random) {
  const candidates = await db.battle.findMany({
    where: { modality, isGold: true, goldOutcome: { not: null }, status: "voted", userId: { not: userId } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: GOLD_CANDIDATES,
    select: { id: true, modelAId: true, modelBId: true, turns: { where: { index: 0 }, select: { prompt: true } } },
  });
  const byKey = new Map<string, string>();
  for (const candidate of candidates) {
    const prompt = candidate.turns[0]?.prompt;
    if (prompt === undefined) continue;
    const key = contentKey(prompt, candidate.modelAId, candidate.modelBId);
    if (!byKey.has(key)) byKey.set(key, candidate.id);
  }
  if (byKey.size === 0) return null;

  const prompts = [...new Set(candidates.flatMap((candidate) => candidate.turns.map((turn) => turn.prompt)))];
  const seenTurns = await db.turn.findMany({
    where: { index: 0, prompt: { in: prompts }, battle: { userId } },
    select: { prompt: true, battle: { select: { modelAId: true, modelBId: true } } },
  });
  for (const turn of seenTurns) byKey.delete(contentKey(turn.prompt, turn.battle.modelAId, turn.battle.modelBId));
  const unseen = [...byKey.values()];
  if (unseen.length === 0) return null;

  const chosenId = unseen[randomInt(random, unseen.length)];
  return db.battle.findUniqueOrThrow({ where: { id: chosenId }, include: battleContentInclude });
}

interface TAdminBattleSide {
  side: "a" | "b";
  status: string;
  text: string | null;
  mediaSha256: string | null;
  mediaMime: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  latencyMs: number | null;
  attempt: number;
}

export interface TAdminBattle {
  id: string;
  publicId: string;
  modality: TModality;
  status: string;
  personalized: boolean;
  isGold: boolean;
  goldOutcome: TOutcome | null;
  createdAt: Date;
  revealedAt: Date | null;
  annotator: { id: string; label: string; votesExcludedAt: Date | null };
  models: Record<"a" | "b", { id: string; slug: string; displayName: string; organizationName: string }>;
  turns: { index: number; prompt: string; systemPrompt: string | null; sides: TAdminBattleSide[] }[];
  vote: {
    outcome: TOutcome;
    countsForRating: boolean;
    invalidReasons: string[];
    secondsToVote: number | null;
    feedbackGeneral: string | null;
    feedbackA: string | null;
    feedbackB: string | null;
    createdAt: Date;
  } | null;
}

const modelSummary = { select: { id: true, slug: true, displayName: true, organization: { select: { name: true } } } } as const;

/** Everything about one battle for review: prompts, both answers, models, the vote and why it may not count. */
export async function getAdminBattle(db: Db, battleId: string): Promise<TAdminBattle> {
  const battle = await db.battle.findUnique({
    where: { id: battleId },
    include: {
      ...battleContentInclude,
      user: { select: { id: true, email: true, name: true, votesExcludedAt: true } },
      modelA: modelSummary,
      modelB: modelSummary,
      vote: true,
    },
  });
  if (!battle) throw notFound("The battle");
  const summary = (model: typeof battle.modelA) => ({ id: model.id, slug: model.slug, displayName: model.displayName, organizationName: model.organization.name });
  return {
    id: battle.id,
    publicId: battle.publicId,
    modality: battle.modality,
    status: battle.status,
    personalized: battle.personalized,
    isGold: battle.isGold,
    goldOutcome: battle.goldOutcome,
    createdAt: battle.createdAt,
    revealedAt: battle.revealedAt,
    annotator: { id: battle.user.id, label: userLabel(battle.user), votesExcludedAt: battle.user.votesExcludedAt },
    models: { a: summary(battle.modelA), b: summary(battle.modelB) },
    turns: battle.turns.map((turn) => ({
      index: turn.index,
      prompt: turn.prompt,
      systemPrompt: turn.systemPrompt,
      sides: turn.responses.map((response) => ({
        side: response.side,
        status: response.status,
        text: response.text,
        mediaSha256: response.mediaSha256,
        mediaMime: response.mediaMime,
        errorKind: response.errorKind,
        errorMessage: response.errorMessage,
        latencyMs: response.latencyMs,
        attempt: response.attempt,
      })),
    })),
    vote: battle.vote
      ? {
          outcome: battle.vote.outcome,
          countsForRating: battle.vote.countsForRating,
          invalidReasons: invalidReasonsOf(battle.vote.invalidReasons),
          secondsToVote: battle.vote.secondsToVote,
          feedbackGeneral: battle.vote.feedbackGeneral,
          feedbackA: battle.vote.feedbackA,
          feedbackB: battle.vote.feedbackB,
          createdAt: battle.vote.createdAt,
        }
      : null,
  };
}

export interface TAdminBattleListItem {
  id: string;
  modality: TModality;
  createdAt: Date;
  prompt: string;
  modelA: string;
  modelB: string;
  annotatorLabel: string;
  outcome: TOutcome | null;
  countsForRating: boolean | null;
  isGold: boolean;
  goldOutcome: TOutcome | null;
}

const PROMPT_PREVIEW_CHARS = 160;

/** Voted battles, newest first, optionally of one annotator or only gold ones; cursor-paginated by id. */
export async function listAdminBattles(
  db: Db,
  { cursor, limit = 50, userId, goldOnly = false }: { cursor?: string | null; limit?: number; userId?: string; goldOnly?: boolean },
): Promise<{ items: TAdminBattleListItem[]; nextCursor: string | null }> {
  const take = Math.min(Math.max(1, limit), 100);
  const rows = await db.battle.findMany({
    where: { vote: { isNot: null }, ...(userId ? { userId } : {}), ...(goldOnly ? { isGold: true } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: {
      id: true,
      modality: true,
      createdAt: true,
      isGold: true,
      goldOutcome: true,
      user: { select: { id: true, email: true, name: true } },
      modelA: { select: { displayName: true } },
      modelB: { select: { displayName: true } },
      turns: { where: { index: 0 }, select: { prompt: true } },
      vote: { select: { outcome: true, countsForRating: true } },
    },
  });
  const items = rows.slice(0, take).map((row) => ({
    id: row.id,
    modality: row.modality,
    createdAt: row.createdAt,
    prompt: (row.turns[0]?.prompt ?? "").slice(0, PROMPT_PREVIEW_CHARS),
    modelA: row.modelA.displayName,
    modelB: row.modelB.displayName,
    annotatorLabel: userLabel(row.user),
    outcome: row.vote?.outcome ?? null,
    countsForRating: row.vote?.countsForRating ?? null,
    isGold: row.isGold,
    goldOutcome: row.goldOutcome,
  }));
  return { items, nextCursor: rows.length > take ? items.at(-1)!.id : null };
}
