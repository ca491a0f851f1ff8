import "server-only";
import type { Kysely, QueryCreator, Transaction, UpdateQueryBuilder, UpdateResult } from "kysely";
import { postgresDate, type PostgresDb, type PostgresTables } from "@/lib/server/store/kysely";
import {
  battleFromJoinedRows,
  battleToPostgres,
  joinedSelection,
  responseFieldsToPostgres,
  responseToPostgres,
  turnToPostgres,
  voteFromPostgres,
  voteToPostgres,
} from "@/lib/server/store/postgres-rows";
import type { ArenaStore, TBattleRows, TBattleTagging, TResponseFields, TSessionUserRow, TUntaggedBattle, TVoteCounts, TVoteCountsQuery, TWriteGroup } from "@/lib/server/store/types";
import { untaggedBattlesOf, untaggedBattlesQuery, type TUntaggedTables } from "@/lib/server/store/untagged-battles";

type TExecutor = Kysely<PostgresTables> | Transaction<PostgresTables>;

/**
 * The store on PostgreSQL, on a `pg` pool of its own (kysely.ts). Every round trip counts here (the
 * database is another process, maybe another machine): a battle is read in one statement, and a group
 * commit is one or two statements (see `statements`), so most need no transaction around them.
 */
export class PostgresStore implements ArenaStore {
  readonly sharedByInstances = true;

  constructor(private readonly kysely: PostgresDb) {}

  /** One statement: the battle joined to its turns, their answers and its vote (one row per answer). */
  async readBattle(battleId: string): Promise<TBattleRows | null> {
    const rows = await this.kysely
      .selectFrom("Battle")
      .leftJoin("Turn", "Turn.battleId", "Battle.id")
      .leftJoin("Response", "Response.turnId", "Turn.id")
      .leftJoin("Vote", "Vote.battleId", "Battle.id")
      .selectAll("Battle")
      .select([...joinedSelection("Turn"), ...joinedSelection("Response"), ...joinedSelection("Vote")])
      .where("Battle.id", "=", battleId)
      .orderBy("Turn.index", "asc")
      .orderBy("Response.side", "asc")
      .execute();
    return battleFromJoinedRows(rows);
  }

  async readVoteOfBattle(battleId: string) {
    const vote = await this.kysely.selectFrom("Vote").selectAll().where("battleId", "=", battleId).executeTakeFirst();
    return vote ? voteFromPostgres(vote) : null;
  }

  async countVotes({ userId, since, promptHash }: TVoteCountsQuery): Promise<TVoteCounts> {
    const row = await this.kysely
      .selectNoFrom((eb) => [
        eb
          .selectFrom("Vote")
          .select((inner) => inner.fn.countAll<string>().as("count"))
          .where("userId", "=", userId)
          .where((inner) => inner("createdAt", ">=", inner.cast<Date>(inner.val(postgresDate(since)), "timestamp")))
          .as("votesOfUserSince"),
        eb
          .selectFrom("Vote")
          .innerJoin("Battle", "Battle.id", "Vote.battleId")
          .select((inner) => inner.fn.countAll<string>().as("count"))
          .where("Vote.countsForRating", "=", true)
          .where("Battle.promptHash", "=", promptHash as string)
          .as("countedVotesOfPrompt"),
      ])
      .executeTakeFirstOrThrow();
    return { votesOfUserSince: Number(row.votesOfUserSince ?? 0), countedVotesOfPrompt: Number(row.countedVotesOfPrompt ?? 0) };
  }

  async readSessionUser(userId: string): Promise<TSessionUserRow | null> {
    const row = await this.kysely
      .selectFrom("User")
      .select(["id", "role", "isGuest", "email", "name", "sessionVersion"])
      .where("id", "=", userId)
      .where("deletedAt", "is", null)
      .where("bannedAt", "is", null)
      .executeTakeFirst();
    return row ?? null;
  }

  async readUntaggedBattles(limit: number): Promise<TUntaggedBattle[]> {
    return untaggedBattlesOf(await untaggedBattlesQuery(this.kysely as unknown as QueryCreator<TUntaggedTables>, limit).execute());
  }

  /** One statement: each tagging's battle update and vote update as data-modifying CTEs (each row is written once). */
  async tagBattles(taggings: TBattleTagging[]): Promise<void> {
    const updates: TUpdate[] = taggings
      .filter((tagging) => tagging.battleIds.length > 0)
      .flatMap(({ battleIds, categories, language, categorizedBy }) => [
        (chain: QueryCreator<PostgresTables>) => chain.updateTable("Battle").set({ categories, language, categorizedBy }).where("id", "in", battleIds),
        (chain: QueryCreator<PostgresTables>) => chain.updateTable("Vote").set({ categories }).where("battleId", "in", battleIds),
      ]);
    const last = updates.pop();
    if (!last) return;
    let chain: QueryCreator<PostgresTables> = this.kysely;
    updates.forEach((update, index) => {
      chain = chain.with(`tag${index}`, update);
    });
    await last(chain).execute();
  }

  /**
   * A group commit as at most two statements, each a chain of data-modifying CTEs: the new battles' rows,
   * then every update and vote. Two statements because the statements of one see the same snapshot, so an
   * update could not see a row inserted beside it (a write of a battle's answers only queues once its rows
   * are stored, but a batch may hold another battle's new rows).
   */
  private statements(groups: TWriteGroup[]): Array<(db: TExecutor) => Promise<unknown>> {
    const statements: Array<(db: TExecutor) => Promise<unknown>> = [];
    const inserts = groups.flatMap((group) => (group.kind === "insert" ? [group.rows] : []));
    if (inserts.length > 0) {
      statements.push((db) =>
        db
          .with("battles", (cte) => cte.insertInto("Battle").values(inserts.map((rows) => battleToPostgres(rows.battle))))
          .with("turns", (cte) => cte.insertInto("Turn").values(inserts.map((rows) => turnToPostgres(rows.turn))))
          .insertInto("Response")
          .values(inserts.flatMap((rows) => rows.responses.map(responseToPostgres)))
          .execute(),
      );
    }
    const updates = updatesOf(groups);
    const votes = groups.flatMap((group) => (group.kind === "vote" ? [group.vote] : []));
    if (updates.length > 0 || votes.length > 0) {
      statements.push((db) => {
        let chain: QueryCreator<PostgresTables> = db;
        const last = votes.length > 0 ? null : updates.at(-1)!;
        updates.forEach((update, index) => {
          if (update !== last) chain = chain.with(`write${index}`, update);
        });
        if (last) return last(chain).execute();
        // The votes and their battles' status: the battle update reads the inserted rows, so a refused
        // insert (a second vote on a battle) fails the whole statement and leaves everything as it was.
        return chain
          .with("vote", (cte) => cte.insertInto("Vote").values(votes.map(voteToPostgres)).returning(["battleId", "createdAt"]))
          .updateTable("Battle")
          .from("vote")
          .set((eb) => ({ status: "voted", revealedAt: eb.fn.coalesce("Battle.revealedAt", "vote.createdAt") }))
          .whereRef("Battle.id", "=", "vote.battleId")
          .execute();
      });
    }
    return statements;
  }

  async commit(groups: TWriteGroup[]): Promise<void> {
    const statements = this.statements(groups);
    if (statements.length === 0) return;
    if (statements.length === 1) {
      await statements[0]!(this.kysely);
      return;
    }
    await this.kysely.transaction().execute(async (trx) => {
      for (const statement of statements) await statement(trx);
    });
  }
}

type TUpdateOf<T extends keyof PostgresTables> = UpdateQueryBuilder<PostgresTables, T, T, UpdateResult>;
type TUpdate = (chain: QueryCreator<PostgresTables>) => TUpdateOf<"Response"> | TUpdateOf<"Battle"> | TUpdateOf<"Vote">;

/**
 * The batch's updates, one per row: a statement updates a row once, so writes of one answer merge in
 * order (later fields win, as if run one after the other) and a battle is marked ready once.
 */
function updatesOf(groups: TWriteGroup[]): TUpdate[] {
  const responses = new Map<string, TResponseFields>();
  const ready = new Map<string, Date>();
  for (const group of groups) {
    if (group.kind !== "writes") continue;
    for (const write of group.writes) {
      if (write.kind === "battle-ready") ready.set(write.id, write.completedAt);
      else responses.set(write.id, { ...responses.get(write.id), ...write.data });
    }
  }
  const updates: TUpdate[] = [];
  for (const [id, data] of responses) {
    const fields = responseFieldsToPostgres(data);
    if (Object.keys(fields).length > 0) updates.push((chain) => chain.updateTable("Response").set(fields).where("id", "=", id));
  }
  for (const [id, completedAt] of ready) {
    const at = postgresDate(completedAt);
    updates.push((chain) => chain.updateTable("Battle").set({ status: "ready", completedAt: at }).where("id", "=", id).where("status", "=", "generating"));
  }
  return updates;
}
