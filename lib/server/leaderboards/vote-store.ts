import "server-only";
import type { TModality } from "@/lib/domain/vocabulary";
import { isPostgres } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { sqliteDatabaseFile, sqliteDate } from "@/lib/server/db/sqlite-direct";
import { AppError } from "@/lib/server/errors";
import { parseNumberedVoteWindow, parsePackedVoteWindow, type TPackedWindowColumns, type TPackedWindowNumbering } from "./packed-vote-window";

/** Reading the counted votes and the model names from the database (both dialects). */

/** Votes are read a week at a time, which bounds the packed string of one read. */
export const READ_WINDOW_MS = 7 * 86_400_000;

export const countedVoteWhere = (modality: TModality) => ({ modality, countsForRating: true });

export async function countCountedThrough(db: Db, modality: TModality, time: number | null): Promise<number> {
  if (time === null) return 0;
  return db.vote.count({ where: { ...countedVoteWhere(modality), createdAt: { lte: new Date(time) } } });
}

/**
 * Counted votes with createdAt in [from, to), in time order, parsed into columns (numbered by
 * `numbering`); `last` is the newest createdAt. The database packs the window into ONE string with
 * a line per vote (see lib/server/leaderboards/packed-vote-window.ts): turning each row into an
 * object through the driver costs several times the query itself, and so does a full timestamp
 * per row. Annotators with more than one persona version get their vote's createdAt on the line
 * (their persona class depends on the time). Timestamps are stored in UTC, so the day is their
 * date part.
 *
 * SQLite (direct reader) reads the vote ledger, numbered; PostgreSQL aggregates "Vote" with ids
 * (equal timestamps in id order, as the ledger's key orders them too); an in-memory SQLite
 * database, which has no file for a reader of its own, reads "Vote" through Prisma.
 */
export async function readVoteWindow(
  db: Db,
  modality: TModality,
  window: { from: Date; to: Date },
  numbering: TPackedWindowNumbering,
  direct: SqliteVoteReader | null,
): Promise<{ columns: TPackedWindowColumns; last: number | null }> {
  const { from, to } = window;
  if (direct) {
    const [rows, last] = direct.statement.get(modality, sqliteDate(from), sqliteDate(to)) as [string | null, string | null];
    return { columns: parseNumberedVoteWindow(rows ?? "", numbering, direct.idOf), last: last === null ? null : Date.parse(last) };
  }
  type TPacked = { rows: string | null; last: Date | string | null };
  let packed: TPacked | undefined;
  if (isPostgres) {
    [packed] = await db.$queryRaw<TPacked[]>`
      SELECT string_agg(
        "modelAId" || ' ' || "modelBId" || ' ' || "outcome"::text || ' ' || "userId" || ' ' || to_char("createdAt", 'YYYY-MM-DD') ||
          CASE WHEN "userId" IN (SELECT "userId" FROM "PersonaVersion" GROUP BY "userId" HAVING COUNT(*) > 1)
            THEN ' ' || to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ELSE '' END,
        E'\n' ORDER BY "createdAt", "id") AS "rows",
        MAX("createdAt") AS "last"
      FROM "Vote"
      WHERE "modality" = CAST(${modality} AS "Modality") AND "countsForRating" = true AND "createdAt" >= ${from} AND "createdAt" < ${to}`;
  } else {
    [packed] = await db.$queryRawUnsafe<TPacked[]>(SQLITE_VOTE_WINDOW_QUERY, modality, from, to);
  }
  const rows = packed?.rows ?? "";
  const last = !packed?.rows || packed.last === null ? null : packed.last instanceof Date ? packed.last.getTime() : Date.parse(packed.last);
  return { columns: parsePackedVoteWindow(rows, numbering), last };
}

/** readVoteWindow on SQLite without a file: from "Vote", with ids; parameters: modality, from, to. */
const SQLITE_VOTE_WINDOW_QUERY = `
  SELECT group_concat(line, char(10)) AS "rows", MAX("createdAt") AS "last" FROM (
    SELECT printf('%s %s %s %s %.10s%s', "modelAId", "modelBId", "outcome", "userId", "createdAt",
      CASE WHEN "userId" IN (SELECT "userId" FROM "PersonaVersion" GROUP BY "userId" HAVING COUNT(*) > 1)
        THEN ' ' || "createdAt" ELSE '' END) AS line,
      "createdAt"
    FROM "Vote"
    WHERE "modality" = ? AND "countsForRating" = true AND "createdAt" >= ? AND "createdAt" < ?
    ORDER BY "createdAt", "id"
  )`;

/**
 * readVoteWindow on SQLite: from the vote ledger (prisma/migrations/*_vote_ledger: a narrow row per
 * counted vote with its line precomputed, clustered by modality and time), numbered; parameters:
 * modality, from, to. A third of the time of the same window from "Vote", and a tenth of the parsing.
 */
export const SQLITE_LEDGER_WINDOW_QUERY = `
  SELECT group_concat(CASE WHEN "userNumber" IN (
      SELECT n."number" FROM "PersonaVersion" p JOIN "RatingNumber" n ON n."id" = p."userId" GROUP BY p."userId" HAVING COUNT(*) > 1)
    THEN "line" || ' ' || "createdAt" ELSE "line" END, char(10)) AS "rows", MAX("createdAt") AS "last"
  FROM (
    SELECT "line", "userNumber", "createdAt" FROM "VoteLedger"
    WHERE "modality" = ? AND "createdAt" >= ? AND "createdAt" < ?
    ORDER BY "createdAt", "voteId"
  )`;
/** The id of a RatingNumber number. */
export const SQLITE_RATING_NUMBER_QUERY = `SELECT "id" FROM "RatingNumber" WHERE "number" = ?`;
/** The first ledger time in [from, until] of a modality; parameters: modality, from, until. */
export const SQLITE_LEDGER_FIRST_QUERY = `SELECT MIN("createdAt") FROM "VoteLedger" WHERE "modality" = ? AND "createdAt" >= ? AND "createdAt" <= ?`;

/** A read-only libsql connection of its own on the SQLite file, with the ledger's window query prepared. */
export interface SqliteVoteReader {
  file: string;
  statement: { get(...parameters: unknown[]): unknown };
  /** The id of a RatingNumber number. */
  idOf(number: number): string;
  /** Raw row arrays of `sql`. */
  all(sql: string, ...parameters: unknown[]): unknown[][];
  close(): void;
}

/**
 * SQLite: reads the vote windows (and the styled battles) through a read-only libsql connection of
 * its own, in raw row arrays, which skips the Prisma driver adapter's per-query and per-value
 * conversions (a third of the read time at a million votes). Null on PostgreSQL or an in-memory
 * database (then Prisma reads).
 */
export async function openSqliteVoteReader(db: Db): Promise<SqliteVoteReader | null> {
  const file = await sqliteDatabaseFile(db);
  if (!file) return null;
  const { default: Database } = await import("libsql");
  const connection = new Database(file, { readonly: true });
  const numberQuery = connection.prepare(SQLITE_RATING_NUMBER_QUERY).raw(true);
  return {
    file,
    statement: connection.prepare(SQLITE_LEDGER_WINDOW_QUERY).raw(true),
    idOf: (number) => {
      const row = numberQuery.get(number) as [string] | undefined;
      if (!row) throw new AppError("INTERNAL", `The vote ledger names an unknown number ${number}.`);
      return row[0];
    },
    all: (sql, ...parameters) => connection.prepare(sql).raw(true).all(...parameters) as unknown[][],
    close: () => connection.close(),
  };
}

export interface ModelInfo {
  slug: string;
  displayName: string;
  organizationId: string | null;
  organizationName: string | null;
}

export async function loadModelInfo(db: Db): Promise<Map<string, ModelInfo>> {
  const models = await db.arenaModel.findMany({
    select: { id: true, slug: true, displayName: true, organizationId: true, organization: { select: { name: true } } },
  });
  return new Map(
    models.map((model) => [
      model.id,
      { slug: model.slug, displayName: model.displayName, organizationId: model.organizationId, organizationName: model.organization.name },
    ]),
  );
}

