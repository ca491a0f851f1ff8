import "server-only";
import type { PersonaInput } from "@/lib/domain/anonymization/personas";
import type { TModality, TVoteOutcome } from "@/lib/domain/vocabulary";
import type { Db } from "@/lib/server/db";
import { releaseStore, type TReleasePageRow } from "@/lib/server/store/release-store";

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

/**
 * First pass: every annotator with at least one releasable vote, with the persona of the newest persona
 * version they voted with in the window (versions only grow). Annotators whose battles carried no persona
 * get an empty one. Memory is one entry per annotator, not per vote.
 */
export async function collectReleaseAnnotators(db: Db, criteria: ReleaseCriteria): Promise<ReleaseAnnotator[]> {
  const rows = await releaseStore(db).releasableAnnotators(criteria);
  const consenting = await usersWithReleaseConsent(db, rows.map((row) => row.userId));
  const annotators: ReleaseAnnotator[] = [];
  const wantedVersions = new Map<string, number>();
  for (const row of rows) {
    if (!consenting.has(row.userId)) continue;
    if (row.version !== null) wantedVersions.set(row.userId, row.version);
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

function battleOf(row: TReleasePageRow): RawReleaseBattle {
  const { turn: _turn, ...battle } = row;
  return { ...battle, turns: [] };
}

export interface StreamReleaseBattlesOptions {
  pageSize?: number;
}

/**
 * Second pass: the releasable votes of `annotators`, oldest id first, read page by page (keyset on the
 * vote id), so memory holds one page whatever the size of the release. Each page is one query.
 */
export async function* streamReleaseBattles(
  db: Db,
  criteria: ReleaseCriteria,
  annotators: ReadonlySet<string>,
  { pageSize = 2000 }: StreamReleaseBattlesOptions = {},
): AsyncGenerator<RawReleaseBattle[]> {
  const reader = await releaseStore(db).openPageReader();
  try {
    let cursor = "";
    for (;;) {
      const rows = await reader.read(cursor, criteria, pageSize);
      if (rows.length === 0) return;
      const page: RawReleaseBattle[] = [];
      let votes = 0;
      let current: RawReleaseBattle | null = null;
      for (const row of rows) {
        if (row.voteId !== cursor) {
          votes += 1;
          cursor = row.voteId;
          current = annotators.has(row.userId) ? battleOf(row) : null;
          if (current) page.push(current);
        }
        if (current && row.turn) current.turns.push(row.turn);
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
