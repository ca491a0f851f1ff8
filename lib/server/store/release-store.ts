import "server-only";
import { isPostgres } from "@/lib/env";
import { perClient } from "./per-client";
import type { RawReleaseBattle, RawReleaseResponse, RawReleaseTurn } from "@/lib/server/releases/selection";
import { createPostgresReleaseStore } from "./release-postgres";
import { createSqliteReleaseStore } from "./release-sqlite";
import type { CompiledQuery } from "kysely";
import { storedTrue, type releasableAnnotatorsQuery, type releasePageQuery, type TVoteWindow } from "./common-queries";

/**
 * The release selection's reads (lib/server/releases/selection.ts), one implementation per database
 * (./release-sqlite.ts, ./release-postgres.ts), chosen once per database client.
 */
export interface ReleaseStore {
  /**
   * Every annotator with at least one vote that counts for ratings in [start, end) and who is not
   * deleted, excluded or banned, with the newest persona version their battles carried (null: none).
   */
  releasableAnnotators(window: TVoteWindow): Promise<{ userId: string; version: number | null }[]>;
  /** A reader of vote pages; close it when done. */
  openPageReader(): Promise<ReleasePageReader>;
}

interface ReleasePageReader {
  /**
   * The next `pageSize` counted votes in the window after `cursor` (by vote id), a row per turn (turn
   * fields null when the battle has none) with both responses, ordered by vote id and turn index.
   */
  read(cursor: string, window: TVoteWindow, pageSize: number): Promise<TReleasePageRow[]>;
  close(): void;
}

/** One row of a vote page: the vote and its battle, and one of its turns (null when the battle has none). */
export type TReleasePageRow = Omit<RawReleaseBattle, "turns"> & { turn: RawReleaseTurn | null };

/** A row of the annotators query, in either dialect's storage types. */
type TStoredAnnotatorRow = ReturnType<typeof releasableAnnotatorsQuery> extends CompiledQuery<infer R> ? R : never;
/** A row of the page query, in either dialect's storage types. */
type TStoredPageRow = ReturnType<typeof releasePageQuery> extends CompiledQuery<infer R> ? R : never;

const responseRow = (id: string | null, text: string | null, mediaSha256: string | null, mediaMime: string | null): RawReleaseResponse | null =>
  id === null ? null : { text, mediaSha256, mediaMime };

/** An annotators query's row as the selection reads it. */
export const toAnnotatorRow = (row: TStoredAnnotatorRow) => ({ userId: row.userId, version: row.version === null ? null : Number(row.version) });

/** A page query's row as the selection reads it. */
export function toPageRow(row: TStoredPageRow): TReleasePageRow {
  return {
    voteId: row.voteId,
    userId: row.userId,
    publicId: row.publicId,
    modality: row.modality,
    personalizedA: storedTrue(row.personalizedA),
    personalizedB: storedTrue(row.personalizedB),
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
    redistributableA: storedTrue(row.redistributableA),
    redistributableB: storedTrue(row.redistributableB),
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
