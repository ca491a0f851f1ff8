/**
 * The leaderboard's SQLite reads, built with Kysely (./sqlite-compiled.ts) and run on a read-only
 * connection of the reader's own, on this thread (./leaderboard-sqlite.ts) or in a read-ahead worker
 * (lib/server/leaderboards/read-ahead.worker.ts). Imports only Kysely and types, for the workers.
 */
import { sql, type Expression } from "kysely";
import type { TModality } from "@/lib/domain/vocabulary";
import { precompile, sqliteDate, sqliteQueries as q } from "./sqlite-compiled";

/** A time in ms as the SQLite driver adapter stores dates (sqliteDate). */
export const sqliteTime = (ms: number) => sqliteDate(new Date(ms));

/** `parts` joined by single spaces in SQL. */
const spaced = (parts: Expression<unknown>[]) => sql<string>`${sql.join(parts, sql` || ' ' || `)}`;

/** RatingNumber numbers of the annotators with more than one persona version (their persona class depends on the time). */
const multiPersonaNumbers = () =>
  q
    .selectFrom("PersonaVersion as p")
    .innerJoin("RatingNumber as n", "n.id", "p.userId")
    .select("n.number")
    .groupBy("p.userId")
    .having((eb) => eb.fn.countAll(), ">", 1);

/**
 * One window of counted votes from the vote ledger, packed into ONE string with a line per vote
 * (lib/server/leaderboards/packed-vote-window.ts, numbered format), time order, equal timestamps in
 * vote id order; annotators with several persona versions get the vote's createdAt on the line.
 * `last` is the newest createdAt. Turning each row into an object through the driver would cost
 * several times the query itself.
 */
const ledgerWindowCompiled = precompile(3, (modality: TModality, from: string, to: string) =>
  q
    .selectFrom((inner) =>
      inner
        .selectFrom("VoteLedger")
        .select(["line", "userNumber", "createdAt"])
        .where("modality", "=", modality)
        .where("createdAt", ">=", from)
        .where("createdAt", "<", to)
        .orderBy("createdAt")
        .orderBy("voteId")
        .as("w"),
    )
    .select((eb) => [
      sql<string | null>`group_concat(${eb
        .case()
        .when("w.userNumber", "in", multiPersonaNumbers())
        .then(spaced([eb.ref("w.line"), eb.ref("w.createdAt")]))
        .else(eb.ref("w.line"))
        .end()}, char(10))`.as("rows"),
      eb.fn.max("w.createdAt").as("last"),
    ]));
export const ledgerWindowQuery = (modality: TModality, from: number, to: number) => ledgerWindowCompiled(modality, sqliteTime(from), sqliteTime(to));

/** The first ledger time in [from, until] of a modality. */
const ledgerFirstCompiled = precompile(3, (modality: TModality, from: string, until: string) =>
  q.selectFrom("VoteLedger").select((eb) => eb.fn.min("createdAt").as("first")).where("modality", "=", modality).where("createdAt", ">=", from).where("createdAt", "<=", until),
);
export const ledgerFirstQuery = (modality: TModality, from: number, until: number) => ledgerFirstCompiled(modality, sqliteTime(from), sqliteTime(until));

/** The id of a RatingNumber number (compiled once: a full read looks up every annotator, per thread and modality). */
export const ratingNumberIdQuery = precompile(1, (number: number) => q.selectFrom("RatingNumber").select("id").where("number", "=", number));

/** createdAt of the `offset`+1-th newest counted text vote: where style control's votes start. */
export const styleCutoffQuery = (offset: number) =>
  q.selectFrom("Vote").select("createdAt").where("modality", "=", "text").where("countsForRating", "=", 1).orderBy("createdAt", "desc").limit(1).offset(offset).compile();

const STYLE_FEATURES = ["tokens", "headers", "lists", "bold"] as const;

/**
 * The counted text votes since `since` with their style summed per vote inside SQLite, as ONE string
 * with a line per vote: "voteId modelAId modelBId outcome userId", the 4 style features of side a
 * and of side b (from the stored styleFeatures), and the number of responses without stored
 * features (their text is counted afterwards, styledRowsQuery).
 */
export const styledPackedQuery = (since: string) =>
  q
    .selectFrom((inner) =>
      inner
        .selectFrom("Vote as v")
        .innerJoin("Turn as t", "t.battleId", "v.battleId")
        .innerJoin("Response as r", "r.turnId", "t.id")
        .where("v.modality", "=", "text")
        .where("v.countsForRating", "=", 1)
        .where("v.createdAt", ">=", since)
        .groupBy("v.id")
        .select((eb) =>
          spaced([
            eb.ref("v.id"),
            eb.ref("v.modelAId"),
            eb.ref("v.modelBId"),
            eb.ref("v.outcome"),
            eb.ref("v.userId"),
            ...(["a", "b"] as const).flatMap((side) =>
              STYLE_FEATURES.map((feature) => sql`total(${eb.case().when("r.side", "=", side).then(sql`json_extract(${eb.ref("r.styleFeatures")}, ${sql.lit(`$.${feature}`)})`).end()})`),
            ),
            sql`(count(*) - count(${eb.ref("r.styleFeatures")}))`,
          ]).as("line"),
        )
        .as("s"),
    )
    .select((eb) => sql<string | null>`group_concat(${eb.ref("s.line")}, char(10))`.as("rows"))
    .compile();

/** Per response of the counted text votes since `since` that has no stored style features: its vote, side and text. */
export const unstyledRowsQuery = (since: string) =>
  q
    .selectFrom("Vote as v")
    .innerJoin("Turn as t", "t.battleId", "v.battleId")
    .innerJoin("Response as r", "r.turnId", "t.id")
    .select(["v.id as voteId", "r.side", "r.text"])
    .where("v.modality", "=", "text")
    .where("v.countsForRating", "=", 1)
    .where("v.createdAt", ">=", since)
    .where("r.styleFeatures", "is", null)
    .compile();

/** What changes when persona versions are added or removed (versions are never edited in place). */
export const personaSummaryQuery = () =>
  q
    .selectFrom("PersonaVersion")
    .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.max("createdAt").as("maxCreatedAt"), eb.fn.max("id").as("maxId")])
    .compile();

/** Every persona version, by annotator and time. */
export const personaRowsQuery = () => q.selectFrom("PersonaVersion").select(["userId", "createdAt", "data"]).orderBy("userId").orderBy("createdAt").compile();

/** The data of one LeaderboardState row (the vote-log checkpoint). */
export const stateRowQuery = (key: string) => q.selectFrom("LeaderboardState").select("data").where("key", "=", key).compile();

/** Counted votes of a modality with createdAt ≤ `through` (the vote ledger holds exactly the counted votes). */
export const countedThroughQuery = (modality: TModality, through: number) =>
  q
    .selectFrom("VoteLedger")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("modality", "=", modality)
    .where("createdAt", "<=", sqliteTime(through))
    .compile();
