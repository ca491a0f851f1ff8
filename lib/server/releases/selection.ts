import "server-only";
import type { PersonaInput } from "@/lib/domain/anonymization/personas";
import { Prisma } from "@/lib/generated/sqlite/client";
import type { Db } from "@/lib/server/db";

/**
 * Which votes a release contains. A vote is released when it counts for ratings, falls inside the window,
 * is older than the embargo cutoff, and its annotator is not deleted, banned or excluded, has a consent
 * record in force (the newest one) and did not opt out of releases in it.
 */
export interface ReleaseCriteria {
  /** Inclusive. */
  start: Date;
  /** Exclusive: the window end or the embargo cutoff, whichever is earlier. */
  end: Date;
}

export interface ReleaseAnnotator {
  userId: string;
  persona: PersonaInput;
}

/** One released vote as read from the database, before scrubbing and pseudonymization. */
export interface RawReleaseBattle {
  voteId: string;
  userId: string;
  publicId: string;
  modality: "text" | "image" | "audio";
  personalized: boolean;
  createdAt: Date;
  outcome: "model_a" | "model_b" | "tie" | "both_bad";
  feedbackGeneral: string | null;
  feedbackA: string | null;
  feedbackB: string | null;
  listenSecondsA: number | null;
  listenSecondsB: number | null;
  modelA: string;
  modelB: string;
  redistributableA: boolean;
  redistributableB: boolean;
  turns: RawReleaseTurn[];
}

export interface RawReleaseResponse {
  text: string | null;
  mediaSha256: string | null;
  mediaMime: string | null;
}

export interface RawReleaseTurn {
  index: number;
  prompt: string;
  a: RawReleaseResponse | null;
  b: RawReleaseResponse | null;
}

function asBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === 1n || value === "1" || value === "true";
}

function asNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === "number" ? value : Number(value);
}

function asDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

/**
 * First pass: every annotator with at least one releasable vote, with the persona of the newest persona
 * version they voted with in the window (versions only grow). Annotators whose battles carried no persona
 * get an empty one. Memory is one entry per annotator, not per vote.
 */
export async function collectReleaseAnnotators(db: Db, criteria: ReleaseCriteria): Promise<ReleaseAnnotator[]> {
  const rows = await db.$queryRaw<Array<{ userId: string; version: unknown }>>`
    SELECT v."userId" AS "userId", MAX(p."version") AS "version"
    FROM "Vote" v
    JOIN "Battle" b ON b."id" = v."battleId"
    JOIN "User" u ON u."id" = v."userId"
    LEFT JOIN "PersonaVersion" p ON p."id" = b."personaVersionId"
    WHERE v."countsForRating" = TRUE AND v."createdAt" >= ${criteria.start} AND v."createdAt" < ${criteria.end}
      AND u."deletedAt" IS NULL AND u."votesExcludedAt" IS NULL AND u."bannedAt" IS NULL
    GROUP BY v."userId"`;
  const consenting = await usersWithReleaseConsent(db, rows.map((row) => row.userId));
  const annotators: ReleaseAnnotator[] = [];
  const wantedVersions = new Map<string, number>();
  for (const row of rows) {
    if (!consenting.has(row.userId)) continue;
    const version = asNumber(row.version);
    if (version !== null) wantedVersions.set(row.userId, version);
    annotators.push({ userId: row.userId, persona: {} });
  }
  const personas = await loadPersonaVersions(db, wantedVersions);
  for (const annotator of annotators) annotator.persona = personas.get(annotator.userId) ?? {};
  annotators.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  return annotators;
}

const IN_BATCH = 500;

function batches<T>(items: readonly T[], size = IN_BATCH): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

/** Users whose newest consent record exists and does not opt out of releases. */
async function usersWithReleaseConsent(db: Db, userIds: readonly string[]): Promise<Set<string>> {
  const newest = new Map<string, { acceptedAt: Date; optOut: boolean }>();
  for (const batch of batches(userIds)) {
    const records = await db.consentRecord.findMany({
      where: { userId: { in: batch } },
      select: { userId: true, acceptedAt: true, releaseOptOut: true },
    });
    for (const record of records) {
      const current = newest.get(record.userId);
      if (!current || record.acceptedAt >= current.acceptedAt) newest.set(record.userId, { acceptedAt: record.acceptedAt, optOut: record.releaseOptOut });
    }
  }
  return new Set([...newest].filter(([, record]) => !record.optOut).map(([userId]) => userId));
}

async function loadPersonaVersions(db: Db, versions: ReadonlyMap<string, number>): Promise<Map<string, PersonaInput>> {
  const personas = new Map<string, PersonaInput>();
  for (const batch of batches([...versions.keys()])) {
    const rows = await db.personaVersion.findMany({
      where: { userId: { in: batch } },
      select: { userId: true, version: true, data: true },
    });
    for (const row of rows) {
      if (versions.get(row.userId) !== row.version) continue;
      const data = row.data;
      personas.set(row.userId, data && typeof data === "object" && !Array.isArray(data) ? (data as PersonaInput) : {});
    }
  }
  return personas;
}

interface VoteRow {
  voteId: string;
  userId: string;
  battleId: string;
  publicId: string;
  modality: RawReleaseBattle["modality"];
  personalized: unknown;
  createdAt: unknown;
  outcome: RawReleaseBattle["outcome"];
  feedbackGeneral: string | null;
  feedbackA: string | null;
  feedbackB: string | null;
  listenSecondsA: unknown;
  listenSecondsB: unknown;
  modelA: string;
  modelB: string;
  redistributableA: unknown;
  redistributableB: unknown;
}

interface TurnRow {
  battleId: string;
  index: unknown;
  prompt: string;
  side: "a" | "b" | null;
  text: string | null;
  mediaSha256: string | null;
  mediaMime: string | null;
}

/**
 * Second pass: the releasable votes of `annotators`, oldest id first, read page by page (keyset on the
 * vote id), so memory holds one page whatever the size of the release. Each page costs two queries.
 */
export async function* streamReleaseBattles(
  db: Db,
  criteria: ReleaseCriteria,
  annotators: ReadonlySet<string>,
  pageSize = 2000,
): AsyncGenerator<RawReleaseBattle[]> {
  let cursor = "";
  for (;;) {
    const votes = await db.$queryRaw<VoteRow[]>`
      SELECT v."id" AS "voteId", v."userId" AS "userId", v."battleId" AS "battleId", b."publicId" AS "publicId",
        b."modality" AS "modality", b."personalized" AS "personalized", v."createdAt" AS "createdAt", v."outcome" AS "outcome",
        v."feedbackGeneral" AS "feedbackGeneral", v."feedbackA" AS "feedbackA", v."feedbackB" AS "feedbackB",
        v."listenSecondsA" AS "listenSecondsA", v."listenSecondsB" AS "listenSecondsB",
        ma."slug" AS "modelA", mb."slug" AS "modelB", ma."redistributable" AS "redistributableA", mb."redistributable" AS "redistributableB"
      FROM "Vote" v
      JOIN "Battle" b ON b."id" = v."battleId"
      JOIN "ArenaModel" ma ON ma."id" = b."modelAId"
      JOIN "ArenaModel" mb ON mb."id" = b."modelBId"
      WHERE v."id" > ${cursor} AND v."countsForRating" = TRUE AND v."createdAt" >= ${criteria.start} AND v."createdAt" < ${criteria.end}
      ORDER BY v."id"
      LIMIT ${pageSize}`;
    if (votes.length === 0) return;
    cursor = votes[votes.length - 1]!.voteId;
    const released = votes.filter((vote) => annotators.has(vote.userId));
    if (released.length === 0) continue;
    const turnsByBattle = await loadTurns(db, released.map((vote) => vote.battleId));
    yield released.map((vote) => ({
      voteId: vote.voteId,
      userId: vote.userId,
      publicId: vote.publicId,
      modality: vote.modality,
      personalized: asBoolean(vote.personalized),
      createdAt: asDate(vote.createdAt),
      outcome: vote.outcome,
      feedbackGeneral: vote.feedbackGeneral,
      feedbackA: vote.feedbackA,
      feedbackB: vote.feedbackB,
      listenSecondsA: asNumber(vote.listenSecondsA),
      listenSecondsB: asNumber(vote.listenSecondsB),
      modelA: vote.modelA,
      modelB: vote.modelB,
      redistributableA: asBoolean(vote.redistributableA),
      redistributableB: asBoolean(vote.redistributableB),
      turns: turnsByBattle.get(vote.battleId) ?? [],
    }));
    if (votes.length < pageSize) return;
  }
}

async function loadTurns(db: Db, battleIds: readonly string[]): Promise<Map<string, RawReleaseTurn[]>> {
  const rows: TurnRow[] = [];
  for (const batch of batches(battleIds)) {
    rows.push(
      ...(await db.$queryRaw<TurnRow[]>`
        SELECT t."battleId" AS "battleId", t."index" AS "index", t."prompt" AS "prompt", r."side" AS "side", r."text" AS "text",
          r."mediaSha256" AS "mediaSha256", r."mediaMime" AS "mediaMime"
        FROM "Turn" t LEFT JOIN "Response" r ON r."turnId" = t."id"
        WHERE t."battleId" IN (${Prisma.join(batch)})`),
    );
  }
  const turns = new Map<string, Map<number, RawReleaseTurn>>();
  for (const row of rows) {
    const index = Number(row.index);
    let byIndex = turns.get(row.battleId);
    if (!byIndex) turns.set(row.battleId, (byIndex = new Map()));
    let turn = byIndex.get(index);
    if (!turn) byIndex.set(index, (turn = { index, prompt: row.prompt, a: null, b: null }));
    if (row.side) turn[row.side] = { text: row.text, mediaSha256: row.mediaSha256, mediaMime: row.mediaMime };
  }
  return new Map([...turns].map(([battleId, byIndex]) => [battleId, [...byIndex.values()].sort((x, y) => x.index - y.index)]));
}
