import "server-only";
import { promptHash } from "@/lib/domain/categories";
import { RULES_CLASSIFIER } from "@/lib/server/services/categorize-battles";
import { classifyByRules } from "@/lib/server/services/prompt-rules-thread";
import { rm } from "node:fs/promises";
import { turnSeed } from "@/lib/domain/battle/seed";
import { DEMO_HISTORY_PROMPTS, demoHistoryConfig, demoVoteFeedback, type DemoHistoryModel } from "@/lib/domain/demo/history";
import { generateDemoAnswer, isDemoPersonalityId } from "@/lib/domain/demo/text-personalities";
import { MODALITIES, type TModality } from "@/lib/domain/vocabulary";
import { DEFAULT_PERSONA_TEMPLATE, renderPersonaPrompt } from "@/lib/domain/persona";
import { createRandom, randomInt } from "@/lib/domain/random";
import { simulatePopulation } from "@/lib/domain/simulation";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/sqlite/client";
import type { Db } from "@/lib/server/db";
import { inSqliteTransaction, sqliteDatabaseFile, sqliteValue, writableSqlite } from "@/lib/server/db/sqlite-direct";
import type { SqliteTables } from "@/lib/server/store/kysely";
import { sqliteQueries } from "@/lib/server/store/sqlite-compiled";
import { runWrite } from "@/lib/server/store/sqlite-run";
import { previousPeriod } from "@/lib/server/releases/window";
import { newId, newPublicId } from "@/lib/server/services/battles";
import { forgetLeaderboardState } from "@/lib/server/leaderboards/state";
import { publishRelease, releasableFrom, releaseDirectory } from "@/lib/server/services/releases";

/**
 * The living demo: a simulated history written into a fresh database so every page has something
 * to show (leaderboards with persona segments, the owner dashboard, a published research release).
 * Every row it writes is marked `simulated` (users, battles, votes, the release), so pages and
 * releases can say so and `npm run demo:remove` (removeDemoHistory) can take it out again.
 */
const DEMO_HISTORY_SEED = 20_261_206;
/** Rows per createMany on PostgreSQL (under its 65,535 bind parameters for the widest table). */
const INSERT_CHUNK = 2000;

export interface TDemoHistoryResult {
  created: boolean;
  annotators: number;
  votes: number;
  /** Version of the demo release published from the history, or null when none could be. */
  release: string | null;
  seconds: number;
}

async function demoModels(db: Db): Promise<Record<TModality, DemoHistoryModel[]>> {
  const rows = await db.arenaModel.findMany({
    where: { status: "active", providerKind: { in: ["demo_text", "demo_image", "demo_music"] } },
    select: { id: true, modality: true, providerKind: true, providerModelId: true, extraParams: true },
    orderBy: { slug: "asc" },
  });
  const byModality: Record<TModality, DemoHistoryModel[]> = { text: [], image: [], audio: [] };
  for (const row of rows) {
    const personality = (row.extraParams as { personality?: unknown } | null)?.personality ?? row.providerModelId;
    byModality[row.modality].push({ id: row.id, personality: row.providerKind === "demo_text" && typeof personality === "string" && isDemoPersonalityId(personality) ? personality : null });
  }
  return byModality;
}

async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) await insert(rows.slice(start, start + INSERT_CHUNK));
}

/**
 * Inserts every row in one transaction: on a SQLite file with prepared statements on the app's own
 * connection (Prisma's interactive transaction costs about 5 ms a row there), on PostgreSQL with
 * multi-row createMany batches. Rows carry every column without a database default.
 */
async function insertRows(db: Db, rows: TRows): Promise<void> {
  const file = await sqliteDatabaseFile(db);
  if (file) {
    const connection = await writableSqlite(file);
    const tables: Array<[keyof SqliteTables, object[]]> = [["User", rows.users], ["PersonaVersion", rows.personas], ["ConsentRecord", rows.consents], ["Battle", rows.battles], ["Turn", rows.turns], ["Response", rows.responses], ["Vote", rows.votes]];
    await inSqliteTransaction(connection, () => {
      for (const [table, tableRows] of tables) {
        for (const row of tableRows as Record<string, unknown>[]) {
          // The rows are Prisma's typed create inputs; only their storage types change here.
          const values = Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined).map(([column, value]) => [column, sqliteValue(value)]));
          runWrite(connection, sqliteQueries.insertInto(table).values(values as never).compile());
        }
      }
    });
    return;
  }
  await db.$transaction(
    async (tx) => {
      await insertInChunks(rows.users, (data) => tx.user.createMany({ data }));
      await insertInChunks(rows.personas, (data) => tx.personaVersion.createMany({ data }));
      await insertInChunks(rows.consents, (data) => tx.consentRecord.createMany({ data }));
      await insertInChunks(rows.battles, (data) => tx.battle.createMany({ data }));
      await insertInChunks(rows.turns, (data) => tx.turn.createMany({ data }));
      await insertInChunks(rows.responses, (data) => tx.response.createMany({ data }));
      await insertInChunks(rows.votes, (data) => tx.vote.createMany({ data }));
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** Rows of one simulated modality, built in memory and inserted in batches. */
interface TRows {
  users: Prisma.UserCreateManyInput[];
  personas: Prisma.PersonaVersionCreateManyInput[];
  consents: Prisma.ConsentRecordCreateManyInput[];
  battles: Prisma.BattleCreateManyInput[];
  turns: Prisma.TurnCreateManyInput[];
  responses: Prisma.ResponseCreateManyInput[];
  votes: Prisma.VoteCreateManyInput[];
}

function simulateRows(modality: TModality, models: DemoHistoryModel[], now: Date, seed: number, rows: TRows): void {
  const config = demoHistoryConfig(modality, models, now);
  if (!config) return;
  const population = simulatePopulation(config, seed);
  const random = createRandom(seed ^ 0x5eed);
  // Its own stream, so the comments do not change which prompts and seeds the battles get.
  const feedbackRandom = createRandom(seed ^ 0xfeed);
  const windowStart = new Date(now.getTime() - 61 * 24 * 3_600_000);
  const personality = new Map(models.map((model) => [model.id, model.personality]));
  const annotators = new Map<string, { userId: string; personaVersionId: string; systemPrompt: string | null }>();
  for (const annotator of population.annotators) {
    const userId = newId();
    const personaVersionId = newId();
    const rendered = renderPersonaPrompt(DEFAULT_PERSONA_TEMPLATE, annotator.persona).systemPrompt;
    rows.users.push({ id: userId, name: `Simulated ${modality} annotator ${annotator.id.slice(5)}`, role: "annotator", simulated: true, createdAt: windowStart, updatedAt: windowStart });
    rows.personas.push({ id: personaVersionId, userId, version: 1, data: annotator.persona as Prisma.InputJsonValue, createdAt: windowStart });
    rows.consents.push({ id: newId(), userId, termsVersion: env.TERMS_VERSION, license: env.RELEASE_LICENSE, acceptedAt: windowStart });
    annotators.set(annotator.id, { userId, personaVersionId, systemPrompt: rendered });
  }
  const prompts = DEMO_HISTORY_PROMPTS[modality];
  for (const vote of population.votes) {
    const annotator = annotators.get(vote.annotatorId)!;
    const votedAt = new Date(vote.timestamp);
    const completedAt = new Date(vote.timestamp - Math.round(vote.secondsFromCompleteToVote * 1000));
    const createdAt = new Date(completedAt.getTime() - 4000 - randomInt(random, 8000));
    const battleId = newId();
    const turnId = newId();
    const battleSeed = randomInt(random, 2_147_483_647);
    const prompt = prompts[randomInt(random, prompts.length)];
    rows.battles.push({
      id: battleId,
      publicId: newPublicId(),
      userId: annotator.userId,
      modality,
      personaVersionId: annotator.personaVersionId,
      personalized: true,
      modelAId: vote.modelA,
      modelBId: vote.modelB,
      status: "voted",
      seed: battleSeed,
      simulated: true,
      createdAt,
      completedAt,
      revealedAt: votedAt,
    });
    rows.turns.push({ id: turnId, battleId, index: 0, prompt, systemPrompt: annotator.systemPrompt, createdAt });
    for (const [side, modelId] of [["a", vote.modelA], ["b", vote.modelB]] as const) {
      const textPersonality = personality.get(modelId);
      const messages = [...(annotator.systemPrompt ? [{ role: "system" as const, content: annotator.systemPrompt }] : []), { role: "user" as const, content: prompt }];
      rows.responses.push({
        id: newId(),
        turnId,
        side,
        modelId,
        status: "complete",
        text: textPersonality ? generateDemoAnswer(textPersonality, messages, turnSeed(battleSeed, 0)) : null,
        latencyMs: 300 + randomInt(random, 2500),
        startedAt: createdAt,
        completedAt,
      });
    }
    rows.votes.push({
      id: newId(),
      battleId,
      userId: annotator.userId,
      modality,
      modelAId: vote.modelA,
      modelBId: vote.modelB,
      outcome: vote.outcome,
      listenSecondsA: modality === "audio" ? 10 : null,
      listenSecondsB: modality === "audio" ? 10 : null,
      countsForRating: true,
      secondsToVote: vote.secondsFromCompleteToVote,
      simulated: true,
      createdAt: votedAt,
      ...demoVoteFeedback(vote.outcome, feedbackRandom),
    });
  }
}

/**
 * Simulated text battles are tagged as they are written (prompt hash, categories, language), as a real
 * battle is at its vote, so the background tagger has nothing to catch up on after seeding.
 */
async function tagSimulatedTextBattles(rows: TRows): Promise<void> {
  const promptOf = new Map(rows.turns.map((turn) => [turn.battleId, turn.prompt]));
  const textBattles = rows.battles.filter((battle) => battle.modality === "text" && promptOf.has(battle.id!));
  const prompts = [...new Set(textBattles.map((battle) => promptOf.get(battle.id!)!))];
  const verdicts = await classifyByRules(prompts.map((prompt) => [prompt]));
  const tags = new Map(
    prompts.map((prompt, index) => [prompt, { categories: verdicts[index]!.categories.join(","), language: verdicts[index]!.language, promptHash: promptHash(prompt) }]),
  );
  const tagsOfBattle = new Map<string, string>();
  for (const battle of textBattles) {
    const tag = tags.get(promptOf.get(battle.id!)!)!;
    Object.assign(battle, { ...tag, categorizedBy: RULES_CLASSIFIER });
    tagsOfBattle.set(battle.id!, tag.categories);
  }
  for (const vote of rows.votes) {
    const categories = tagsOfBattle.get(vote.battleId);
    if (categories !== undefined) vote.categories = categories;
  }
}

/** The newest weekly window whose embargo has passed at `now`: the demo release can be published at once. */
function demoReleaseWindow(now: Date): string {
  let period = previousPeriod(now, "weekly");
  while (releasableFrom(period, env.RELEASE_EMBARGO_DAYS) > now) period = previousPeriod(period.start, "weekly");
  return period.version;
}

/**
 * Writes the simulated history into the database unless one is already there: a few hundred
 * simulated annotators with personas and consent, their battles (prompts, demo answers) and votes
 * (8 % with a canned written comment) over the last 60 days, then publishes a demo release of a past week. Rows are inserted in one
 * transaction (see insertRows); the demo models must exist (seedDemoContent). Idempotent.
 */
export async function seedDemoHistory(db: Db, options: { now?: Date; seed?: number; releaseDir?: string } = {}): Promise<TDemoHistoryResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const seconds = () => Math.round((performance.now() - started) / 10) / 100;
  if (await db.user.findFirst({ where: { simulated: true }, select: { id: true } })) return { created: false, annotators: 0, votes: 0, release: null, seconds: seconds() };
  const models = await demoModels(db);
  const rows: TRows = { users: [], personas: [], consents: [], battles: [], turns: [], responses: [], votes: [] };
  for (const [index, modality] of MODALITIES.entries()) simulateRows(modality, models[modality], now, (options.seed ?? DEMO_HISTORY_SEED) + index, rows);
  if (rows.votes.length === 0) return { created: false, annotators: 0, votes: 0, release: null, seconds: seconds() };
  await tagSimulatedTextBattles(rows);
  await insertRows(db, rows);
  forgetLeaderboardState(db);
  let release: string | null = null;
  try {
    release = (await publishRelease(db, { window: demoReleaseWindow(now), now, releaseDir: options.releaseDir })).version;
  } catch (error) {
    console.error("[demo] the demo release could not be published", error);
  }
  return { created: true, annotators: rows.users.length, votes: rows.votes.length, release, seconds: seconds() };
}

export interface TDemoRemovalResult {
  annotators: number;
  votes: number;
  releases: string[];
}

/**
 * Removes everything the living demo simulated: its releases (rows and files), votes, battles (with
 * their turns and answers), personas, consent records and annotators, then drops the stored
 * leaderboards so they are recomputed from the real votes alone. The demo models stay (they are
 * registry entries an admin can retire). A running app notices the removed votes on its next
 * leaderboard run (the counted-votes check of refreshAggregates) and reads the votes again.
 */
export async function removeDemoHistory(db: Db, options: { releaseDir?: string } = {}): Promise<TDemoRemovalResult> {
  const users = await db.user.findMany({ where: { simulated: true }, select: { id: true } });
  const userIds = users.map((user) => user.id);
  const releases = await db.release.findMany({ where: { simulated: true }, select: { version: true } });
  const result = await db.$transaction(
    async (tx) => {
      const votes = await tx.vote.deleteMany({ where: { simulated: true } });
      await tx.battle.deleteMany({ where: { simulated: true } });
      await tx.release.deleteMany({ where: { simulated: true } });
      if (userIds.length > 0) {
        // Rows a simulated annotator may own besides battles and votes.
        await tx.auditLog.updateMany({ where: { actorId: { in: userIds } }, data: { actorId: null } });
        await tx.user.deleteMany({ where: { id: { in: userIds } } });
      }
      await tx.leaderboardSnapshot.deleteMany({});
      await tx.leaderboardState.deleteMany({});
      return { votes: votes.count };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  for (const { version } of releases) await rm(releaseDirectory(version, options.releaseDir), { recursive: true, force: true });
  forgetLeaderboardState(db);
  return { annotators: userIds.length, votes: result.votes, releases: releases.map((release) => release.version) };
}

/** How much simulated demo data the database holds, for the "simulated demo data" notes on pages. */
export async function countSimulatedVotes(db: Db, modality?: TModality): Promise<number> {
  return db.vote.count({ where: { simulated: true, ...(modality ? { modality } : {}) } });
}
