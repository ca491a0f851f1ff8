/**
 * The leaderboard's SQLite reads, built with Kysely (./sqlite-compiled.ts) and run on a read-only
 * connection of the reader's own, on this thread (./leaderboard-sqlite.ts) or in a read-ahead worker
 * (lib/server/leaderboards/read-ahead.worker.ts). Imports only Kysely and types, for the workers.
 */
import { sql } from "kysely";
import { spaced, sqliteDialect, styleCutoffSelect, styledVotesSelect, type StoredDate } from "./common-queries";
import type { TModality } from "@/lib/domain/vocabulary";
import { precompile } from "./precompile";
import { sqliteQueries as q } from "./sqlite-compiled";
import { sqliteTime } from "./sqlite-run";


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
 *
 * The order is the ledger's primary key (modality, createdAt, voteId), the one index the window's
 * range can use: SQLite hands group_concat the rows in the order it scans them. Aggregated straight
 * over that scan, with `last` a separate seek to the window's newest entry, the query costs about two
 * thirds of the same aggregate over an ordered subquery with max() per row (text's 590,000 votes of
 * the 1M-vote bench database: 108 against 166 ms), and it is on the full read's serial path (the
 * read-ahead thread). `ORDER BY` inside group_concat (SQLite 3.44+) would sort every vote again: 324 ms.
 */
const ledgerWindowCompiled = precompile(3, (modality: TModality, from: string, to: string) => {
  const window = () => q.selectFrom("VoteLedger").where("modality", "=", modality).where("createdAt", ">=", from).where("createdAt", "<", to);
  return window().select((eb) => [
    sql<string | null>`group_concat(${eb
      .case()
      .when("userNumber", "in", multiPersonaNumbers())
      .then(spaced([eb.ref("line"), eb.ref("createdAt")]))
      .else(eb.ref("line"))
      .end()}, char(10))`.as("rows"),
    window()
      .select((inner) => inner.fn.max("createdAt").as("last"))
      .as("last"),
  ]);
});
export const ledgerWindowQuery = (modality: TModality, from: number, to: number) => ledgerWindowCompiled(modality, sqliteTime(from), sqliteTime(to));

/** The first ledger time in [from, until] of a modality. */
const ledgerFirstCompiled = precompile(3, (modality: TModality, from: string, until: string) =>
  q.selectFrom("VoteLedger").select((eb) => eb.fn.min("createdAt").as("first")).where("modality", "=", modality).where("createdAt", ">=", from).where("createdAt", "<=", until),
);
export const ledgerFirstQuery = (modality: TModality, from: number, until: number) => ledgerFirstCompiled(modality, sqliteTime(from), sqliteTime(until));

/** Ledger entries (counted votes) of a modality with from ≤ createdAt ≤ until. */
const ledgerCountCompiled = precompile(3, (modality: TModality, from: string, until: string) =>
  q.selectFrom("VoteLedger").select((eb) => eb.fn.countAll<number>().as("count")).where("modality", "=", modality).where("createdAt", ">=", from).where("createdAt", "<=", until),
);

/** The id of a RatingNumber number (compiled once: a full read looks up every annotator, per thread and modality). */
export const ratingNumberIdQuery = precompile(1, (number: number) => q.selectFrom("RatingNumber").select("id").where("number", "=", number));

const styleCutoffCompiled = precompile(1, (offset: number) => styleCutoffSelect(sqliteDialect, offset));
const styledVotesCompiled = precompile(1, (since: StoredDate) => styledVotesSelect(sqliteDialect, since));

/**
 * The queries of a read-ahead thread (lib/server/leaderboards/read-ahead.worker.ts), compiled here and
 * sent in its workerData: the thread fills in arguments (./query-template.ts) and never loads Kysely.
 * Arguments: ledgerFirst, ledgerCount and ledgerWindow (modality, from, to) with times as stored (sqliteTime);
 * ratingNumberId (number); styleCutoff (offset) and styledVotes (since, as stored): common-queries.ts.
 */
export const readAheadTemplates = () => ({
  ledgerFirst: ledgerFirstCompiled.template,
  ledgerCount: ledgerCountCompiled.template,
  ledgerWindow: ledgerWindowCompiled.template,
  ratingNumberId: ratingNumberIdQuery.template,
  styleCutoff: styleCutoffCompiled.template,
  styledVotes: styledVotesCompiled.template,
});

export type TReadAheadTemplates = ReturnType<typeof readAheadTemplates>;

/** What changes when persona versions are added or removed (versions are never edited in place). */
export const personaSummaryQuery = () =>
  q
    .selectFrom("PersonaVersion")
    .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.max("createdAt").as("maxCreatedAt"), eb.fn.max("id").as("maxId")])
    .compile();

/** Every persona version, by annotator and time. */
export const personaRowsQuery = () => q.selectFrom("PersonaVersion").select(["userId", "createdAt", "data"]).orderBy("userId").orderBy("createdAt").compile();

/** A row of personaRowsQuery as LeaderboardReader.personaVersions gives it: its time in ms, its data parsed (null when it does not parse). */
export const personaVersionOf = (row: { userId: string; createdAt: string; data: string }) => ({ userId: row.userId, createdAt: Date.parse(row.createdAt), data: parseJsonOrNull(row.data) });

export function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The data of one LeaderboardState row (the vote-log checkpoint, a snapshot fingerprint, the style fit). */
export const stateRowQuery = precompile(1, (key: string) => q.selectFrom("LeaderboardState").select("data").where("key", "=", key));

/** Whether a LeaderboardState row is stored (its key only: the data is not read). */
export const stateRowExistsQuery = precompile(1, (key: string) => q.selectFrom("LeaderboardState").select("key").where("key", "=", key));

/** Counted votes of a modality with createdAt ≤ `through` (the vote ledger holds exactly the counted votes). */
const countedThroughCompiled = precompile(2, (modality: TModality, through: string) =>
  q
    .selectFrom("VoteLedger")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("modality", "=", modality)
    .where("createdAt", "<=", through),
);
export const countedThroughQuery = (modality: TModality, through: number) => countedThroughCompiled(modality, sqliteTime(through));

/** Ids of the annotators whose votes are excluded, in id order. */
export const excludedUsersQuery = q.selectFrom("User").select("id").where("votesExcludedAt", "is not", null).orderBy("id").compile();

/** The variants of a modality's stored snapshots. */
export const snapshotVariantsQuery = precompile(1, (modality: TModality) => q.selectFrom("LeaderboardSnapshot").select("variant").where("modality", "=", modality));

/** Every model with its organization's name. */
export const modelInfoQuery = q
  .selectFrom("ArenaModel as m")
  .innerJoin("Organization as o", "o.id", "m.organizationId")
  .select(["m.id", "m.slug", "m.displayName", "m.organizationId", "o.name as organizationName"])
  .compile();

/**
 * 1 when a counted vote was cast after the newest snapshot's computedAt (any counted vote when there
 * is no snapshot: every stored date is text after the empty string), else 0.
 */
export const countedVoteAfterNewestSnapshotQuery = q
  .selectNoFrom((eb) =>
    eb
      .exists(
        eb
          .selectFrom("Vote")
          .select("id")
          .where("countsForRating", "=", 1)
          .where("createdAt", ">", (inner) => inner.fn.coalesce(inner.selectFrom("LeaderboardSnapshot").select((max) => max.fn.max("computedAt").as("newest")), sql.lit(""))),
      )
      .as("newer"),
  )
  .compile();

/** The persona versions' annotator and data of the annotators in `userIds` (a JSON array: one parameter whatever their number), by annotator, then version. */
export const personaDataQuery = precompile(1, (userIds: string) =>
  q
    .selectFrom("PersonaVersion")
    .select(["userId", "data"])
    .where("userId", "in", (eb) => eb.selectFrom(sql<{ value: string }>`json_each(${userIds})`.as("ids")).select("ids.value"))
    .orderBy("userId")
    .orderBy("version"),
);

/**
 * Counted votes of a modality's annotators not excluded, grouped as LeaderboardStore.modalityVoteCounts
 * says, ordered by the grouping. Two groupings, each read in the order of `Vote_grouped_counts_idx`
 * (votes where both sides saw the persona or neither did, grouped without the annotator; experiment
 * votes, grouped with it), so that SQLite sorts only the groups, never the votes: grouped by one `case`
 * over both kinds (as PostgreSQL's query is), it sorted every vote in a temporary B-tree, and a join
 * of "User" per vote looked each annotator up again (the text scan of the 1M-vote bench database:
 * 0.41 CPU s this way, 0.79 s before). The excluded annotators are a short list read once (every vote
 * has its annotator: a foreign key).
 */
export const modalityVoteCountsQuery = precompile(1, (modality: TModality) => {
  const keys = ["v.categories", "v.modelAId", "v.modelBId", "v.outcome", "v.personalizedA", "v.personalizedB"] as const;
  const votes = (experiment: boolean) =>
    q
      .selectFrom("Vote as v")
      .where("v.modality", "=", modality)
      .where("v.countsForRating", "=", 1)
      .where("v.personalizedA", experiment ? "!=" : "=", (eb) => eb.ref("v.personalizedB"))
      .where("v.userId", "not in", (eb) => eb.selectFrom("User").select("User.id").where("User.votesExcludedAt", "is not", null));
  const counted = votes(false)
    .select((eb) => [...keys, sql<string | null>`null`.as("userId"), eb.fn.countAll<number>().as("count")])
    .groupBy([...keys])
    .unionAll(
      votes(true)
        .select((eb) => [...keys, "v.userId", eb.fn.countAll<number>().as("count")])
        .groupBy([...keys, "v.userId"]),
    );
  return q
    .selectFrom(counted.as("g"))
    .selectAll()
    .orderBy("g.categories")
    .orderBy("g.modelAId")
    .orderBy("g.modelBId")
    .orderBy("g.outcome")
    .orderBy("g.personalizedA")
    .orderBy("g.personalizedB")
    .orderBy("g.userId");
});
