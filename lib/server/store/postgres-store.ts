import "server-only";
import { sql, type Expression, type ExpressionBuilder, type QueryCreator } from "kysely";
import { postgresDate, postgresQueries as q, type PostgresDb, type PostgresTables } from "@/lib/server/store/kysely";
import { precompile } from "@/lib/server/store/precompile";
import { groupCommit } from "@/lib/server/store/postgres-commit";
import { battleFromJoinedRows, joinedSelection, voteFromPostgres } from "@/lib/server/store/postgres-rows";
import type { ArenaStore, TBattleRows, TBattleTagging, TBattleToVote, TSessionUserRow, TUntaggedBattle, TVoteCounts, TWriteGroup } from "@/lib/server/store/types";
import { tickBatched } from "@/lib/server/store/tick-batch";
import { untaggedBattlesOf, untaggedBattlesQuery, type TUntaggedTables } from "@/lib/server/store/untagged-battles";

/**
 * The store on PostgreSQL, on a `pg` pool of its own (kysely.ts). Every round trip counts here (the
 * database is another process, maybe another machine, and each statement wakes a backend): the battle
 * reads of one turn of the event loop are one statement (see `read`), and a group commit is one statement
 * of one fixed text (postgres-commit.ts), with no transaction around it.
 */
export class PostgresStore implements ArenaStore {
  readonly sharedByInstances = true;

  constructor(private readonly kysely: PostgresDb) {}

  /**
   * Battle reads, batched: every battle read asked for in the same turn of the event loop (by any request)
   * goes out as ONE statement at the next turn, one per kind (with the counts since one time, or without).
   * Under load that is one round trip and one backend wake-up for many reads.
   */
  private readonly read = tickBatched(
    (since: Date | null, battleIds: string[]) => this.readBatch(battleIds, since),
    (since) => since?.toISOString() ?? "",
  );

  /** The request's user, batched like the battle reads. */
  private readonly readUser = tickBatched((_: null, userIds: string[]) => this.readSessionUsers(userIds));

  /** One statement: the battle joined to its turns, their answers and its vote (one row per answer). */
  async readBattle(battleId: string): Promise<TBattleRows | null> {
    return (await this.read(null, battleId))?.battle ?? null;
  }

  /** One statement: the battle read with the two counts beside it, by the battle's own user and prompt hash. */
  async readBattleToVote(battleId: string, since: Date): Promise<TBattleToVote | null> {
    const read = await this.read(since, battleId);
    return read && { battle: read.battle, counts: read.counts! };
  }

  /** The battles joined to their turns, answers and votes (one row per answer), with the counts when `since` is given. */
  private async readBatch(battleIds: string[], since: Date | null): Promise<Map<string, TBattleRead>> {
    const { rows } = await this.kysely.executeQuery(since ? battleToVoteQuery(postgresDate(since), battleIds) : battleReadQuery(battleIds));
    const byBattle = new Map<string, typeof rows>();
    for (const row of rows) {
      const kept = byBattle.get(row.id);
      if (kept) kept.push(row);
      else byBattle.set(row.id, [row]);
    }
    const reads = new Map<string, TBattleRead>();
    for (const [id, battleRows] of byBattle) {
      const first = battleRows[0] as Record<string, unknown>;
      const counts = since ? { votesOfUserSince: Number(first.count_votesOfUserSince ?? 0), countedVotesOfPrompt: Number(first.count_countedVotesOfPrompt ?? 0) } : null;
      reads.set(id, { battle: battleFromJoinedRows(battleRows)!, counts });
    }
    return reads;
  }

  async readVoteOfBattle(battleId: string) {
    const vote = await this.kysely.selectFrom("Vote").selectAll().where("battleId", "=", battleId).executeTakeFirst();
    return vote ? voteFromPostgres(vote) : null;
  }

  async readSessionUser(userId: string): Promise<TSessionUserRow | null> {
    return this.readUser(null, userId);
  }

  /** The users unless deleted or banned, in one statement. */
  private async readSessionUsers(userIds: string[]): Promise<Map<string, TSessionUserRow>> {
    const { rows } = await this.kysely.executeQuery(sessionUsersQuery(userIds));
    return new Map(rows.map((row) => [row.id, row]));
  }

  async readUntaggedBattles(limit: number): Promise<TUntaggedBattle[]> {
    return untaggedBattlesOf(await untaggedBattlesQuery(this.kysely as unknown as QueryCreator<TUntaggedTables>, limit).execute());
  }

  /** One statement of one fixed text (tagBattlesQuery): every battle's tags and its vote's categories. */
  async tagBattles(taggings: TBattleTagging[]): Promise<void> {
    const tags = taggings.flatMap(({ battleIds, ...tagging }) => battleIds.map((id) => ({ id, ...tagging })));
    if (tags.length === 0) return;
    await this.kysely.executeQuery(
      tagBattlesQuery(
        tags.map((tag) => tag.id),
        tags.map((tag) => tag.categories),
        tags.map((tag) => tag.language),
        tags.map((tag) => tag.categorizedBy),
      ),
    );
  }

  /** One statement of one fixed text, prepared once per connection (postgres-commit.ts). */
  async commit(groups: TWriteGroup[]): Promise<void> {
    const statement = groupCommit(groups);
    if (statement) await this.kysely.executeQuery(statement);
  }
}

/** The daily cap's count: votes of `userId` at or after `since` (postgresDate's text; a scalar subquery). */
const votesOfUserSince = (db: QueryCreator<PostgresTables>, userId: Expression<string>, since: string) =>
  db
    .selectFrom("Vote as capped")
    .select((inner) => inner.fn.countAll<string>().as("count"))
    .where("capped.userId", "=", userId)
    .where((inner) => inner("capped.createdAt", ">=", inner.cast<Date>(inner.val(since), "timestamp")));

/** The duplicate-prompt rule's count: counted votes on battles whose prompt hash is `promptHash` (a scalar subquery; null matches none). */
const countedVotesOfPrompt = (db: QueryCreator<PostgresTables>, promptHash: Expression<string | null>) =>
  db
    .selectFrom("Vote as counted")
    .innerJoin("Battle as prompted", "prompted.id", "counted.battleId")
    .select((inner) => inner.fn.countAll<string>().as("count"))
    .where("counted.countsForRating", "=", true)
    .where("prompted.promptHash", "=", promptHash);

/**
 * The hot reads, built and compiled by Kysely once (precompile): a call only fills in its arguments.
 * Ids go in as ONE array parameter (`= any($1)`): one text whatever their number, so one named statement.
 */
const battlesOf = (battleIds: string[]) => (eb: ExpressionBuilder<PostgresTables, "Battle">) => eb("Battle.id", "=", eb.fn.any(eb.val(battleIds)));

/** The tables with the vote read's per-battle counts (`counts`, a CTE of battleToVoteQuery). */
type TCountedTables = PostgresTables & { counts: { battleId: string; votesOfUserSince: string | null; countedVotesOfPrompt: string | null } };

/** The battles joined to their turns, their answers and their vote: one row per answer, in order. */
const joinedBattles = (db: QueryCreator<TCountedTables>, battleIds: string[]) =>
  db
    .selectFrom("Battle")
    .leftJoin("Turn", "Turn.battleId", "Battle.id")
    .leftJoin("Response", "Response.turnId", "Turn.id")
    .leftJoin("Vote", "Vote.battleId", "Battle.id")
    .selectAll("Battle")
    .select([...joinedSelection("Turn"), ...joinedSelection("Response"), ...joinedSelection("Vote")])
    .where(battlesOf(battleIds))
    .orderBy("Battle.id")
    .orderBy("Turn.index", "asc")
    .orderBy("Response.side", "asc");

// The plain read never names `counts`.
const battleReadQuery = precompile(1, (battleIds: string[]) => joinedBattles(q as unknown as QueryCreator<TCountedTables>, battleIds));

/**
 * The battles to vote on with the two counts beside each. The counts are computed once per battle in a
 * MATERIALIZED CTE: scalar subqueries in the joined select list ran once per ROW (per answer, twice a battle).
 */
const battleToVoteQuery = precompile(2, (since: string, battleIds: string[]) => {
  const withCounts = q.with(
    (cte) => cte("counts").materialized(),
    (db) =>
      db
        .selectFrom("Battle")
        .select((eb) => [
          "Battle.id as battleId",
          votesOfUserSince(db, eb.ref("Battle.userId"), since).as("votesOfUserSince"),
          countedVotesOfPrompt(db, eb.ref("Battle.promptHash")).as("countedVotesOfPrompt"),
        ])
        .where(battlesOf(battleIds)),
  );
  return joinedBattles(withCounts, battleIds)
    .innerJoin("counts", "counts.battleId", "Battle.id")
    .select(["counts.votesOfUserSince as count_votesOfUserSince", "counts.countedVotesOfPrompt as count_countedVotesOfPrompt"]);
});

const sessionUsersQuery = precompile(1, (userIds: string[]) =>
  q
    .selectFrom("User")
    .select(["id", "role", "isGuest", "email", "name", "sessionVersion"])
    .where((eb) => eb("id", "=", eb.fn.any(eb.val(userIds))))
    .where("deletedAt", "is", null)
    .where("bannedAt", "is", null),
);

/**
 * The taggings as rows (battle id, categories, language, classifier), one array per column: the text is the
 * same whatever the batch (one named statement), and the planner reads the arrays' length, so it looks the
 * battles and votes up by key once their tables outgrow a scan. The vote update reads the same rows through
 * the CTE: each battle and each vote is written once.
 */
const tagBattlesQuery = precompile(4, (ids: string[], categories: string[], languages: (string | null)[], categorizedBy: string[]) =>
  q
    .with("tag", (db) =>
      db
        .selectFrom(
          sql<{ id: string; categories: string; language: string | null; categorizedBy: string }>`unnest(${ids}::text[], ${categories}::text[], ${languages}::text[], ${categorizedBy}::text[])`.as<"tagging">(
            sql`tagging(id, categories, language, "categorizedBy")`,
          ),
        )
        .selectAll(),
    )
    .with("tagged", (db) =>
      db
        .updateTable("Battle")
        .from("tag")
        .set((eb) => ({ categories: eb.ref("tag.categories"), language: eb.ref("tag.language"), categorizedBy: eb.ref("tag.categorizedBy") }))
        .whereRef("Battle.id", "=", "tag.id"),
    )
    .updateTable("Vote")
    .from("tag")
    .set((eb) => ({ categories: eb.ref("tag.categories") }))
    .whereRef("Vote.battleId", "=", "tag.id"),
);

interface TBattleRead {
  battle: TBattleRows;
  counts: TVoteCounts | null;
}
