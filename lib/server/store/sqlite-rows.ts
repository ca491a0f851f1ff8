import type { Insertable, Selectable, Updateable } from "kysely";
import type { Battle, Prisma, Response, Turn, Vote } from "@/lib/generated/sqlite/client";
import { sqliteDate, type SqliteTables } from "@/lib/server/store/kysely";
import type { TResponseFields, TSessionUserRow } from "@/lib/server/store/types";

/**
 * Rows of the hot tables between Prisma's model types and SQLite's storage types, in both directions.
 * Each converter spreads the row and converts the columns whose types differ, so a new date or boolean
 * column that is not converted fails typecheck (a string is no Date, a number no boolean).
 */

type TRow<T extends keyof SqliteTables> = Selectable<SqliteTables[T]>;
/** Every column given: a column left to its SQL default would get SQLite's `CURRENT_TIMESTAMP` text, not ISO. */
type TFullInsert<T extends keyof SqliteTables> = { [K in keyof Insertable<SqliteTables[T]>]-?: Insertable<SqliteTables[T]>[K] };

const toDate = (value: string | null) => (value === null ? null : new Date(value));
const fromDate = (value: Date | null) => (value === null ? null : sqliteDate(value));
const toJson = (value: string | null) => (value === null ? null : (JSON.parse(value) as Prisma.JsonValue));
const fromJson = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
const flag = (value: boolean) => (value ? 1 : 0);

export function battleFromSqlite(row: TRow<"Battle">): Battle {
  return {
    ...row,
    personalized: row.personalized === 1,
    isGold: row.isGold === 1,
    simulated: row.simulated === 1,
    personalizedA: row.personalizedA === 1,
    personalizedB: row.personalizedB === 1,
    createdAt: new Date(row.createdAt),
    completedAt: toDate(row.completedAt),
    revealedAt: toDate(row.revealedAt),
  };
}

export function battleToSqlite(battle: Battle): TFullInsert<"Battle"> {
  return {
    ...battle,
    personalized: flag(battle.personalized),
    isGold: flag(battle.isGold),
    simulated: flag(battle.simulated),
    personalizedA: flag(battle.personalizedA),
    personalizedB: flag(battle.personalizedB),
    createdAt: sqliteDate(battle.createdAt),
    completedAt: fromDate(battle.completedAt),
    revealedAt: fromDate(battle.revealedAt),
  };
}

export function turnFromSqlite(row: TRow<"Turn">): Turn {
  return { ...row, createdAt: new Date(row.createdAt) };
}

export function turnToSqlite(turn: Turn): TFullInsert<"Turn"> {
  return { ...turn, createdAt: sqliteDate(turn.createdAt) };
}

export function responseFromSqlite(row: TRow<"Response">): Response {
  return { ...row, styleFeatures: toJson(row.styleFeatures), startedAt: new Date(row.startedAt), completedAt: toDate(row.completedAt) };
}

export function responseToSqlite(response: Response): TFullInsert<"Response"> {
  return { ...response, styleFeatures: fromJson(response.styleFeatures), startedAt: sqliteDate(response.startedAt), completedAt: fromDate(response.completedAt) };
}

export function responseFieldsToSqlite(fields: TResponseFields): Updateable<SqliteTables["Response"]> {
  const { completedAt, styleFeatures, ...rest } = fields;
  return {
    ...rest,
    ...(completedAt !== undefined && { completedAt: fromDate(completedAt) }),
    ...(styleFeatures !== undefined && { styleFeatures: fromJson(styleFeatures) }),
  };
}

export function voteFromSqlite(row: TRow<"Vote">): Vote {
  return {
    ...row,
    listeningEvents: toJson(row.listeningEvents),
    countsForRating: row.countsForRating === 1,
    simulated: row.simulated === 1,
    personalizedA: row.personalizedA === 1,
    personalizedB: row.personalizedB === 1,
    createdAt: new Date(row.createdAt),
  };
}

export function voteToSqlite(vote: Vote): TFullInsert<"Vote"> {
  return {
    ...vote,
    listeningEvents: fromJson(vote.listeningEvents),
    countsForRating: flag(vote.countsForRating),
    simulated: flag(vote.simulated),
    personalizedA: flag(vote.personalizedA),
    personalizedB: flag(vote.personalizedB),
    createdAt: sqliteDate(vote.createdAt),
  };
}

export function sessionUserFromSqlite(row: Pick<TRow<"User">, keyof TSessionUserRow>): TSessionUserRow {
  return { ...row, isGuest: row.isGuest === 1 };
}
