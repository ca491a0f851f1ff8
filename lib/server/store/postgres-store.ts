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
 * of one fixed text (postgres-commit.ts), with no transaction around it. The battle and session-user reads run
 * on `lookups`, a pool whose connections plan each statement once (kysely.ts, TPlanning "once"): every table
 * they touch is reached by key lookups, so the plan does not depend on the tables' size.
 */
export class PostgresStore implements ArenaStore {
  readonly sharedByInstances = true;

  constructor(
    private readonly kysely: PostgresDb,
    private readonly lookups: PostgresDb,
  ) {}

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
    const { rows } = await this.lookups.executeQuery(since ? battleToVoteQuery(postgresDate(since), battleIds) : battleReadQuery(battleIds));
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
    const { rows } = await this.lookups.executeQuery(sessionUsersQuery(userIds));
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

/**
 * The duplicate-prompt rule's count: counted votes on battles whose prompt hash is `promptHash` (a scalar subquery;
 * null matches none). Each battle's vote is found by its unique key in a subquery of its own, which PostgreSQL
 * runs per battle: as a join, a plan made on small tables hashes a scan of the whole Vote table (seen in the
 * plan made once on empty tables, lookups' planning), and such a plan would be kept as Vote grows.
 */
const countedVotesOfPrompt = (db: QueryCreator<PostgresTables>, promptHash: Expression<string | null>) =>
  db
    .selectFrom("Battle as prompted")
    .select((inner) => inner.fn.countAll<string>().as("count"))
    .where("prompted.promptHash", "=", promptHash)
    .where((inner) => inner(inner.selectFrom("Vote as counted").select("counted.countsForRating").whereRef("counted.battleId", "=", "prompted.id"), "=", true));

/**
 * The hot reads, built and compiled by Kysely once (precompile): a call only fills in its arguments. Ids go in as
 * ONE array parameter: one text whatever their number, so one named statement. They run on connections that plan
 * a statement once and keep the plan (kysely.ts, TPlanning "once"), so each id is looked up in a subquery of its
 * own (`wanted`, a LATERAL subquery with OFFSET 0, which PostgreSQL neither merges into the outer join nor
 * hashes): inside it the battle is one row found by its key, and its turns, answers and vote are index lookups.
 * With the ids as an `= any(…)` list, a plan made on small tables hashes scans of whole tables (seen in the plan
 * of the plain read made on the integration suite's emptied tables) and would be kept as they grow.
 */
const wantedIds = (ids: string[]) => sql<{ id: string }>`unnest(${ids}::text[])`.as<"wanted">(sql`wanted(id)`);

/** The tables with the ids looked up (`wanted`, see wantedIds). */
type TReadTables = PostgresTables & { wanted: { id: string } };

/** The battle `wanted.id` joined to its turns, their answers and its vote: one row per answer. */
const joinedBattle = (eb: ExpressionBuilder<TReadTables, "wanted">) =>
  eb
    .selectFrom("Battle")
    .leftJoin("Turn", "Turn.battleId", "Battle.id")
    .leftJoin("Response", "Response.turnId", "Turn.id")
    .leftJoin("Vote", "Vote.battleId", "Battle.id")
    .selectAll("Battle")
    .select([...joinedSelection("Turn"), ...joinedSelection("Response"), ...joinedSelection("Vote")])
    .whereRef("Battle.id", "=", "wanted.id")
    .offset(sql.lit(0));

/** The battles of `battleIds`, each joined to its turns, their answers and its vote: one row per answer, in order. */
const battleReadQuery = precompile(1, (battleIds: string[]) =>
  (q as unknown as QueryCreator<TReadTables>)
    .selectFrom(wantedIds(battleIds))
    .innerJoinLateral((eb) => joinedBattle(eb).as("read"), (join) => join.onTrue())
    .selectAll("read")
    .orderBy("read.id")
    .orderBy("read.turn_index", "asc")
    .orderBy("read.response_side", "asc"),
);

/**
 * The battles to vote on with the two counts beside each, computed once per battle (in a subquery of its own
 * beside the joined rows: in the joined select list they ran once per ROW, per answer, twice a battle).
 */
const battleToVoteQuery = precompile(2, (since: string, battleIds: string[]) =>
  (q as unknown as QueryCreator<TReadTables>)
    .selectFrom(wantedIds(battleIds))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom("Battle as voted")
          .select((inner) => [
            votesOfUserSince(q, inner.ref("voted.userId"), since).as("votesOfUserSince"),
            countedVotesOfPrompt(q, inner.ref("voted.promptHash")).as("countedVotesOfPrompt"),
          ])
          .whereRef("voted.id", "=", "wanted.id")
          .offset(sql.lit(0))
          .as("counts"),
      (join) => join.onTrue(),
    )
    // The counts' subquery adds no table the battle's needs.
    .innerJoinLateral((eb) => joinedBattle(eb as unknown as ExpressionBuilder<TReadTables, "wanted">).as("read"), (join) => join.onTrue())
    .selectAll("read")
    .select(["counts.votesOfUserSince as count_votesOfUserSince", "counts.countedVotesOfPrompt as count_countedVotesOfPrompt"])
    .orderBy("read.id")
    .orderBy("read.turn_index", "asc")
    .orderBy("read.response_side", "asc"),
);

/** The users of `userIds` unless deleted or banned, each looked up in a subquery of its own (see wantedIds). */
const sessionUsersQuery = precompile(1, (userIds: string[]) =>
  (q as unknown as QueryCreator<TReadTables>)
    .selectFrom(wantedIds(userIds))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom("User")
          .select(["id", "role", "isGuest", "email", "name", "sessionVersion"])
          .whereRef("User.id", "=", "wanted.id")
          .where("deletedAt", "is", null)
          .where("bannedAt", "is", null)
          .offset(sql.lit(0))
          .as("user"),
      (join) => join.onTrue(),
    )
    .selectAll("user"),
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
