import "server-only";
import type { SqliteConnection } from "@/lib/server/db/sqlite-direct";
import { inSqliteTransaction } from "@/lib/server/db/sqlite-direct";
import { sqliteDate } from "@/lib/server/store/kysely";
import type { CompiledQuery, QueryCreator } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/sqlite";
import { columnsOf } from "@/lib/server/store/hot-columns";
import { precompile } from "@/lib/server/store/precompile";
import { insertRow, sqliteQueries as q, updateResponse } from "@/lib/server/store/sqlite-compiled";
import { allRows, runWrite } from "@/lib/server/store/sqlite-run";
import {
  battleFromSqlite,
  battleToSqlite,
  responseFieldsToSqlite,
  responseFromSqlite,
  responseToSqlite,
  sessionUserFromSqlite,
  turnFromSqlite,
  turnToSqlite,
  voteFromSqlite,
  voteToSqlite,
} from "@/lib/server/store/sqlite-rows";
import type { ArenaStore, TBattleRows, TBattleTagging, TBattleToVote, TBattleWrite, TSessionUserRow, TUntaggedBattle, TWriteGroup } from "@/lib/server/store/types";
import { untaggedBattlesOf, untaggedBattlesQuery, type TUntaggedTables } from "@/lib/server/store/untagged-battles";

/**
 * A battle read's row as the store's battle. The JSON columns arrive as text: the statement runs on libsql
 * directly, without Kysely's result plugins, so Kysely's parsed types for them do not hold until parsed here.
 */
function battleOfRow({ turns, responses, vote, ...battle }: TBattleRow): TBattleRows {
  const answers = parsed(responses).map(responseFromSqlite);
  const voted = vote && parsed(vote);
  return {
    ...battleFromSqlite(battle),
    turns: parsed(turns).map((turn) => ({ ...turnFromSqlite(turn), responses: answers.filter((answer) => answer.turnId === turn.id) })),
    vote: voted ? voteFromSqlite(voted) : null,
  };
}

/** A JSON column's text, parsed into the type Kysely gives it. */
const parsed = <T>(text: T): T => JSON.parse(text as unknown as string) as T;

/** The first row (or none), read through `all`: libsql's `get` (sqlite-compiled.ts' firstRow) adds a `_metadata` field to the row. */
const onlyRow = <O>(connection: SqliteConnection, query: CompiledQuery<O>): O | undefined => allRows(connection, query)[0];

/** A table's every column by its qualified name (in a subquery of the battle read, `Battle`'s columns are in scope too). */
const qualified = <T extends "Turn" | "Response" | "Vote">(table: T) => columnsOf(table).map((column) => `${table}.${column}` as const);

/**
 * The hot queries, built and compiled by Kysely once (precompile): a call only fills in its arguments.
 *
 * The battle with its turns (in order), their answers and its vote in ONE statement: the joined rows come
 * back as JSON text (one string each for the turns, the answers and the vote) beside the battle's columns.
 * libsql's cost is per statement and per row object it makes: five statements (battle, turns, answers,
 * vote, counts) cost about a third more CPU than this one with its JSON.parse. `since` adds the two counts
 * a new vote is checked against (by the battle's own user and prompt hash; a null hash matches nothing).
 */
const battleSelect = (battleId: string) =>
  q
    .selectFrom("Battle")
    .selectAll("Battle")
    .select((eb) => [
      jsonArrayFrom(eb.selectFrom("Turn").select(qualified("Turn")).whereRef("Turn.battleId", "=", "Battle.id").orderBy("Turn.index", "asc")).as("turns"),
      jsonArrayFrom(
        eb
          .selectFrom("Response")
          .select(qualified("Response"))
          .where("Response.turnId", "in", eb.selectFrom("Turn as answered").select("answered.id").whereRef("answered.battleId", "=", "Battle.id"))
          // By turn, then side: the order of the (turnId, side) index the IN list is read through, so no sort.
          .orderBy("Response.turnId", "asc")
          .orderBy("Response.side", "asc"),
      ).as("responses"),
      jsonObjectFrom(eb.selectFrom("Vote").select(qualified("Vote")).whereRef("Vote.battleId", "=", "Battle.id")).as("vote"),
    ])
    .where("Battle.id", "=", battleId);
const battleQuery = precompile(1, battleSelect);
const battleToVoteQuery = precompile(2, (battleId: string, since: string) =>
  battleSelect(battleId).select((eb) => [
    eb
      .selectFrom("Vote as capped")
      .select((inner) => inner.fn.countAll<number>().as("count"))
      .whereRef("capped.userId", "=", "Battle.userId")
      .where("capped.createdAt", ">=", since)
      .as("votesOfUserSince"),
    eb
      .selectFrom("Vote as counted")
      .innerJoin("Battle as prompted", "prompted.id", "counted.battleId")
      .select((inner) => inner.fn.countAll<number>().as("count"))
      .where("counted.countsForRating", "=", 1)
      .whereRef("prompted.promptHash", "=", "Battle.promptHash")
      .as("countedVotesOfPrompt"),
  ]),
);
type TBattleRow = typeof battleQuery extends (battleId: string) => CompiledQuery<infer R> ? R : never;
const voteQuery = precompile(1, (battleId: string) => q.selectFrom("Vote").selectAll().where("battleId", "=", battleId));
const sessionUserQuery = precompile(1, (userId: string) =>
  q
    .selectFrom("User")
    .select(["id", "role", "isGuest", "email", "name", "sessionVersion"])
    .where("id", "=", userId)
    .where("deletedAt", "is", null)
    .where("bannedAt", "is", null),
);
const untaggedQuery = precompile(1, (limit: number) => untaggedBattlesQuery(q as unknown as QueryCreator<TUntaggedTables>, limit));
const battleReadyQuery = precompile(2, (battleId: string, completedAt: string) =>
  q.updateTable("Battle").set({ status: "ready", completedAt }).where("id", "=", battleId).where("status", "=", "generating"),
);
const battleVotedQuery = precompile(2, (battleId: string, votedAt: string) =>
  q
    .updateTable("Battle")
    .set((eb) => ({ status: "voted", revealedAt: eb.fn.coalesce("revealedAt", eb.val(votedAt)) }))
    .where("id", "=", battleId),
);

/**
 * The store on the app's SQLite file, on the process's kept writable libsql connection (sqlite-direct.ts).
 * Queries are built and typed by Kysely, compiled once (the hot ones, above) and run synchronously on
 * prepared statements (Kysely's own SQLite driver would prepare each anew and await between statements):
 * a write transaction never yields the event loop between BEGIN and COMMIT, so nothing else on the
 * connection interleaves with it, and a read never sees half of one. Each query costs a few
 * microseconds of CPU on the event loop that streams every battle.
 */
export class SqliteStore implements ArenaStore {
  readonly sharedByInstances = false;

  constructor(private readonly connection: SqliteConnection) {}

  async readBattle(battleId: string): Promise<TBattleRows | null> {
    const row = onlyRow(this.connection, battleQuery(battleId));
    return row ? battleOfRow(row) : null;
  }

  async readVoteOfBattle(battleId: string) {
    const vote = onlyRow(this.connection, voteQuery(battleId));
    return vote ? voteFromSqlite(vote) : null;
  }

  async readBattleToVote(battleId: string, since: Date): Promise<TBattleToVote | null> {
    const row = onlyRow(this.connection, battleToVoteQuery(battleId, sqliteDate(since)));
    if (!row) return null;
    const { votesOfUserSince, countedVotesOfPrompt, ...battle } = row;
    return { battle: battleOfRow(battle), counts: { votesOfUserSince: Number(votesOfUserSince ?? 0), countedVotesOfPrompt: Number(countedVotesOfPrompt ?? 0) } };
  }

  async readSessionUser(userId: string): Promise<TSessionUserRow | null> {
    const row = onlyRow(this.connection, sessionUserQuery(userId));
    return row ? sessionUserFromSqlite(row) : null;
  }

  async readUntaggedBattles(limit: number): Promise<TUntaggedBattle[]> {
    return untaggedBattlesOf(allRows(this.connection, untaggedQuery(limit)));
  }

  async tagBattles(taggings: TBattleTagging[]): Promise<void> {
    const connection = this.connection;
    await inSqliteTransaction(connection, () => {
      for (const { battleIds, categories, language, categorizedBy } of taggings) {
        if (battleIds.length === 0) continue;
        // The IN list varies with the pass: compiled per call, a few per pass.
        runWrite(connection, q.updateTable("Battle").set({ categories, language, categorizedBy }).where("id", "in", battleIds).compile());
        runWrite(connection, q.updateTable("Vote").set({ categories }).where("battleId", "in", battleIds).compile());
      }
    });
  }

  private write(write: TBattleWrite): void {
    if (write.kind === "battle-ready") {
      runWrite(this.connection, battleReadyQuery(write.id, sqliteDate(write.completedAt)));
      return;
    }
    const fields = responseFieldsToSqlite(write.data);
    // The fields written vary (partial text, the final answer, a failure): a few shapes, each compiled once.
    if (Object.keys(fields).length > 0) runWrite(this.connection, updateResponse(write.id, fields));
  }

  async commit(groups: TWriteGroup[]): Promise<void> {
    const connection = this.connection;
    await inSqliteTransaction(connection, () => {
      for (const group of groups) {
        if (group.kind !== "insert") continue;
        runWrite(connection, insertRow("Battle", battleToSqlite(group.rows.battle)));
        runWrite(connection, insertRow("Turn", turnToSqlite(group.rows.turn)));
        for (const response of group.rows.responses) runWrite(connection, insertRow("Response", responseToSqlite(response)));
      }
      for (const group of groups) if (group.kind === "writes") for (const write of group.writes) this.write(write);
      for (const group of groups) {
        if (group.kind !== "vote") continue;
        runWrite(connection, insertRow("Vote", voteToSqlite(group.vote)));
        runWrite(connection, battleVotedQuery(group.vote.battleId, sqliteDate(group.vote.createdAt)));
      }
    });
  }
}
