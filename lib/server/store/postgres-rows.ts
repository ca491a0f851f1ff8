import type { Insertable, Selectable, Updateable } from "kysely";
import type { Battle, Prisma, Response, Turn, Vote } from "@/lib/generated/sqlite/client";
import { postgresDate, type PostgresTables } from "@/lib/server/store/kysely";
import type { TResponseFields } from "@/lib/server/store/types";

/**
 * Rows of the hot tables between Prisma's model types and what `pg` reads and writes. `pg` returns
 * Date, boolean and parsed JSON, so only JSON columns need a type; dates go in as UTC text (see
 * postgresDate) and JSON as text (pg would turn a JS array into a PostgreSQL array).
 */

type TRow<T extends keyof PostgresTables> = Selectable<PostgresTables[T]>;
/** Every column given, as on SQLite (sqlite-rows.ts): no column is left to its SQL default. */
type TFullInsert<T extends keyof PostgresTables> = { [K in keyof Insertable<PostgresTables[T]>]-?: Insertable<PostgresTables[T]>[K] };

const fromDate = (value: Date | null) => (value === null ? null : postgresDate(value));
const fromJson = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

export function responseFromPostgres(row: TRow<"Response">): Response {
  return { ...row, styleFeatures: row.styleFeatures as Prisma.JsonValue | null };
}

export function voteFromPostgres(row: TRow<"Vote">): Vote {
  return { ...row, listeningEvents: row.listeningEvents as Prisma.JsonValue | null };
}

export function battleToPostgres(battle: Battle): TFullInsert<"Battle"> {
  return { ...battle, createdAt: postgresDate(battle.createdAt), completedAt: fromDate(battle.completedAt), revealedAt: fromDate(battle.revealedAt) };
}

export function responseToPostgres(response: Response): TFullInsert<"Response"> {
  return { ...response, styleFeatures: fromJson(response.styleFeatures), startedAt: postgresDate(response.startedAt), completedAt: fromDate(response.completedAt) };
}

export function responseFieldsToPostgres(fields: TResponseFields): Updateable<PostgresTables["Response"]> {
  const { completedAt, styleFeatures, ...rest } = fields;
  return {
    ...rest,
    ...(completedAt !== undefined && { completedAt: fromDate(completedAt) }),
    ...(styleFeatures !== undefined && { styleFeatures: fromJson(styleFeatures) }),
  };
}

export function voteToPostgres(vote: Vote): TFullInsert<"Vote"> {
  return { ...vote, listeningEvents: fromJson(vote.listeningEvents), createdAt: postgresDate(vote.createdAt) };
}

export function turnToPostgres(turn: Turn): TFullInsert<"Turn"> {
  return { ...turn, createdAt: postgresDate(turn.createdAt) };
}
