import "server-only";
import type { PersonaInput } from "@/lib/domain/anonymization/personas";
import type { TModality, TVoteOutcome } from "@/lib/domain/vocabulary";
import type { Db } from "@/lib/server/db";
import { databaseKind, resolveSqliteUrl } from "@/lib/server/db/adapter";

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
  modality: TModality;
  personalizedA: boolean;
  personalizedB: boolean;
  /** Stored categories ("a,b"; "" none; null untagged), language and first-prompt hash of the battle. */
  categories: string | null;
  language: string | null;
  promptHash: string | null;
  createdAt: Date;
  outcome: TVoteOutcome;
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
  /** What the persona-seeing side(s) were told; null when personalization was off. */
  systemPrompt: string | null;
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

/** Columns of the page query, in order: a row is one turn of one vote (null turn columns when it has none). */
const PAGE_COLUMNS = `v."id", v."userId", b."publicId", b."modality", b."personalized", v."createdAt", v."outcome",
  v."feedbackGeneral", v."feedbackA", v."feedbackB", v."listenSecondsA", v."listenSecondsB",
  ma."slug", mb."slug", ma."redistributable", mb."redistributable",
  t."index", t."prompt", ra."id", ra."text", ra."mediaSha256", ra."mediaMime", rb."id", rb."text", rb."mediaSha256", rb."mediaMime",
  b."personalizedA", b."personalizedB", b."categories", b."language", b."promptHash", t."systemPrompt"`;
const PAGE_COLUMN_COUNT = 32;

/**
 * One page of votes (keyset on the vote id) with their battle, models, turns and both responses, in one
 * query; `placeholder(n)` spells the n-th parameter (cursor, start, end, page size) for the driver.
 */
function pageQuery(placeholder: (position: number) => string): string {
  return `SELECT ${PAGE_COLUMNS}
    FROM (
      SELECT "id", "userId", "battleId", "createdAt", "outcome", "feedbackGeneral", "feedbackA", "feedbackB", "listenSecondsA", "listenSecondsB"
      FROM "Vote"
      WHERE "id" > ${placeholder(1)} AND "countsForRating" = TRUE AND "createdAt" >= ${placeholder(2)} AND "createdAt" < ${placeholder(3)}
      ORDER BY "id"
      LIMIT ${placeholder(4)}
    ) v
    JOIN "Battle" b ON b."id" = v."battleId"
    JOIN "ArenaModel" ma ON ma."id" = b."modelAId"
    JOIN "ArenaModel" mb ON mb."id" = b."modelBId"
    LEFT JOIN "Turn" t ON t."battleId" = b."id"
    LEFT JOIN "Response" ra ON ra."turnId" = t."id" AND ra."side" = 'a'
    LEFT JOIN "Response" rb ON rb."turnId" = t."id" AND rb."side" = 'b'
    ORDER BY v."id", t."index"`;
}

type PageRow = unknown[];

/** Reads one page of rows; `close` releases what the reader holds. */
interface PageReader {
  read(cursor: string, criteria: ReleaseCriteria, pageSize: number): Promise<PageRow[]>;
  close(): void;
}

/**
 * SQLite: a read-only connection of its own through libsql's raw row arrays, which skips the per-value
 * conversions of the Prisma driver adapter (a third of the publish time at a million battles). Dates
 * are compared as the adapter stores them (ISO 8601 with `+00:00`).
 */
async function openSqlitePageReader(databaseUrl: string): Promise<PageReader> {
  const { default: Database } = await import("libsql");
  const path = resolveSqliteUrl(databaseUrl).slice("file:".length).split("?", 1)[0]!;
  const connection = new Database(path, { readonly: true });
  const statement = connection.prepare(pageQuery(() => "?")).raw(true);
  const sqliteDate = (date: Date) => date.toISOString().replace("Z", "+00:00");
  return {
    async read(cursor, criteria, pageSize) {
      return statement.all(cursor, sqliteDate(criteria.start), sqliteDate(criteria.end), pageSize) as PageRow[];
    },
    close: () => connection.close(),
  };
}

/** Any database through Prisma (PostgreSQL, or SQLite without a known URL). */
function prismaPageReader(db: Db): PageReader {
  const sql = pageQuery((position) => `$${position}`);
  return {
    async read(cursor, criteria, pageSize) {
      const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(
        sql.replace(`SELECT ${PAGE_COLUMNS}`, `SELECT ${aliasedColumns()}`).replace("LIMIT $4", "LIMIT $4::int"),
        cursor,
        criteria.start,
        criteria.end,
        pageSize,
      );
      return rows.map((row) => Array.from({ length: PAGE_COLUMN_COUNT }, (_, index) => row[`c${index}`]));
    },
    close: () => undefined,
  };
}

/** PAGE_COLUMNS as `… AS "c0", … AS "c1"`, because Prisma returns rows as objects keyed by name. */
function aliasedColumns(): string {
  return PAGE_COLUMNS.split(",").map((column, index) => `${column.trim()} AS "c${index}"`).join(", ");
}

function asText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function responseOf(row: PageRow, offset: number): RawReleaseResponse | null {
  if (row[offset] === null || row[offset] === undefined) return null;
  return { text: asText(row[offset + 1]), mediaSha256: asText(row[offset + 2]), mediaMime: asText(row[offset + 3]) };
}

function battleOf(row: PageRow): RawReleaseBattle {
  return {
    voteId: String(row[0]),
    userId: String(row[1]),
    publicId: String(row[2]),
    modality: row[3] as RawReleaseBattle["modality"],
    personalizedA: asBoolean(row[26]),
    personalizedB: asBoolean(row[27]),
    categories: asText(row[28]),
    language: asText(row[29]),
    promptHash: asText(row[30]),
    createdAt: asDate(row[5]),
    outcome: row[6] as RawReleaseBattle["outcome"],
    feedbackGeneral: asText(row[7]),
    feedbackA: asText(row[8]),
    feedbackB: asText(row[9]),
    listenSecondsA: asNumber(row[10]),
    listenSecondsB: asNumber(row[11]),
    modelA: String(row[12]),
    modelB: String(row[13]),
    redistributableA: asBoolean(row[14]),
    redistributableB: asBoolean(row[15]),
    turns: [],
  };
}

export interface StreamReleaseBattlesOptions {
  pageSize?: number;
  /** The database `db` reads (a `file:` URL opens the fast SQLite reader); PostgreSQL goes through `db`. */
  databaseUrl?: string;
}

/**
 * Second pass: the releasable votes of `annotators`, oldest id first, read page by page (keyset on the
 * vote id), so memory holds one page whatever the size of the release. Each page is one query.
 */
export async function* streamReleaseBattles(
  db: Db,
  criteria: ReleaseCriteria,
  annotators: ReadonlySet<string>,
  { pageSize = 2000, databaseUrl }: StreamReleaseBattlesOptions = {},
): AsyncGenerator<RawReleaseBattle[]> {
  const reader = databaseUrl && databaseKind(databaseUrl) === "sqlite" ? await openSqlitePageReader(databaseUrl) : prismaPageReader(db);
  try {
    let cursor = "";
    for (;;) {
      const rows = await reader.read(cursor, criteria, pageSize);
      if (rows.length === 0) return;
      const page: RawReleaseBattle[] = [];
      let votes = 0;
      let current: RawReleaseBattle | null = null;
      for (const row of rows) {
        const voteId = String(row[0]);
        if (voteId !== cursor) {
          votes += 1;
          cursor = voteId;
          current = annotators.has(String(row[1])) ? battleOf(row) : null;
          if (current) page.push(current);
        }
        if (!current || row[16] === null || row[16] === undefined) continue;
        current.turns.push({ index: Number(row[16]), prompt: String(row[17]), systemPrompt: asText(row[31]), a: responseOf(row, 18), b: responseOf(row, 22) });
      }
      if (page.length > 0) yield page;
      if (votes < pageSize) return;
    }
  } finally {
    reader.close();
  }
}

/** What a release needs to make an annotator's texts safe: their account identity and every persona version. */
export interface ReleaseTextSubject {
  identity: { name: string | null; email: string | null };
  personas: PersonaInput[];
}

/**
 * Account name, email and all persona versions (oldest first) of `userIds`, for the release text filter:
 * a battle may have been answered with an older persona than the one the release shows.
 */
export async function loadReleaseTextSubjects(db: Db, userIds: readonly string[]): Promise<Map<string, ReleaseTextSubject>> {
  const subjects = new Map<string, ReleaseTextSubject>(userIds.map((userId) => [userId, { identity: { name: null, email: null }, personas: [] }]));
  for (const batch of batches(userIds)) {
    const users = await db.user.findMany({ where: { id: { in: batch } }, select: { id: true, name: true, email: true } });
    for (const user of users) subjects.get(user.id)!.identity = { name: user.name, email: user.email };
    const versions = await db.personaVersion.findMany({ where: { userId: { in: batch } }, select: { userId: true, data: true }, orderBy: { version: "asc" } });
    for (const version of versions) {
      const data = version.data;
      if (data && typeof data === "object" && !Array.isArray(data)) subjects.get(version.userId)!.personas.push(data as PersonaInput);
    }
  }
  return subjects;
}
