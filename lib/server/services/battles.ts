import "server-only";
import { randomFillSync, randomInt, randomUUID } from "node:crypto";
import { choosePersonalizedSides } from "@/lib/domain/battle/personalization-experiment";
import { MAX_BATTLE_SEED, turnSeed } from "@/lib/domain/battle/seed";
import { SIDES, type TSide, type TSideSnapshot } from "@/lib/domain/battle/stream-events";
import { promptHash } from "@/lib/domain/categories";
import { sampleBattlePair, type TMatchmakingModel } from "@/lib/domain/matchmaking";
import {
  buildConversationMessages,
  DEFAULT_PERSONA_TEMPLATE,
  describePersonaForUser,
  renderPersonaPrompt,
  validatePersonaTemplate,
  type TPersona,
} from "@/lib/domain/persona";
import { createRandom } from "@/lib/domain/random";
import type { TModality } from "@/lib/domain/vocabulary";
import { env } from "@/lib/env";
import { Prisma, type ArenaModel, type Response, type Turn } from "@/lib/generated/sqlite/client";
import { startGenerationRound, type TSideJob } from "@/lib/server/battles/generation";
import { activeModelsOf } from "@/lib/server/battles/model-pool";
import { insertBattleRows } from "@/lib/server/battles/write-batcher";
import { hasUsableAnswer, sidesOf } from "@/lib/server/battles/snapshots";
import { battleHub } from "@/lib/server/battles/stream-hub";
import type { Db } from "@/lib/server/db";
import { AppError, notFound } from "@/lib/server/errors";
import { battlesCreated } from "@/lib/server/metrics";
import { assertPromptAllowed } from "@/lib/server/moderation";
import { withoutPersonalData } from "@/lib/domain/persona/sendable";
import { promiseCache } from "@/lib/server/promise-cache";
import { enforceRateLimit } from "@/lib/server/rate-limit";
import { getCurrentPersonaForBattle } from "@/lib/server/services/personas";
import { storeOf, type TBattleRows, type TNewBattleRows } from "@/lib/server/store";
import { getBattleView, loadOwnBattle, toBattleView, type TBattleTurnView, type TBattleView, type TLoadedBattle, type TModelWithOrganization } from "@/lib/server/services/battle-view";


export interface TCreateBattleInput {
  modality: TModality;
  prompt: string;
  personalized: boolean;
}

const MAX_TURNS_PER_BATTLE = 20;
const VOTE_COUNT_CACHE_MS = 30_000;
/** A new battle's rows are written at the latest this long after it starts, first tokens or not. */
const ROW_WRITE_DEADLINE_MS = 1000;

const voteCountCache = promiseCache<TModality, Map<string, number>>("vote-counts", { ttlMs: VOTE_COUNT_CACHE_MS });

/**
 * Counted votes per model of a modality, for matchmaking's low-data boost. Cached for 30 s per
 * process: the boost only needs the order of magnitude, and battle creation stays cheap. The
 * query's promise is cached, so the battles started while it runs share it.
 */
function countedVotesByModel(db: Db, modality: TModality): Promise<Map<string, number>> {
  return voteCountCache.get(modality, () => queryCountedVotesByModel(db, modality));
}

async function queryCountedVotesByModel(db: Db, modality: TModality): Promise<Map<string, number>> {
  const where = { modality, countsForRating: true };
  const [asA, asB] = await Promise.all([
    db.vote.groupBy({ by: ["modelAId"], where, _count: { _all: true } }),
    db.vote.groupBy({ by: ["modelBId"], where, _count: { _all: true } }),
  ]);
  const counts = new Map<string, number>();
  for (const row of asA) counts.set(row.modelAId, (counts.get(row.modelAId) ?? 0) + row._count._all);
  for (const row of asB) counts.set(row.modelBId, (counts.get(row.modelBId) ?? 0) + row._count._all);
  return counts;
}

/** Picks the pair on the server: active models of the modality, registry weights, low-data boost, random sides. */
async function pickModels(db: Db, modality: TModality): Promise<{ modelA: TModelWithOrganization; modelB: TModelWithOrganization }> {
  const [models, votes] = await Promise.all([activeModelsOf(db, modality), countedVotesByModel(db, modality)]);
  const candidates: Array<TMatchmakingModel & { row: TModelWithOrganization }> = models.map((model) => ({
    id: model.id,
    organizationId: model.organizationId,
    modality: model.modality,
    active: model.status === "active",
    paused: false,
    weight: Math.max(0, model.samplingWeight),
    votes: votes.get(model.id) ?? 0,
    row: model,
  }));
  const result = sampleBattlePair(
    candidates,
    { modality, distinctOrganizations: env.MATCHMAKING_DISTINCT_ORGANIZATIONS },
    createRandom(randomInt(0, 2 ** 32)),
  );
  if (!result.ok) {
    const kind = modality === "audio" ? "music" : modality;
    throw new AppError(
      "CONFLICT",
      result.reason === "not_enough_organizations"
        ? `Not enough ${kind} models from different organizations are available right now. Please try again later.`
        : `Not enough ${kind} models are available right now. Please try again later.`,
    );
  }
  return { modelA: result.modelA.row, modelB: result.modelB.row };
}

/**
 * Both models receive the same persona context. Models may register their own template; it is
 * used only when both models of the battle share it, otherwise the default template keeps the
 * comparison fair. An invalid registered template also falls back to the default.
 */
function chooseTemplate(modelA: Pick<ArenaModel, "personaTemplate">, modelB: Pick<ArenaModel, "personaTemplate">): string {
  const shared = modelA.personaTemplate && modelA.personaTemplate === modelB.personaTemplate ? modelA.personaTemplate : null;
  return shared && validatePersonaTemplate(shared).ok ? shared : DEFAULT_PERSONA_TEMPLATE;
}

/**
 * What is sent about the annotator: the rendered system prompt for text, "Label: value" lines for
 * image and music models (their APIs take a short persona context, not a chat system prompt).
 */
function personaContextFor(modality: TModality, template: string, stored: TPersona | null): string | null {
  if (!stored) return null;
  const persona = withoutPersonalData(stored);
  if (modality === "text") return renderPersonaPrompt(template, persona).systemPrompt;
  const statements = describePersonaForUser(persona, template);
  return statements.length > 0 ? statements.map((statement) => statement.text).join("\n") : null;
}

function sideJob(
  modality: TModality,
  side: TSide,
  responseId: string,
  model: ArenaModel,
  context: { systemPrompt: string | null; previousTurns: Array<{ prompt: string; answers: Record<TSide, string | null> }>; prompt: string; seed: number },
): TSideJob {
  const { seed } = context;
  if (modality !== "text") return { side, responseId, model, seed, kind: "media", prompt: context.prompt, personaContext: context.systemPrompt };
  const messages = buildConversationMessages({
    systemPrompt: context.systemPrompt,
    turns: context.previousTurns.map((turn) => ({ prompt: turn.prompt, answer: turn.answers[side] ?? undefined })),
    newPrompt: context.prompt,
  });
  return { side, responseId, model, seed, kind: "text", messages };
}

/** What one side of a stored battle was told about the annotator: nothing on the generic side of an experiment battle. */
function systemPromptOfSide(battle: Pick<TLoadedBattle, "personalizedA" | "personalizedB" | "turns">, side: TSide): string | null {
  const personalized = side === "a" ? battle.personalizedA : battle.personalizedB;
  return personalized ? (battle.turns[0]?.systemPrompt ?? null) : null;
}

/** What an answer holds before its model has answered: a new answer's fields, and a retried one's again. */
export const UNANSWERED = {
  text: null,
  mediaSha256: null,
  mediaMime: null,
  mediaBytes: null,
  durationSeconds: null,
  inputTokens: null,
  outputTokens: null,
  firstTokenMs: null,
  latencyMs: null,
  errorKind: null,
  errorMessage: null,
  completedAt: null,
} as const;

/** Ids of the rows the app writes itself (battles, turns, answers, votes): 32 hex characters. */
export const newId = () => randomUUID().replaceAll("-", "");

/** A battle's public id (the one releases derive theirs from): 12 random bytes, base64url. */
const PUBLIC_ID_BYTES = 12;
/**
 * Random bytes for public ids, drawn 256 ids at a time, as randomUUID draws its own: a synchronous
 * randomBytes(12) per battle was ~1 % of the request thread's CPU in the load bench's profile. Each
 * id takes its own unused bytes, so the ids are as random as one randomBytes(12) each.
 */
const publicIdPool = Buffer.alloc(PUBLIC_ID_BYTES * 256);
let publicIdAt = publicIdPool.length;

export function newPublicId(): string {
  if (publicIdAt === publicIdPool.length) {
    randomFillSync(publicIdPool);
    publicIdAt = 0;
  }
  const id = publicIdPool.toString("base64url", publicIdAt, publicIdAt + PUBLIC_ID_BYTES);
  publicIdAt += PUBLIC_ID_BYTES;
  return id;
}
const streamingSide = (attempt = 1): TSideSnapshot => ({ status: "streaming", text: "", errorKind: null, errorMessage: null, media: null, attempt });

/**
 * Starts a battle: checks the rate limit and the prompt, picks two models, renders the persona
 * context, and starts both answers on the server before the rows are even written (the stream
 * buffers them), so the first token is not delayed by the database. A store of one process (SQLite)
 * writes the rows after the first tokens and reads of the battle wait for them; a store shared by
 * instances (PostgreSQL) writes them at once and the answer waits for them. Returns the battle's view.
 */
export async function createBattle(db: Db, user: { id: string }, input: TCreateBattleInput, ip: string | null = null): Promise<TBattleView> {
  await enforceRateLimit("battle", { userId: user.id, ip });
  await assertPromptAllowed(input.prompt);
  const [{ modelA, modelB }, current, store] = await Promise.all([pickModels(db, input.modality), getCurrentPersonaForBattle(db, user.id), storeOf(db)]);
  const template = chooseTemplate(modelA, modelB);
  const systemPrompt = input.personalized ? personaContextFor(input.modality, template, current?.persona ?? null) : null;
  const personalizedSides = choosePersonalizedSides(systemPrompt !== null, env.PERSONALIZATION_EXPERIMENT_SHARE, createRandom(randomInt(0, 2 ** 32)));

  const battleId = newId();
  const seed = randomInt(MAX_BATTLE_SEED);
  const responseIds: Record<TSide, string> = { a: newId(), b: newId() };
  const models: Record<TSide, ArenaModel> = { a: modelA, b: modelB };
  const turnId = newId();
  const createdAt = new Date();
  const rows: TNewBattleRows = {
    battle: {
      id: battleId,
      createdAt,
      publicId: newPublicId(),
      userId: user.id,
      modality: input.modality,
      personaVersionId: current?.id ?? null,
      personalized: input.personalized,
      personalizedA: personalizedSides.a,
      personalizedB: personalizedSides.b,
      promptHash: promptHash(input.prompt),
      modelAId: modelA.id,
      modelBId: modelB.id,
      seed,
      status: "generating",
      isGold: false,
      goldOutcome: null,
      simulated: false,
      completedAt: null,
      revealedAt: null,
      categories: null,
      language: null,
      categorizedBy: null,
    },
    turn: { id: turnId, battleId, index: 0, prompt: input.prompt, systemPrompt, createdAt },
    responses: SIDES.map((side) => ({
      id: responseIds[side],
      turnId,
      side,
      modelId: models[side].id,
      status: "streaming" as const,
      ...UNANSWERED,
      styleFeatures: null,
      attempt: 1,
      startedAt: createdAt,
    })),
  };
  let writeRows!: () => void;
  const rowsSaved = new Promise<void>((resolve) => (writeRows = resolve)).then(() => insertBattleRows(db, rows));
  const round = startGenerationRound({
    db,
    userId: user.id,
    battleId,
    turnIndex: 0,
    initialSides: { a: streamingSide(), b: streamingSide() },
    jobs: SIDES.map((side) =>
      sideJob(input.modality, side, responseIds[side], models[side], { systemPrompt: personalizedSides[side] ? systemPrompt : null, previousTurns: [], prompt: input.prompt, seed: turnSeed(seed, 0) }),
    ),
    rowsSaved,
    battle: { ...rows.battle, turns: [{ ...rows.turn, responses: rows.responses }], vote: null },
  });
  if (store.sharedByInstances) {
    // The battle is stored before its id is given out, so the next request finds it whichever instance
    // it reaches. The answers have already started.
    writeRows();
    await rowsSaved;
  } else {
    // One process owns the database. The rows are written once both answers have started (or after
    // ROW_WRITE_DEADLINE_MS), not in front of the first tokens: a SQLite write blocks the event loop
    // that streams them.
    const deadline = setTimeout(writeRows, ROW_WRITE_DEADLINE_MS);
    void round.firstEvents.then(() => {
      clearTimeout(deadline);
      writeRows();
    });
  }
  battlesCreated.inc({ modality: input.modality });
  // Answered from memory: on SQLite the rows may still be being written, and nothing the caller does
  // next can miss them (reads of this battle wait for the write; the event stream relays the live round).
  return {
    id: battleId,
    modality: input.modality,
    status: "generating",
    personalized: input.personalized,
    systemPrompt,
    revealed: false,
    models: null,
    turns: [{ index: 0, prompt: input.prompt, sides: round.snapshot.sides }],
    vote: null,
    generating: true,
  };
}

function previousTurnsOf(battle: TLoadedBattle, beforeIndex: number) {
  return battle.turns
    .filter((turn) => turn.index < beforeIndex)
    .map((turn) => {
      const sides = sidesOf(turn.responses);
      return { prompt: turn.prompt, answers: { a: hasUsableAnswer(sides.a) ? sides.a.text : null, b: hasUsableAnswer(sides.b) ? sides.b.text : null } };
    });
}

/**
 * The battle as it stands when a round has just started (the running turn taken from the round,
 * plus `newTurn` for a follow-up): a mutation answers with the state it created, not with whatever
 * the round has reached by the time a re-read would return, and needs no extra query.
 */
function startedRoundView(battle: TLoadedBattle, newTurn?: TBattleTurnView): TBattleView {
  const view = toBattleView(battle);
  const turns = newTurn ? [...view.turns, newTurn] : view.turns;
  return { ...view, status: battle.status === "ready" ? "generating" : battle.status, turns, generating: true };
}

/**
 * The battle's rows once a new round's rows are saved: its status write makes a ready battle generate
 * again (a voted one stays voted: the vote was about the conversation so far), with the round's `turns`.
 */
function generatingAgain(battle: TLoadedBattle, turns: TBattleRows["turns"]): TBattleRows {
  return { ...battle, ...(battle.status === "ready" ? { status: "generating", completedAt: null } : {}), turns };
}

function assertNotGenerating(battle: TLoadedBattle): void {
  if (battleHub.get(battle.id) || battle.status === "generating") {
    throw new AppError("CONFLICT", "Please wait until both answers have finished.");
  }
}

/**
 * A follow-up turn: each model gets the whole conversation with its OWN earlier answers. Allowed
 * before the vote (the vote then covers the whole conversation) and after the reveal (no longer
 * anonymous; the page says so). Needs both answers of the last turn.
 */
export async function continueBattle(db: Db, user: { id: string }, input: { battleId: string; prompt: string }, ip: string | null = null): Promise<TBattleView> {
  const battle = await loadOwnBattle(db, user.id, input.battleId);
  if (battle.status === "abandoned") throw new AppError("CONFLICT", "This battle was closed. Start a new one.");
  assertNotGenerating(battle);
  const last = battle.turns.at(-1);
  if (!last) throw new AppError("CONFLICT", "This battle has no answers to continue from.");
  const lastSides = sidesOf(last.responses);
  if (!SIDES.every((side) => hasUsableAnswer(lastSides[side]))) {
    throw new AppError("CONFLICT", "One answer failed. Retry it before asking a follow-up.");
  }
  if (battle.turns.length >= MAX_TURNS_PER_BATTLE) {
    throw new AppError("CONFLICT", `A battle can have at most ${MAX_TURNS_PER_BATTLE} turns. Start a new battle to keep going.`);
  }
  await enforceRateLimit("battle", { userId: user.id, ip });
  await assertPromptAllowed(input.prompt);

  const turnIndex = last.index + 1;
  const systemPrompt = battle.turns[0]?.systemPrompt ?? null;
  const responseIds: Record<TSide, string> = { a: newId(), b: newId() };
  const models: Record<TSide, ArenaModel> = { a: battle.modelA, b: battle.modelB };
  const previousTurns = previousTurnsOf(battle, turnIndex);
  // Every column is given, so the round holds the rows exactly as stored.
  const createdAt = new Date();
  const turn: Turn = { id: newId(), battleId: battle.id, index: turnIndex, prompt: input.prompt, systemPrompt, createdAt };
  const responses: Response[] = SIDES.map((side) => ({
    id: responseIds[side],
    turnId: turn.id,
    side,
    modelId: models[side].id,
    status: "streaming",
    ...UNANSWERED,
    styleFeatures: null,
    attempt: 1,
    startedAt: createdAt,
  }));
  const rowsSaved = db.$transaction([
    db.turn.create({ data: { ...turn, responses: { create: responses.map(({ turnId: _turnId, styleFeatures: _none, ...response }) => response) } } }),
    // A voted battle stays voted: the vote was about the conversation so far.
    db.battle.updateMany({ where: { id: battle.id, status: "ready" }, data: { status: "generating", completedAt: null } }),
  ]);
  const round = startGenerationRound({
    db,
    userId: user.id,
    battleId: battle.id,
    turnIndex,
    initialSides: { a: streamingSide(), b: streamingSide() },
    jobs: SIDES.map((side) =>
      sideJob(battle.modality, side, responseIds[side], models[side], { systemPrompt: systemPromptOfSide(battle, side), previousTurns, prompt: input.prompt, seed: turnSeed(battle.seed, turnIndex) }),
    ),
    rowsSaved,
    battle: generatingAgain(battle, [...battle.turns, { ...turn, responses }]),
  });
  const view = startedRoundView(battle, { index: turnIndex, prompt: input.prompt, sides: round.snapshot.sides });
  await rowsSaved;
  return view;
}

/** Generates a failed side of the newest turn again (a new attempt); the other side keeps its answer. */
export async function retryBattleSide(db: Db, user: { id: string }, input: { battleId: string; side: TSide }): Promise<TBattleView> {
  const battle = await loadOwnBattle(db, user.id, input.battleId);
  if (battle.vote) throw new AppError("CONFLICT", "This battle already has your vote.");
  if (battle.status === "abandoned") throw new AppError("CONFLICT", "This battle was closed. Start a new one.");
  assertNotGenerating(battle);
  const last = battle.turns.at(-1);
  const response = last?.responses.find((candidate) => candidate.side === input.side);
  if (!last || !response) throw notFound("This answer");
  const sides = sidesOf(last.responses);
  if (hasUsableAnswer(sides[input.side])) throw new AppError("CONFLICT", "This answer did not fail, so there is nothing to retry.");

  const attempt = response.attempt + 1;
  const retried: Response = { ...response, status: "streaming", attempt, ...UNANSWERED, styleFeatures: null, startedAt: new Date() };
  const rowsSaved = db.$transaction([
    db.response.update({
      where: { id: response.id },
      data: { status: "streaming", attempt, ...UNANSWERED, styleFeatures: Prisma.DbNull, startedAt: retried.startedAt },
    }),
    db.battle.updateMany({ where: { id: battle.id, status: "ready" }, data: { status: "generating", completedAt: null } }),
  ]);
  const model = input.side === "a" ? battle.modelA : battle.modelB;
  startGenerationRound({
    db,
    userId: user.id,
    battleId: battle.id,
    turnIndex: last.index,
    initialSides: { ...sides, [input.side]: streamingSide(attempt) },
    jobs: [
      sideJob(battle.modality, input.side, response.id, model, {
        systemPrompt: systemPromptOfSide(battle, input.side),
        previousTurns: previousTurnsOf(battle, last.index),
        prompt: last.prompt,
        seed: turnSeed(battle.seed, last.index),
      }),
    ],
    rowsSaved,
    battle: generatingAgain(
      battle,
      battle.turns.map((turn) => (turn === last ? { ...turn, responses: turn.responses.map((candidate) => (candidate === response ? retried : candidate)) } : turn)),
    ),
  });
  const view = startedRoundView(battle);
  await rowsSaved;
  return view;
}

/**
 * "Skip and reveal": shows the model names without voting. A vote after this is stored but not rated.
 * Not while answers generate (the page offers it only after them): a running round is the only writer
 * of its battle, so it ends with the battle as stored without reading it (startGenerationRound). A
 * battle already revealed is answered as it is.
 */
export async function revealBattle(db: Db, user: { id: string }, battleId: string): Promise<TBattleView> {
  const battle = await loadOwnBattle(db, user.id, battleId);
  if (battle.revealedAt) return toBattleView(battle);
  assertNotGenerating(battle);
  await db.battle.updateMany({ where: { id: battle.id, revealedAt: null }, data: { revealedAt: new Date() } });
  return getBattleView(db, user.id, battle.id);
}
