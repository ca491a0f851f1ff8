import "server-only";
import { isPostgres } from "@/lib/env";
import { perClient } from "./per-client";
import type { RawReleaseBattle, RawReleaseResponse, RawReleaseTurn } from "@/lib/server/releases/selection";
import { createPostgresReleaseStore } from "./release-postgres";
import { createSqliteReleaseStore } from "./release-sqlite";

/**
 * The release selection's reads (lib/server/releases/selection.ts), one implementation per database
 * (./release-sqlite.ts, ./release-postgres.ts), chosen once per database client.
 */
export interface ReleaseStore {
  /**
   * Every annotator with at least one vote that counts for ratings in [start, end) and who is not
   * deleted, excluded or banned, with the newest persona version their battles carried (null: none).
   */
  releasableAnnotators(window: TReleaseWindow): Promise<{ userId: string; version: number | null }[]>;
  /** A reader of vote pages; close it when done. */
  openPageReader(): Promise<ReleasePageReader>;
}

export interface TReleaseWindow {
  /** Inclusive. */
  start: Date;
  /** Exclusive. */
  end: Date;
}

interface ReleasePageReader {
  /**
   * The next `pageSize` counted votes in the window after `cursor` (by vote id), a row per turn (turn
   * fields null when the battle has none) with both responses, ordered by vote id and turn index.
   */
  read(cursor: string, window: TReleaseWindow, pageSize: number): Promise<TReleasePageRow[]>;
  close(): void;
}

/** One row of a vote page: the vote and its battle, and one of its turns (null when the battle has none). */
export type TReleasePageRow = Omit<RawReleaseBattle, "turns"> & { turn: RawReleaseTurn | null };

/** The page query's columns, the same names in both dialects (each store's query is typed against its own schema). */
export const RELEASE_PAGE_COLUMNS = [
  "v.id as voteId",
  "v.userId",
  "b.publicId",
  "b.modality",
  "v.createdAt",
  "v.outcome",
  "v.feedbackGeneral",
  "v.feedbackA",
  "v.feedbackB",
  "v.listenSecondsA",
  "v.listenSecondsB",
  "ma.slug as modelA",
  "mb.slug as modelB",
  "ma.redistributable as redistributableA",
  "mb.redistributable as redistributableB",
  "t.index as turnIndex",
  "t.prompt",
  "t.systemPrompt",
  "ra.id as aId",
  "ra.text as aText",
  "ra.mediaSha256 as aMediaSha256",
  "ra.mediaMime as aMediaMime",
  "rb.id as bId",
  "rb.text as bText",
  "rb.mediaSha256 as bMediaSha256",
  "rb.mediaMime as bMediaMime",
  "b.personalizedA",
  "b.personalizedB",
  "b.categories",
  "b.language",
  "b.promptHash",
] as const;

/** A page query's row in either dialect's storage types: booleans as 0/1 or boolean, dates as ISO text or Date. */
interface TStoredPageRow extends Omit<TReleasePageRow, "personalizedA" | "personalizedB" | "redistributableA" | "redistributableB" | "createdAt" | "turn"> {
  personalizedA: number | boolean;
  personalizedB: number | boolean;
  redistributableA: number | boolean;
  redistributableB: number | boolean;
  createdAt: string | Date;
  turnIndex: number | null;
  prompt: string | null;
  systemPrompt: string | null;
  aId: string | null;
  aText: string | null;
  aMediaSha256: string | null;
  aMediaMime: string | null;
  bId: string | null;
  bText: string | null;
  bMediaSha256: string | null;
  bMediaMime: string | null;
}

const stored = (value: number | boolean) => value === true || value === 1;
const responseRow = (id: string | null, text: string | null, mediaSha256: string | null, mediaMime: string | null): RawReleaseResponse | null =>
  id === null ? null : { text, mediaSha256, mediaMime };

/** A page query's row as the selection reads it. */
export function toPageRow(row: TStoredPageRow): TReleasePageRow {
  return {
    voteId: row.voteId,
    userId: row.userId,
    publicId: row.publicId,
    modality: row.modality,
    personalizedA: stored(row.personalizedA),
    personalizedB: stored(row.personalizedB),
    categories: row.categories,
    language: row.language,
    promptHash: row.promptHash,
    createdAt: new Date(row.createdAt),
    outcome: row.outcome,
    feedbackGeneral: row.feedbackGeneral,
    feedbackA: row.feedbackA,
    feedbackB: row.feedbackB,
    listenSecondsA: row.listenSecondsA,
    listenSecondsB: row.listenSecondsB,
    modelA: row.modelA,
    modelB: row.modelB,
    redistributableA: stored(row.redistributableA),
    redistributableB: stored(row.redistributableB),
    turn:
      row.turnIndex === null
        ? null
        : {
            index: row.turnIndex,
            prompt: row.prompt ?? "",
            systemPrompt: row.systemPrompt,
            a: responseRow(row.aId, row.aText, row.aMediaSha256, row.aMediaMime),
            b: responseRow(row.bId, row.bText, row.bMediaSha256, row.bMediaMime),
          },
  };
}

/** The release store of a client's database. */
export const releaseStore = perClient((db): ReleaseStore => (isPostgres ? createPostgresReleaseStore() : createSqliteReleaseStore(db)));
