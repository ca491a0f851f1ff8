import "server-only";
import type { SqliteConnection } from "@/lib/server/db/sqlite-direct";
import { inSqliteTransaction } from "@/lib/server/db/sqlite-direct";
import { sqliteDate } from "@/lib/server/store/kysely";
import type { CompiledQuery, QueryCreator } from "kysely";
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

/** The first row (or none), read through `all`: libsql's `get` (sqlite-compiled.ts' firstRow) adds a `_metadata` field to the row. */
const onlyRow = <O>(connection: SqliteConnection, query: CompiledQuery<O>): O | undefined => allRows(connection, query)[0];

/** The hot queries, built and compiled by Kysely once (precompile): a call only fills in its arguments. */
const battleQuery = precompile(1, (battleId: string) => q.selectFrom("Battle").selectAll().where("id", "=", battleId));
const turnsQuery = precompile(1, (battleId: string) => q.selectFrom("Turn").selectAll().where("battleId", "=", battleId).orderBy("index", "asc"));
const responsesQuery = precompile(1, (battleId: string) =>
  q
    .selectFrom("Response")
    .selectAll()
    .where("turnId", "in", q.selectFrom("Turn").select("id").where("battleId", "=", battleId)),
);
const voteQuery = precompile(1, (battleId: string) => q.selectFrom("Vote").selectAll().where("battleId", "=", battleId));
/** Both counts a new vote is checked against, one statement (promptHash null matches nothing). */
const voteCountsQuery = precompile(3, (userId: string, since: string, promptHash: string | null) =>
  q.selectNoFrom((eb) => [
    eb
      .selectFrom("Vote")
      .select((inner) => inner.fn.countAll<number>().as("count"))
      .where("userId", "=", userId)
      .where("createdAt", ">=", since)
      .as("votesOfUserSince"),
    eb
      .selectFrom("Vote")
      .innerJoin("Battle", "Battle.id", "Vote.battleId")
      .select((inner) => inner.fn.countAll<number>().as("count"))
      .where("Vote.countsForRating", "=", 1)
      .where("Battle.promptHash", "=", promptHash as string)
      .as("countedVotesOfPrompt"),
  ]),
);
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
    const battle = onlyRow(this.connection, battleQuery(battleId));
    if (!battle) return null;
    const turns = allRows(this.connection, turnsQuery(battleId));
    const responses = allRows(this.connection, responsesQuery(battleId)).map(responseFromSqlite);
    const vote = onlyRow(this.connection, voteQuery(battleId));
    return {
      ...battleFromSqlite(battle),
      turns: turns.map((turn) => ({ ...turnFromSqlite(turn), responses: responses.filter((response) => response.turnId === turn.id) })),
      vote: vote ? voteFromSqlite(vote) : null,
    };
  }

  async readVoteOfBattle(battleId: string) {
    const vote = onlyRow(this.connection, voteQuery(battleId));
    return vote ? voteFromSqlite(vote) : null;
  }

  /** Two reads on the process's own connection (no round trip to save). */
  async readBattleToVote(battleId: string, since: Date): Promise<TBattleToVote | null> {
    const battle = await this.readBattle(battleId);
    if (!battle) return null;
    const row = onlyRow(this.connection, voteCountsQuery(battle.userId, sqliteDate(since), battle.promptHash));
    return { battle, counts: { votesOfUserSince: Number(row?.votesOfUserSince ?? 0), countedVotesOfPrompt: Number(row?.countedVotesOfPrompt ?? 0) } };
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
