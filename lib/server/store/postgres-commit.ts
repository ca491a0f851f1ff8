import type { Selectable } from "kysely";
import { sql } from "kysely";
import type { Battle, Response, Turn, Vote } from "@/lib/generated/sqlite/client";
import { postgresDate, postgresQueries as q, type PostgresTables } from "@/lib/server/store/kysely";
import { markedReady, writtenFields } from "@/lib/server/store/battle-writes";
import { columnsOf, writableResponseColumns } from "@/lib/server/store/hot-columns";
import { precompile } from "@/lib/server/store/precompile";
import type { TResponseFields, TWriteGroup } from "@/lib/server/store/types";

/**
 * The group commit on PostgreSQL as ONE statement whose text never changes: the new rows of each table go in
 * as one JSON array parameter, turned into rows of the table's own row type by `json_populate_recordset(null::"T", $n)`
 * (every column as the table types it: enums, timestamps, jsonb, floats), and the writes to rows stored before
 * take their keys as arrays (see groupCommitQuery), so the statement is compiled by Kysely once. A text that varied with the batch (one VALUES row per row, one UPDATE per answer) cost parsing
 * and planning that grew with the batch: 0.7–1.5 ms of planning per battle-inserting commit. It runs as a named
 * prepared statement (parsed once per connection) that is still planned on every call, for the tables and the
 * batch as they are: a generic plan made in a commit's first calls would be sized for the tables then (empty on
 * a fresh install: a hashed sequential scan of Battle) and kept as they grow (kysely.ts, `plan_cache_mode`;
 * BENCHMARKS.md, "pgwrite").
 *
 * The statement's parts are data-modifying CTEs, in this order: the new battles, turns and answers (with the
 * batch's writes and votes on them already applied, see commitArguments), the writes to answers and battles
 * stored before, and the votes with their battles' status; its main query only sets how the foreign-key
 * checks are planned (genericForeignKeyChecks). PostgreSQL runs every data-modifying CTE to its end whether
 * or not the main query reads it. The parts see one snapshot, so a part cannot see
 * a row another part inserts, and a row must be written by one part only. A refused vote insert (a second
 * vote on a battle) fails the whole statement: nothing of the batch is stored.
 */

type TRowOf<T extends keyof PostgresTables> = Selectable<PostgresTables[T]>;

/** The rows in JSON parameter `rows`, typed by PostgreSQL as `table`'s rows (a column a row lacks reads as null). */
const rowsOf = <T extends keyof PostgresTables>(table: T, rows: string) => sql<TRowOf<T>>`json_populate_recordset(null::${sql.table(table)}, ${rows}::json)`;

/**
 * Inserts the rows of JSON parameter `rows` into `table`, every column given (columnsOf's lists are checked
 * against the generated table types; Kysely cannot check a column list generic over the table).
 */
const insertRows = <T extends "Battle" | "Turn" | "Response" | "Vote">(table: T, rows: string) => {
  const columns = columnsOf(table) as never[];
  return q
    .insertInto(table)
    .columns(columns)
    .expression((eb) => eb.selectFrom(rowsOf(table, rows).as("row")).select(columns));
};

/**
 * The writes to answers stored before: `ids[i]`'s answer gets the fields of JSON object `fields[i]`. A field the
 * object has is set, to null too (a retried round clears errorKind); a field it lacks keeps its stored value.
 * `jsonb_populate_record` types the object's fields as the table does.
 */
const updateResponses = (ids: string[], fields: string[]) =>
  q
    .updateTable("Response")
    .from([
      sql<{ id: string; fields: unknown }>`unnest(${ids}::text[], ${fields}::jsonb[])`.as<"write">(sql`write(id, fields)`),
      sql<TRowOf<"Response">>`jsonb_populate_record(null::"Response", write.fields)`.as("written"),
    ])
    .set((eb) =>
      Object.fromEntries(
        writableResponseColumns.map((field) => [
          field,
          eb
            .case()
            .when(sql<boolean>`${eb.ref("write.fields")} ? ${sql.lit(field)}`)
            .then(eb.ref(`written.${field}`))
            .else(eb.ref(`Response.${field}`))
            .end(),
        ]),
      ),
    )
    .whereRef("Response.id", "=", "write.id");

/** The battles `ids` with a time each (`times[i]`, ISO text), as rows of `alias` (id, at). */
const battleTimes = <A extends string>(alias: A, ids: string[], times: string[]) =>
  sql<{ id: string; at: Date }>`unnest(${ids}::text[], ${times}::timestamp(3)[])`.as<A>(sql`${sql.id(alias)}(id, at)`);

/** Battles stored before marked ready by the batch at their times; a battle no longer generating is left as it is. */
const markReady = (ids: string[], times: string[]) =>
  q
    .updateTable("Battle")
    .from(battleTimes("readied", ids, times))
    .set((eb) => ({ status: "ready", completedAt: eb.ref("readied.at") }))
    .whereRef("Battle.id", "=", "readied.id")
    .where("Battle.status", "=", "generating");

/**
 * The statement's own result: switches this transaction (the statement's implicit one) to PostgreSQL's default
 * plan caching, so that the foreign-key checks the inserts queue (run after the statement's parts, when it
 * ends) use their cached generic plans. The pool's connections plan every named statement for each call
 * (`plan_cache_mode=force_custom_plan`, kysely.ts), and that setting reaches the checks too: each check
 * (`select 1 from "ArenaModel" where id = $1 for key share`, one per foreign key of each new row, about ten
 * per battle and vote) was planned again every time. Measured: 40,000 such checks took 830–1,030 ms planned
 * per call, 250–295 ms with their generic plans; in a profile of the load bench's PostgreSQL backends, planning
 * was 37 of the 59 samples spent in the checks (BENCHMARKS.md, "pgvote3"). A check finds one row by its
 * primary key: its plan does not depend on the key's value, and PostgreSQL costs a table never analysed at
 * ten pages at least, so even a generic plan made on empty tables is an index lookup (as every check was
 * before the store's connections forced custom plans); the trap `force_custom_plan` avoids for the store's own
 * statements (joins sized for small tables) is not theirs. The statement itself was planned (for its call)
 * before this runs; the setting ends with the transaction, so the connection's next statement is planned per
 * call again.
 */
const genericForeignKeyChecks = sql<string>`set_config('plan_cache_mode', 'auto', true)`.as("planCacheMode");

/**
 * The group commit's one text, compiled once. Rows to insert go in as JSON arrays; the writes that find rows
 * stored before by id take their keys as arrays (`unnest`), whose length PostgreSQL's planner reads from the
 * argument: it then looks each row up by its primary key. (With a JSON array it assumes 100 rows, and on
 * tables of a few thousand rows hashes a sequential scan of the whole table instead.)
 */
const groupCommitQuery = precompile(
  10,
  (battles: string, turns: string, responses: string, writtenIds: string[], writtenFields: string[], readyIds: string[], readyTimes: string[], votes: string, votedIds: string[], votedTimes: string[]) =>
    q
      .with("battles", () => insertRows("Battle", battles))
      .with("turns", () => insertRows("Turn", turns))
      .with("responses", () => insertRows("Response", responses))
      .with("responseWrites", () => updateResponses(writtenIds, writtenFields))
      .with("readyBattles", () => markReady(readyIds, readyTimes))
      // A refused vote insert (a second vote on a battle) fails the whole statement.
      .with("votes", () => insertRows("Vote", votes))
      // The voted battles stored before: voted, and revealed at the vote unless revealed before.
      .with("votedBattles", () =>
        q
          .updateTable("Battle")
          .from(battleTimes("voted", votedIds, votedTimes))
          .set((eb) => ({ status: "voted", revealedAt: eb.fn.coalesce("Battle.revealedAt", "voted.at") }))
          .whereRef("Battle.id", "=", "voted.id"),
      )
      .selectNoFrom(genericForeignKeyChecks),
);

/**
 * A batch as the group commit's arguments, or null when it writes nothing: the new rows (with the batch's
 * writes and votes on them applied, as if run one after the other), one write per answer stored before
 * (writes of one answer merge in order, later fields win), the stored battles marked ready, the votes, and
 * the voted battles stored before. Rows go as JSON: dates as ISO text (UTC, which `timestamp(3)` takes as
 * is), JSON columns as JSON.
 */
function commitArguments(groups: TWriteGroup[]): Parameters<typeof groupCommitQuery> | null {
  const battles = new Map<string, Battle>();
  const turns: Turn[] = [];
  const newResponses = new Map<string, Response>();
  for (const group of groups) {
    if (group.kind !== "insert") continue;
    battles.set(group.rows.battle.id, { ...group.rows.battle });
    turns.push(group.rows.turn);
    for (const response of group.rows.responses) newResponses.set(response.id, { ...response });
  }
  const responseWrites = new Map<string, TResponseFields>();
  const ready = new Map<string, Date>();
  const votes: Vote[] = [];
  const voted = new Map<string, Date>();
  for (const group of groups) {
    if (group.kind === "vote") {
      votes.push(group.vote);
      const battle = battles.get(group.vote.battleId);
      if (!battle) voted.set(group.vote.battleId, group.vote.createdAt);
      else {
        battle.status = "voted";
        battle.revealedAt ??= group.vote.createdAt;
      }
      continue;
    }
    if (group.kind !== "writes") continue;
    for (const write of group.writes) {
      if (write.kind === "battle-ready") {
        const battle = battles.get(write.id);
        if (!battle) ready.set(write.id, write.completedAt);
        else battles.set(write.id, markedReady(battle, write.completedAt));
        continue;
      }
      const fields = writtenFields(write.data);
      const response = newResponses.get(write.id);
      if (response) Object.assign(response, fields);
      else responseWrites.set(write.id, { ...responseWrites.get(write.id), ...fields });
    }
  }
  if (battles.size === 0 && responseWrites.size === 0 && ready.size === 0 && votes.length === 0) return null;
  const json = (rows: Iterable<object>) => JSON.stringify([...rows]);
  const times = (byId: Map<string, Date>) => [...byId.values()].map(postgresDate);
  return [
    json(battles.values()),
    json(turns),
    json(newResponses.values()),
    [...responseWrites.keys()],
    [...responseWrites.values()].map((fields) => JSON.stringify(fields)),
    [...ready.keys()],
    times(ready),
    json(votes),
    [...voted.keys()],
    times(voted),
  ];
}

/** The group commit of `groups` as one compiled statement, or null when they write nothing. */
export function groupCommit(groups: TWriteGroup[]) {
  const args = commitArguments(groups);
  return args && groupCommitQuery(...args);
}
