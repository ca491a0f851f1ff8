import "server-only";
import { invalidReasonsOf } from "@/lib/domain/battle";
import type { TSide, TSideSnapshot } from "@/lib/domain/battle/stream-events";
import type { TModality, TVoteOutcome } from "@/lib/domain/vocabulary";
import type { ArenaModel } from "@/lib/generated/sqlite/client";
import { modelsById } from "@/lib/server/battles/model-pool";
import { sidesOf } from "@/lib/server/battles/snapshots";
import { battleHub } from "@/lib/server/battles/stream-hub";
import type { Db } from "@/lib/server/db";
import { notFound } from "@/lib/server/errors";
import { storeOf, type TBattleRows, type TVoteCounts } from "@/lib/server/store";

/** A battle as its annotator reads it: the rows with their models, and the view the page and the API return. */

export interface TRevealedModel {
  slug: string;
  displayName: string;
  organizationName: string;
}

export interface TBattleTurnView {
  index: number;
  prompt: string;
  sides: Record<TSide, TSideSnapshot>;
}

/**
 * The vote as the page shows it. No date: the page shows none, and without one the battle view (battle.get,
 * battle.create, battle.vote's answer, the event stream's `end`) is plain JSON, which the tRPC transformer
 * sends without superjson's walk (lib/trpc/transformer.ts).
 */
interface TBattleVoteView {
  outcome: TVoteOutcome;
  countsForRating: boolean;
  invalidReasons: string[];
  /** How many turns the vote judged (later turns are follow-ups after the vote). */
  turnsJudged: number;
}

/** A battle as its annotator sees it: model identities only after the reveal. */
export interface TBattleView {
  id: string;
  modality: TModality;
  status: "generating" | "ready" | "voted" | "abandoned";
  personalized: boolean;
  /** Exactly what was sent about the annotator (null when personalization was off or nothing was known). */
  systemPrompt: string | null;
  revealed: boolean;
  models: Record<TSide, TRevealedModel> | null;
  turns: TBattleTurnView[];
  vote: TBattleVoteView | null;
  /** A generation round is running: subscribe to /api/battles/[id]/stream. */
  generating: boolean;
}

export type TModelWithOrganization = ArenaModel & { organization: { name: string } };

/** The battle with its turns, answers and vote; its two models (with organization) come from the model cache. */
export async function loadOwnBattle(db: Db, userId: string, battleId: string) {
  await rowsOfNewBattleSaved(battleId);
  return withModels(db, ownRows(await (await storeOf(db)).readBattle(battleId), userId));
}

/**
 * loadOwnBattle with what a vote on it is checked against: the user's votes since `since` and the counted
 * votes of the battle's prompt (the store's readBattleToVote, one statement on PostgreSQL).
 */
export async function loadOwnBattleToVote(db: Db, userId: string, battleId: string, since: Date): Promise<{ battle: TLoadedBattle; counts: TVoteCounts }> {
  await rowsOfNewBattleSaved(battleId);
  const read = await (await storeOf(db)).readBattleToVote(battleId, since);
  return { battle: await withModels(db, ownRows(read?.battle ?? null, userId)), counts: read!.counts };
}

/**
 * A battle just created in this process may still be being written: waits until its rows are saved. A failed
 * save is not this read's error (the read then finds no battle).
 */
async function rowsOfNewBattleSaved(battleId: string): Promise<void> {
  await battleHub.get(battleId)?.rowsSaved.catch(() => undefined);
}

/** Another user's battle is reported as missing: ids must not reveal that a battle exists. */
function ownRows(battle: TBattleRows | null, userId: string): TBattleRows {
  if (!battle || battle.userId !== userId) throw notFound("This battle");
  return battle;
}

/** The battle's rows with its two models (with organization) from the model cache. */
async function withModels(db: Db, battle: TBattleRows) {
  const models = await modelsById(db, [battle.modelAId, battle.modelBId]);
  return { ...battle, modelA: models.get(battle.modelAId)!, modelB: models.get(battle.modelBId)! };
}
export type TLoadedBattle = Awaited<ReturnType<typeof loadOwnBattle>>;

function revealedModel(model: TModelWithOrganization): TRevealedModel {
  return { slug: model.slug, displayName: model.displayName, organizationName: model.organization.name };
}

export function revealedModels(battle: Pick<TLoadedBattle, "modelA" | "modelB">): Record<TSide, TRevealedModel> {
  return { a: revealedModel(battle.modelA), b: revealedModel(battle.modelB) };
}

/** The battle's view; the running round (if any) supplies the newest turn's text, which the database lags. */
export function toBattleView(battle: TLoadedBattle): TBattleView {
  const live = battleHub.get(battle.id);
  const turns = battle.turns.map((turn) => ({
    index: turn.index,
    prompt: turn.prompt,
    sides: live && live.turnIndex === turn.index ? live.snapshot.sides : sidesOf(turn.responses),
  }));
  const revealed = battle.revealedAt !== null;
  return {
    id: battle.id,
    modality: battle.modality,
    status: battle.status,
    personalized: battle.personalized,
    systemPrompt: battle.turns[0]?.systemPrompt ?? null,
    revealed,
    models: revealed ? revealedModels(battle) : null,
    turns,
    vote: battle.vote
      ? {
          outcome: battle.vote.outcome,
          countsForRating: battle.vote.countsForRating,
          invalidReasons: invalidReasonsOf(battle.vote.invalidReasons),
          turnsJudged: Math.max(1, battle.turns.filter((turn) => turn.createdAt <= battle.vote!.createdAt).length),
        }
      : null,
    generating: live !== undefined,
  };
}

export async function getBattleView(db: Db, userId: string, battleId: string): Promise<TBattleView> {
  return toBattleView(await loadOwnBattle(db, userId, battleId));
}

/**
 * getBattleView of rows a caller already holds and checked are the user's: the event stream's `end`,
 * made from the rows it read or from those its live round ended with (the same view: both go through
 * withModels and toBattleView).
 */
export async function battleViewOfRows(db: Db, rows: TBattleRows): Promise<TBattleView> {
  return toBattleView(await withModels(db, rows));
}
