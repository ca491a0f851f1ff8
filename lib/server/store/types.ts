import type { Battle, Response, Turn, User, Vote } from "@/lib/generated/sqlite/client";

/**
 * The hot paths' access to battles and votes, one interface with a SQLite and a PostgreSQL
 * implementation (sqlite-store.ts, postgres-store.ts), chosen once at start (index.ts). Rows come
 * back as Prisma's model types, so services see the same values whichever database is behind.
 */

/** A battle with its turns (in order), each turn's answers, and its vote. */
export type TBattleRows = Battle & { turns: (Turn & { responses: Response[] })[]; vote: Vote | null };

/** The rows of a new battle: its first turn and that turn's answers, every column given (no database defaults). */
export interface TNewBattleRows {
  battle: Battle;
  turn: Turn;
  responses: Response[];
}

/** Scalar response fields a generation round writes. */
export type TResponseFields = Partial<Pick<Response, "status" | "text" | "mediaSha256" | "mediaMime" | "mediaBytes" | "durationSeconds" | "inputTokens" | "outputTokens" | "firstTokenMs" | "latencyMs" | "errorKind" | "errorMessage" | "completedAt">> & {
  styleFeatures?: Record<string, number>;
};

/** One battle write: a response's fields, or a generating battle marked ready. */
export type TBattleWrite = { kind: "response"; id: string; data: TResponseFields } | { kind: "battle-ready"; id: string; completedAt: Date };

/** What one group commit holds; each group is atomic. */
export type TWriteGroup = { kind: "insert"; rows: TNewBattleRows } | { kind: "writes"; writes: TBattleWrite[] } | { kind: "vote"; vote: Vote };

/** The votes a new vote is checked against (recordVote): the daily cap's and the duplicate-prompt rule's. */
export interface TVoteCounts {
  /** Votes `userId` cast at or after `since` (the daily cap). */
  votesOfUserSince: number;
  /** Votes counted for the ratings on battles of the prompt with this hash (duplicate-prompt down-sampling). */
  countedVotesOfPrompt: number;
}

/** A battle with what a vote on it is checked against (the prompt's count by the battle's own hash). */
export interface TBattleToVote {
  battle: TBattleRows;
  counts: TVoteCounts;
}

/** A voted text battle not tagged yet, with its turns' prompts in order (categorize-battles.ts). */
export interface TUntaggedBattle {
  id: string;
  prompts: string[];
}

/** One tagging and the battles that get it; a pass's taggings name distinct battles. */
export interface TBattleTagging {
  battleIds: string[];
  categories: string;
  language: string | null;
  categorizedBy: string;
}

/** What a request needs of its signed-in user. */
export type TSessionUserRow = Pick<User, "id" | "role" | "isGuest" | "email" | "name" | "sessionVersion">;

export interface ArenaStore {
  /**
   * Several app instances may share this database (PostgreSQL), so a new battle is stored before its
   * id is handed out; a SQLite file belongs to one process, which may answer first and write after.
   */
  readonly sharedByInstances: boolean;
  readBattle(battleId: string): Promise<TBattleRows | null>;
  readVoteOfBattle(battleId: string): Promise<Vote | null>;
  /**
   * readBattle with what a vote by the battle's own user is checked against: that user's votes at or after
   * `since` and the counted votes of the battle's prompt hash (none when it has no hash); one statement on
   * PostgreSQL.
   */
  readBattleToVote(battleId: string, since: Date): Promise<TBattleToVote | null>;
  /** The user unless deleted or banned. */
  readSessionUser(userId: string): Promise<TSessionUserRow | null>;
  /** Up to `limit` voted text battles without categories, each with its prompts (one statement). */
  readUntaggedBattles(limit: number): Promise<TUntaggedBattle[]>;
  /**
   * Tags the battles and their votes (`Vote.categories`), atomically; a battle deleted meanwhile is
   * skipped. One statement on PostgreSQL, one transaction on SQLite.
   */
  tagBattles(taggings: TBattleTagging[]): Promise<void>;
  /**
   * Atomically (one transaction; one statement on PostgreSQL): new battles first (a later write of the
   * same batch may update their answers), then the other writes, then votes (each marks its battle voted, and revealed at the vote unless revealed before). A second vote on a
   * battle fails with a unique violation (isUniqueViolation).
   */
  commit(groups: TWriteGroup[]): Promise<void>;
}
