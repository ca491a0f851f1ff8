/**
 * Store queries written ONCE for both dialects. They are built against `CommonTables`, the tables and
 * columns the two generated schemas share, where a column the dialects store differently (booleans as
 * 0/1 or boolean, dates as ISO text or timestamp, JSON as text or jsonb) takes only a value made by a
 * dialect's `StoreDialect` (`dialect.true`, `dialect.date(...)`): a literal `1`, `true` or a Date there
 * fails typecheck, and so does a column the schema drops. Each dialect's store compiles a query with
 * its own `StoreDialect` and runs it with its own executor (a libsql connection or the `pg` pool).
 */
import {
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type Expression,
  type RawBuilder,
  type SelectType,
  type UpdateType,
} from "kysely";
import { postgresDate, sqliteDate, type PostgresTables, type SqliteTables } from "./kysely";
import { compileOnly } from "./precompile";

declare const storedDifferently: unique symbol;
/** Marks a value whose storage differs between the dialects; only a StoreDialect makes one. */
interface StoredDifferently {
  readonly [storedDifferently]: true;
}

type Mixed<S, P> = (NonNullable<S | P> & StoredDifferently) | Extract<S | P, null>;
/** A column both schemas have: its type where they agree, else a value only a dialect makes (null kept). */
type CommonColumn<S, P> = [S] extends [P] ? ([P] extends [S] ? S : Mixed<S, P>) : Mixed<S, P>;

/** The tables and columns both generated schemas have, typed as both dialects read them. */
type CommonTables = {
  [T in keyof SqliteTables & keyof PostgresTables]: {
    [C in keyof SqliteTables[T] & keyof PostgresTables[T]]: CommonColumn<SelectType<SqliteTables[T][C]>, SelectType<PostgresTables[T][C]>>;
  };
};

/** A boolean column's value as stored (0/1 on SQLite, boolean on PostgreSQL). */
type StoredFlag = CommonTables["Vote"]["countsForRating"];
/** A date column's value as stored (ISO text on SQLite, timestamp on PostgreSQL). */
export type StoredDate = CommonTables["Vote"]["createdAt"];

/** How one dialect builds the common queries and stores values. */
export interface StoreDialect {
  /** Builds and compiles queries in this dialect; it has no connection (each store runs the compiled query). */
  queries: Kysely<CommonTables>;
  /** True as a boolean column stores it. */
  true: StoredFlag;
  /** A Date as a date column compares with it. */
  date(date: Date): StoredDate;
  /** The number at `key` of a JSON column (text on SQLite, jsonb on PostgreSQL); null when there is none. */
  jsonNumber(json: Expression<unknown>, key: string): RawBuilder<number | null>;
  /** The group's `line`s joined by newlines (PostgreSQL: in `order`'s binary order; SQLite: in row order). */
  joinLines(line: Expression<string>, order: Expression<string>): RawBuilder<string | null>;
}

/**
 * A dialect's values, checked against ITS generated schema (a column whose storage type changes fails
 * here), then taken as the common tables' stored values.
 */
function dialectValues<Tables extends SqliteTables | PostgresTables>(values: {
  true: SelectType<Tables["Vote"]["countsForRating"]>;
  date: (date: Date) => UpdateType<Tables["Vote"]["createdAt"]>;
}): Pick<StoreDialect, "true" | "date"> {
  return { true: values.true as StoredFlag, date: (date) => values.date(date) as StoredDate };
}

/** SQLite as Prisma's libsql adapter stores it: booleans 0/1, dates ISO 8601 text with "+00:00" (text order is time order). */
export const sqliteDialect: StoreDialect = {
  queries: compileOnly<CommonTables>(new SqliteAdapter(), () => new SqliteQueryCompiler(), (db) => new SqliteIntrospector(db)),
  ...dialectValues<SqliteTables>({ true: 1, date: sqliteDate }),
  jsonNumber: (json, key) => sql<number | null>`json_extract(${json}, ${sql.lit(`$.${key}`)})`,
  joinLines: (line) => sql<string | null>`group_concat(${line}, char(10))`,
};

/** PostgreSQL: booleans, dates as `timestamp(3)` takes them (postgresDate: UTC clock time). */
export const postgresDialect: StoreDialect = {
  queries: compileOnly<CommonTables>(new PostgresAdapter(), () => new PostgresQueryCompiler(), (db) => new PostgresIntrospector(db)),
  ...dialectValues<PostgresTables>({ true: true, date: postgresDate }),
  jsonNumber: (json, key) => sql<number | null>`case when jsonb_typeof(${json} -> ${sql.lit(key)}) = 'number' then (${json} ->> ${sql.lit(key)})::float8 end`,
  joinLines: (line, order) => sql<string | null>`string_agg(${line}, E'\\n' order by ${order} collate "C")`,
};

/** A date column's value as read in either dialect (ISO text or Date), in ms. */
export const storedTime = (value: StoredDate): number => (value instanceof Date ? value.getTime() : Date.parse(value as string));

/** A boolean column's value as read in either dialect (0/1 or boolean), as a boolean. */
export const storedTrue = (value: number | boolean): boolean => value === true || value === 1;

/** A half-open window of vote times. */
export interface TVoteWindow {
  /** Inclusive. */
  start: Date;
  /** Exclusive. */
  end: Date;
}

/**
 * Every annotator with a vote that counts for ratings in the window and who is not deleted, excluded or
 * banned, with the newest persona version their battles carried (null: none).
 */
export const releasableAnnotatorsQuery = (d: StoreDialect, window: TVoteWindow) =>
  d.queries
    .selectFrom("Vote as v")
    .innerJoin("Battle as b", "b.id", "v.battleId")
    .innerJoin("User as u", "u.id", "v.userId")
    .leftJoin("PersonaVersion as p", "p.id", "b.personaVersionId")
    .select((eb) => ["v.userId", eb.fn.max("p.version").as("version")])
    .where("v.countsForRating", "=", d.true)
    .where("v.createdAt", ">=", d.date(window.start))
    .where("v.createdAt", "<", d.date(window.end))
    .where("u.deletedAt", "is", null)
    .where("u.votesExcludedAt", "is", null)
    .where("u.bannedAt", "is", null)
    .groupBy("v.userId")
    .compile();

/**
 * One page of counted votes in the window after `cursor` (keyset on the vote id), a row per turn with
 * the battle, its models and both responses, in one query, ordered by vote id and turn index.
 */
export const releasePageQuery = (d: StoreDialect, cursor: string, window: TVoteWindow, pageSize: number) =>
  d.queries
    .selectFrom((inner) =>
      inner
        .selectFrom("Vote")
        .select(["id", "userId", "battleId", "createdAt", "outcome", "feedbackGeneral", "feedbackA", "feedbackB", "listenSecondsA", "listenSecondsB"])
        .where("id", ">", cursor)
        .where("countsForRating", "=", d.true)
        .where("createdAt", ">=", d.date(window.start))
        .where("createdAt", "<", d.date(window.end))
        .orderBy("id")
        .limit(pageSize)
        .as("v"),
    )
    .innerJoin("Battle as b", "b.id", "v.battleId")
    .innerJoin("ArenaModel as ma", "ma.id", "b.modelAId")
    .innerJoin("ArenaModel as mb", "mb.id", "b.modelBId")
    .leftJoin("Turn as t", "t.battleId", "b.id")
    .leftJoin("Response as ra", (join) => join.onRef("ra.turnId", "=", "t.id").on("ra.side", "=", "a"))
    .leftJoin("Response as rb", (join) => join.onRef("rb.turnId", "=", "t.id").on("rb.side", "=", "b"))
    .select([
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
    ])
    .orderBy("v.id")
    .orderBy("t.index")
    .compile();

/** A grouped-counts row (LeaderboardStore.modalityVoteCounts) as the store's interface has it: stored flags as booleans, counts as numbers (PostgreSQL returns bigint counts as text). */
export const modalityVoteCount = <R extends { personalizedA: number | boolean; personalizedB: number | boolean; count: number | string }>(row: R) => ({
  ...row,
  personalizedA: storedTrue(row.personalizedA),
  personalizedB: storedTrue(row.personalizedB),
  count: Number(row.count),
});

/** `parts` joined by single spaces in SQL (a packed line). */
export const spaced = (parts: Expression<unknown>[]) => sql<string>`${sql.join(parts, sql` || ' ' || `)}`;

/** createdAt of the `offset`+1-th newest counted text vote: where style control's votes start (none: fewer votes). */
export const styleCutoffSelect = (d: StoreDialect, offset: number) =>
  d.queries.selectFrom("Vote").select("createdAt").where("modality", "=", "text").where("countsForRating", "=", d.true).orderBy("createdAt", "desc").limit(1).offset(offset);
export const styleCutoffQuery = (d: StoreDialect, offset: number) => styleCutoffSelect(d, offset).compile();

/** The style features of a packed styled line, in order (lib/server/leaderboards/styled-rows.ts). */
const STYLE_FEATURES = ["tokens", "headers", "lists", "bold"] as const;

/**
 * The counted text votes since `since` with their style summed per vote by the database, as ONE string
 * with a line per vote (lib/server/leaderboards/styled-rows.ts, TPackedStyledVotes): "voteId modelAId
 * modelBId outcome userId", the 4 style features of side a and of side b (from the stored
 * styleFeatures), and the number of responses without stored features (their text is counted
 * afterwards). Turning each response row into an object through the driver cost several times this.
 */
export const styledVotesQuery = (d: StoreDialect, since: Date) => styledVotesSelect(d, d.date(since)).compile();

/** styledVotesQuery's query, with `since` as stored (precompiled for the read-ahead thread: lib/server/store/leaderboard-sqlite-queries.ts). */
export const styledVotesSelect = (d: StoreDialect, since: StoredDate) =>
  d.queries
    .selectFrom((inner) =>
      inner
        .selectFrom("Vote as v")
        .innerJoin("Turn as t", "t.battleId", "v.battleId")
        .innerJoin("Response as r", "r.turnId", "t.id")
        .where("v.modality", "=", "text")
        .where("v.countsForRating", "=", d.true)
        .where("v.createdAt", ">=", since)
        .groupBy("v.id")
        .select((eb) => [
          eb.ref("v.id").as("id"),
          spaced([
              eb.ref("v.id"),
              eb.ref("v.modelAId"),
              eb.ref("v.modelBId"),
              sql`cast(${eb.ref("v.outcome")} as text)`,
              eb.ref("v.userId"),
              ...(["a", "b"] as const).flatMap((side) =>
                STYLE_FEATURES.map((feature) => sql`coalesce(sum(case when ${eb.ref("r.side")} = ${sql.lit(side)} then ${d.jsonNumber(eb.ref("r.styleFeatures"), feature)} end), 0)`),
              ),
              sql`(count(*) - count(${eb.ref("r.styleFeatures")}))`,
          ]).as("line"),
        ])
        .as("s"),
    )
    .select((eb) => d.joinLines(eb.ref("s.line"), eb.ref("s.id")).as("rows"));

/** Per response without stored style features of the counted text votes since `since`: its vote, side and text. */
export const unstyledResponsesQuery = (d: StoreDialect, since: Date) =>
  d.queries
    .selectFrom("Vote as v")
    .innerJoin("Turn as t", "t.battleId", "v.battleId")
    .innerJoin("Response as r", "r.turnId", "t.id")
    .select(["v.id as voteId", "r.side", "r.text"])
    .where("v.modality", "=", "text")
    .where("v.countsForRating", "=", d.true)
    .where("v.createdAt", ">=", d.date(since))
    .where("r.styleFeatures", "is", null)
    .compile();
