import "server-only";
import type { InsertQueryBuilder, InsertResult, QueryCreator, UpdateQueryBuilder, UpdateResult } from "kysely";
import { postgresDate, type PostgresDb, type PostgresTables } from "@/lib/server/store/kysely";
import {
  battleFromJoinedRows,
  battleToPostgres,
  joinedSelection,
  responseFieldsToPostgres,
  responseToPostgres,
  turnToPostgres,
  type TFullInsert,
  voteFromPostgres,
  voteToPostgres,
} from "@/lib/server/store/postgres-rows";
import type { ArenaStore, TBattleRows, TBattleTagging, TResponseFields, TSessionUserRow, TUntaggedBattle, TVoteCounts, TVoteCountsQuery, TWriteGroup } from "@/lib/server/store/types";
import { untaggedBattlesOf, untaggedBattlesQuery, type TUntaggedTables } from "@/lib/server/store/untagged-battles";

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
   * A group commit as ONE statement (one round trip, one commit, no BEGIN/COMMIT): a chain of
   * data-modifying CTEs inserting the new battles' rows, then every update, then the votes with their
   * battles' status. The parts of one statement see the same snapshot, so an update cannot see a row
   * inserted beside it: writes and votes on rows this batch inserts are applied to those rows before they
   * are inserted (as if run one after the other), and the updates only touch rows stored before.
   */
  private statement(groups: TWriteGroup[]): { execute(): Promise<unknown> } | null {
    const { inserts, updates, votes } = batchOf(groups);
    const parts: TPart[] = [];
    if (inserts.battles.length > 0) {
      parts.push(
        (chain) => chain.insertInto("Battle").values(inserts.battles),
        (chain) => chain.insertInto("Turn").values(inserts.turns),
        (chain) => chain.insertInto("Response").values(inserts.responses),
      );
    }
    parts.push(...updates);
    let chain: QueryCreator<PostgresTables> = this.kysely;
    if (votes.length > 0) {
      parts.forEach((part, index) => {
        chain = chain.with(`write${index}`, part);
      });
      // The votes and their battles' status: the battle update reads the inserted rows, so a refused
      // insert (a second vote on a battle) fails the whole statement and leaves everything as it was.
      return chain
        .with("vote", (cte) => cte.insertInto("Vote").values(votes.map(voteToPostgres)).returning(["battleId", "createdAt"]))
        .updateTable("Battle")
        .from("vote")
        .set((eb) => ({ status: "voted", revealedAt: eb.fn.coalesce("Battle.revealedAt", "vote.createdAt") }))
        .whereRef("Battle.id", "=", "vote.battleId");
    }
    const last = parts.pop();
    if (!last) return null;
    parts.forEach((part, index) => {
      chain = chain.with(`write${index}`, part);
    });
    return last(chain);
  }

  async commit(groups: TWriteGroup[]): Promise<void> {
    await this.statement(groups)?.execute();
  }
}

type TUpdateOf<T extends keyof PostgresTables> = UpdateQueryBuilder<PostgresTables, T, T, UpdateResult>;
type TInsertOf<T extends keyof PostgresTables> = InsertQueryBuilder<PostgresTables, T, InsertResult>;
type TUpdate = (chain: QueryCreator<PostgresTables>) => TUpdateOf<"Response"> | TUpdateOf<"Battle"> | TUpdateOf<"Vote">;
type TPart = TUpdate | ((chain: QueryCreator<PostgresTables>) => TInsertOf<"Battle"> | TInsertOf<"Turn"> | TInsertOf<"Response">);

/**
 * A batch as one statement's parts: the new rows (with the batch's writes and votes on them already
 * applied), one update per row stored before (writes of one answer merge in order, later fields win; a
 * battle is marked ready once), and the votes.
 */
function batchOf(groups: TWriteGroup[]) {
  const battles = new Map<string, TFullInsert<"Battle">>();
  const turns: TFullInsert<"Turn">[] = [];
  const newResponses = new Map<string, TFullInsert<"Response">>();
  for (const group of groups) {
    if (group.kind !== "insert") continue;
    battles.set(group.rows.battle.id, battleToPostgres(group.rows.battle));
    turns.push(turnToPostgres(group.rows.turn));
    for (const response of group.rows.responses) newResponses.set(response.id, responseToPostgres(response));
  }
  const responses = new Map<string, TResponseFields>();
  const ready = new Map<string, Date>();
  for (const group of groups) {
    if (group.kind === "vote") {
      const battle = battles.get(group.vote.battleId);
      if (battle) {
        battle.status = "voted";
        battle.revealedAt ??= postgresDate(group.vote.createdAt);
      }
      continue;
    }
    if (group.kind !== "writes") continue;
    for (const write of group.writes) {
      const newBattle = write.kind === "battle-ready" ? battles.get(write.id) : undefined;
      const newResponse = write.kind === "response" ? newResponses.get(write.id) : undefined;
      if (write.kind === "battle-ready") {
        if (!newBattle) ready.set(write.id, write.completedAt);
        else if (newBattle.status === "generating") {
          newBattle.status = "ready";
          newBattle.completedAt = postgresDate(write.completedAt);
        }
      } else if (newResponse) Object.assign(newResponse, responseFieldsToPostgres(write.data));
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
  const votes = groups.flatMap((group) => (group.kind === "vote" ? [group.vote] : []));
  return { inserts: { battles: [...battles.values()], turns, responses: [...newResponses.values()] }, updates, votes };
}
