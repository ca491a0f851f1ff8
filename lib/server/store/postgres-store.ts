import "server-only";
import type { Kysely, Transaction } from "kysely";
import { postgresDate, type PostgresDb, type PostgresTables } from "@/lib/server/store/kysely";
import { battleToPostgres, responseFieldsToPostgres, responseFromPostgres, responseToPostgres, turnToPostgres, voteFromPostgres, voteToPostgres } from "@/lib/server/store/postgres-rows";
import type { ArenaStore, TBattleRows, TBattleWrite, TSessionUserRow, TWriteGroup } from "@/lib/server/store/types";

type TExecutor = Kysely<PostgresTables> | Transaction<PostgresTables>;

/**
 * The store on PostgreSQL, on a `pg` pool of its own (kysely.ts). Every round trip counts here (the
 * database is another process, maybe another machine): reads of a battle go out together, a group
 * commit is as few statements as its rows allow (multi-row inserts; a vote and its battle's update in
 * one statement), and a commit of one statement needs no transaction around it.
 */
export class PostgresStore implements ArenaStore {
  readonly sharedByInstances = true;

  constructor(private readonly kysely: PostgresDb) {}

  async readBattle(battleId: string): Promise<TBattleRows | null> {
    const db = this.kysely;
    const [battle, turns, responses, vote] = await Promise.all([
      db.selectFrom("Battle").selectAll().where("id", "=", battleId).executeTakeFirst(),
      db.selectFrom("Turn").selectAll().where("battleId", "=", battleId).orderBy("index", "asc").execute(),
      db
        .selectFrom("Response")
        .selectAll()
        .where("turnId", "in", db.selectFrom("Turn").select("id").where("battleId", "=", battleId))
        .execute(),
      db.selectFrom("Vote").selectAll().where("battleId", "=", battleId).executeTakeFirst(),
    ]);
    if (!battle) return null;
    const answers = responses.map(responseFromPostgres);
    return {
      ...battle,
      turns: turns.map((turn) => ({ ...turn, responses: answers.filter((response) => response.turnId === turn.id) })),
      vote: vote ? voteFromPostgres(vote) : null,
    };
  }

  async readVoteOfBattle(battleId: string) {
    const vote = await this.kysely.selectFrom("Vote").selectAll().where("battleId", "=", battleId).executeTakeFirst();
    return vote ? voteFromPostgres(vote) : null;
  }

  async countVotesSince(userId: string, since: Date): Promise<number> {
    const row = await this.kysely
      .selectFrom("Vote")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .where("userId", "=", userId)
      .where((eb) => eb("createdAt", ">=", eb.cast<Date>(eb.val(postgresDate(since)), "timestamp")))
      .executeTakeFirst();
    return Number(row?.count ?? 0);
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

  /** The statements of a group commit, in order, each to run on the given executor. */
  private statements(groups: TWriteGroup[]): Array<(db: TExecutor) => Promise<unknown>> {
    const statements: Array<(db: TExecutor) => Promise<unknown>> = [];
    const inserts = groups.flatMap((group) => (group.kind === "insert" ? [group.rows] : []));
    if (inserts.length > 0) {
      statements.push(
        (db) => db.insertInto("Battle").values(inserts.map((rows) => battleToPostgres(rows.battle))).execute(),
        (db) => db.insertInto("Turn").values(inserts.map((rows) => turnToPostgres(rows.turn))).execute(),
        (db) => db.insertInto("Response").values(inserts.flatMap((rows) => rows.responses.map(responseToPostgres))).execute(),
      );
    }
    for (const group of groups) if (group.kind === "writes") for (const write of group.writes) statements.push(...writeStatement(write));
    const votes = groups.flatMap((group) => (group.kind === "vote" ? [group.vote] : []));
    if (votes.length > 0) {
      // The votes and their battles' status in one statement: the battle update reads the inserted rows,
      // so a refused insert (a second vote on a battle) leaves the battles as they were.
      statements.push((db) =>
        db
          .with("vote", (cte) => cte.insertInto("Vote").values(votes.map(voteToPostgres)).returning(["battleId", "createdAt"]))
          .updateTable("Battle")
          .from("vote")
          .set((eb) => ({ status: "voted", revealedAt: eb.fn.coalesce("Battle.revealedAt", "vote.createdAt") }))
          .whereRef("Battle.id", "=", "vote.battleId")
          .execute(),
      );
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

function writeStatement(write: TBattleWrite): Array<(db: TExecutor) => Promise<unknown>> {
  if (write.kind === "battle-ready") {
    const completedAt = postgresDate(write.completedAt);
    return [(db) => db.updateTable("Battle").set({ status: "ready", completedAt }).where("id", "=", write.id).where("status", "=", "generating").execute()];
  }
  const fields = responseFieldsToPostgres(write.data);
  if (Object.keys(fields).length === 0) return [];
  return [(db) => db.updateTable("Response").set(fields).where("id", "=", write.id).execute()];
}
