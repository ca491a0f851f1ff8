import type { Selectable } from "kysely";
import type { PostgresTables, SqliteTables } from "@/lib/server/store/kysely";
import type { TResponseFields } from "@/lib/server/store/types";

/**
 * Every column of the hot tables, which both stores' battle reads and PostgreSQL's group commit name one by
 * one, as objects so that a column added to either generated schema and missing here fails typecheck
 * (`satisfies` requires every key of both dialects' table, and no other).
 */
type THot = "Battle" | "Turn" | "Response" | "Vote";
type TColumnsOf<T extends THot> = { [K in keyof Selectable<PostgresTables[T]> | keyof Selectable<SqliteTables[T]>]: true };

const battleColumns = {
  id: true,
  publicId: true,
  userId: true,
  modality: true,
  personaVersionId: true,
  personalized: true,
  modelAId: true,
  modelBId: true,
  status: true,
  isGold: true,
  goldOutcome: true,
  seed: true,
  simulated: true,
  createdAt: true,
  completedAt: true,
  revealedAt: true,
  personalizedA: true,
  personalizedB: true,
  promptHash: true,
  categories: true,
  language: true,
  categorizedBy: true,
} satisfies TColumnsOf<"Battle">;
export const turnColumns = { id: true, battleId: true, index: true, prompt: true, systemPrompt: true, createdAt: true } satisfies TColumnsOf<"Turn">;
export const responseColumns = {
  id: true,
  turnId: true,
  side: true,
  modelId: true,
  status: true,
  text: true,
  mediaSha256: true,
  mediaMime: true,
  mediaBytes: true,
  durationSeconds: true,
  inputTokens: true,
  outputTokens: true,
  firstTokenMs: true,
  latencyMs: true,
  errorKind: true,
  errorMessage: true,
  styleFeatures: true,
  attempt: true,
  startedAt: true,
  completedAt: true,
} satisfies TColumnsOf<"Response">;
/** The answer columns a write may set (`satisfies` checks each field of TResponseFields is one): the others are fixed when the answer is created. */
const { id: _id, turnId: _turnId, side: _side, modelId: _modelId, attempt: _attempt, startedAt: _startedAt, ...responseWriteColumns } = responseColumns;
export const writableResponseColumns = Object.keys(responseWriteColumns satisfies Record<keyof TResponseFields, true>) as (keyof TResponseFields)[];
export const voteColumns = {
  id: true,
  battleId: true,
  userId: true,
  modality: true,
  modelAId: true,
  modelBId: true,
  outcome: true,
  feedbackGeneral: true,
  feedbackA: true,
  feedbackB: true,
  listeningEvents: true,
  listenSecondsA: true,
  listenSecondsB: true,
  countsForRating: true,
  invalidReasons: true,
  secondsToVote: true,
  simulated: true,
  createdAt: true,
  personalizedA: true,
  personalizedB: true,
  categories: true,
} satisfies TColumnsOf<"Vote">;

/** Every column of a hot table (the battle reads join them by name; the group commit's inserts give them all: no database defaults). */
export const columnsOf = <T extends THot>(table: T) =>
  Object.keys({ Battle: battleColumns, Turn: turnColumns, Response: responseColumns, Vote: voteColumns }[table]) as (keyof Selectable<PostgresTables[T]> & keyof Selectable<SqliteTables[T]> & string)[];
