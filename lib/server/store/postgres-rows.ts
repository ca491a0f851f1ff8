import type { Selectable } from "kysely";
import type { Prisma, Response, Vote } from "@/lib/generated/sqlite/client";
import type { PostgresTables } from "@/lib/server/store/kysely";
import { responseColumns, turnColumns, voteColumns } from "@/lib/server/store/hot-columns";
import type { TBattleRows } from "@/lib/server/store/types";

/**
 * Rows of the hot tables between what `pg` reads and Prisma's model types. `pg` returns Date, boolean and
 * parsed JSON, so only JSON columns need a type. Writes send rows as JSON (postgres-commit.ts).
 */

type TRow<T extends keyof PostgresTables> = Selectable<PostgresTables[T]>;

function responseFromPostgres(row: TRow<"Response">): Response {
  return { ...row, styleFeatures: row.styleFeatures as Prisma.JsonValue | null };
}

export function voteFromPostgres(row: TRow<"Vote">): Vote {
  return { ...row, listeningEvents: row.listeningEvents as Prisma.JsonValue | null };
}

const joinedColumns = { Turn: turnColumns, Response: responseColumns, Vote: voteColumns };

type TJoined = keyof typeof joinedColumns;
type TColumn<T extends TJoined> = keyof (typeof joinedColumns)[T] & string;
/** A joined table's columns in a row of the battle read: "turn_index", "response_text", "vote_outcome", …. */
type TAliasOf<T extends TJoined, C extends string> = `${Lowercase<T>}_${C}`;
type TSelectionOf<T extends TJoined> = { [C in TColumn<T>]: `${T}.${C} as ${TAliasOf<T, C>}` }[TColumn<T>];

/** The select list of a joined table in the battle read: every column, under its prefixed alias. */
export function joinedSelection<T extends TJoined>(table: T): TSelectionOf<T>[] {
  return Object.keys(joinedColumns[table]).map((column) => `${table}.${column} as ${table.toLowerCase()}_${column}`) as TSelectionOf<T>[];
}

/** A joined table's row out of a row of the battle read; null when the join found none (its id is null). */
function joinedRow<T extends TJoined>(table: T, row: Record<string, unknown>): Selectable<PostgresTables[T]> | null {
  const prefix = `${table.toLowerCase()}_`;
  if (row[`${prefix}id`] === null) return null;
  // Every key of the table (joinedColumns satisfies TColumnsOf), each under its alias.
  return Object.fromEntries(Object.keys(joinedColumns[table]).map((column) => [column, row[prefix + column]])) as Selectable<PostgresTables[T]>;
}

/**
 * A battle with its turns (in order), their answers and its vote out of the battle read's rows: one row per
 * answer (a turn without answers has one row, a battle without turns one), the battle's and the vote's
 * columns repeated on each (and any `count_` column beside them, which is not the battle's); null for no rows (no such battle).
 */
export function battleFromJoinedRows(rows: Array<Selectable<PostgresTables["Battle"]> & Record<string, unknown>>): TBattleRows | null {
  const first = rows[0];
  if (!first) return null;
  const battle = Object.fromEntries(Object.keys(first).filter((key) => !/^(turn|response|vote|count)_/.test(key)).map((key) => [key, first[key]])) as Selectable<PostgresTables["Battle"]>;
  const turns = new Map<string, TBattleRows["turns"][number]>();
  for (const row of rows) {
    const turn = joinedRow("Turn", row);
    if (!turn) continue;
    let kept = turns.get(turn.id);
    if (!kept) turns.set(turn.id, (kept = { ...turn, responses: [] }));
    const response = joinedRow("Response", row);
    if (response) kept.responses.push(responseFromPostgres(response));
  }
  const vote = joinedRow("Vote", first);
  return { ...battle, turns: [...turns.values()], vote: vote ? voteFromPostgres(vote) : null };
}
