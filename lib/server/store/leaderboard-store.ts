import "server-only";
import type { Outcome } from "@/lib/domain/rating";
import type { TModality } from "@/lib/domain/vocabulary";
import { isPostgres } from "@/lib/env";
import { perClient } from "./per-client";
import type { TPackedWindowColumns, TPackedWindowNumbering } from "@/lib/server/leaderboards/packed-vote-window";
import type { ReadAhead, TReadAheadCells, TReadAheadJob } from "@/lib/server/leaderboards/read-ahead";
import type { TPackedStyledVotes, TUnstyledResponse } from "@/lib/server/leaderboards/styled-rows";
import type { TLeaderboardWrite } from "@/lib/server/leaderboards/snapshot-store";
import { createPostgresLeaderboardStore } from "./leaderboard-postgres";
import { createSqliteLeaderboardStore } from "./leaderboard-sqlite";

/**
 * The leaderboards' reads and writes (packed vote windows, styled votes, batched upserts, and the
 * recomputation's small reads: on the request thread, a first use of a Prisma query shape compiles
 * it there for 40–85 ms), one implementation per database (./leaderboard-sqlite.ts, ./leaderboard-postgres.ts),
 * chosen once per database client. The leaderboard services call these and never ask which database runs.
 */
export interface LeaderboardStore {
  /**
   * The worker modules of the threads this store starts in a recomputation, for the app's start to
   * compile them ahead (start-worker's prepareWorker, startLeaderboardThreads): the process's first
   * recomputation then compiles none.
   */
  readonly threadModules: readonly string[];
  /** A reader for one refresh of the aggregates; close it when done. */
  openReader(): Promise<LeaderboardReader>;
  /**
   * The `maxVotes` most recent counted text votes (all votes at the oldest one's time included),
   * packed with both sides' style summed over turns (lib/server/leaderboards/styled-rows.ts). Off this thread where the store can.
   */
  readStyledVotes(maxVotes: number): Promise<TPackedStyledVotes>;
  /** The responses without stored style features of the counted text votes since `since` (ms), with their text. */
  readUnstyledResponses(since: number): Promise<TUnstyledResponse[]>;
  /** Writes snapshot and state rows in one transaction. */
  writeRows(writes: TLeaderboardWrite[]): Promise<void>;
  /** The data of one LeaderboardState row (the ≈ 8 MB vote-log checkpoint), null when there is none; read off this thread where the store can. */
  readStateRow(key: string): Promise<Uint8Array | null>;
  /** Writes one LeaderboardState row (the ≈ 8 MB vote-log checkpoint), off this thread where the store can. */
  writeStateRow(key: string, data: Uint8Array<ArrayBuffer>): Promise<void>;
  /**
   * Per cursor, the counted votes of its modality with createdAt ≤ its time (0 for a null time):
   * when a number differs from what was fed, votes up to the cursor changed. Off this thread where the store can.
   */
  countCountedThrough(cursors: { modality: TModality; time: number | null }[]): Promise<number[]>;
  /**
   * Per modality of `modalities` (a promise each, in that order): its counted votes by annotators not
   * excluded, by (tags, model A, model B, outcome, personalized sides, and the annotator of each
   * experiment vote, where exactly one side saw the persona), ordered so: the category boards' cells
   * and the personalization lift's counts from one scan. Off this thread where the store can, the
   * scans in the order given.
   */
  modalityVoteCounts(modalities: readonly TModality[]): Promise<TModalityVoteCount[]>[];
  /** Ids of the annotators whose votes are excluded (votesExcludedAt set), in id order. */
  excludedUserIds(): Promise<string[]>;
  /** A small LeaderboardState row (a snapshot fingerprint, the style fit) decoded as UTF-8 text; null when there is none. */
  readStateText(key: string): Promise<string | null>;
  /** The variants of the snapshots stored for `modality`. */
  snapshotVariants(modality: TModality): Promise<string[]>;
  /** Every model with its organization's name. */
  modelInfo(): Promise<TModelInfoRow[]>;
  /** Whether a counted vote was cast after the newest snapshot's computedAt (any counted vote when there is no snapshot). */
  countedVoteAfterNewestSnapshot(): Promise<boolean>;
  /** The persona versions' data (null when it does not parse) of the annotators `userIds`, by annotator, then version. */
  personaVersionData(userIds: readonly string[]): Promise<{ userId: string; data: unknown }[]>;
}

interface TModelInfoRow {
  id: string;
  slug: string;
  displayName: string;
  organizationId: string;
  organizationName: string;
}

export interface TModalityVoteCount {
  categories: string | null;
  modelAId: string;
  modelBId: string;
  outcome: Outcome;
  personalizedA: boolean;
  personalizedB: boolean;
  /** The annotator of an experiment vote (exactly one side personalized); null for the others. */
  userId: string | null;
  count: number;
}

interface TPersonaVersionRow {
  userId: string;
  createdAt: number;
  data: unknown;
}

export interface LeaderboardReader {
  /**
   * Counted votes with createdAt in [from, to), in time order (equal times in vote id order), parsed
   * into columns numbered by `numbering`; `last` is the newest createdAt.
   */
  readVoteWindow(modality: TModality, window: { from: Date; to: Date }, numbering: TPackedWindowNumbering): Promise<{ columns: TPackedWindowColumns; last: number | null }>;
  /** A fingerprint of the persona versions (count, newest time and id): it changes when versions are added or removed. */
  personaFingerprint(): Promise<string>;
  /** Every persona version, by annotator and time. */
  personaVersions(): Promise<TPersonaVersionRow[]>;
  /** The createdAt (ms) of the first counted vote of `modality` with from ≤ createdAt ≤ until (ms), null when there is none. */
  firstVoteTime(modality: TModality, from: number, until: number): Promise<number | null>;
  /**
   * Worker threads that read, parse, classify and count a full read's windows (by `cells`, once
   * loaded), or null when this store reads on this thread. Throws when the threads cannot start.
   */
  startReadAhead(jobs: TReadAheadJob[], cells: Promise<TReadAheadCells>): Promise<ReadAhead | null>;
  close(): void;
}

/** The leaderboard store of a client's database. */
export const leaderboardStore = perClient((db): LeaderboardStore => (isPostgres ? createPostgresLeaderboardStore() : createSqliteLeaderboardStore(db)));
