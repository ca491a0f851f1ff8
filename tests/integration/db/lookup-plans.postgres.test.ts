import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";
import { createPostgresDb, type PostgresDb } from "@/lib/server/store/kysely";
import { PostgresStore } from "@/lib/server/store/postgres-store";
import { resetDatabase } from "../helpers/db";

// The store's battle and session-user reads are planned once per connection and the plan is kept: made on a
// fresh install's empty tables, it must still reach every row by key once the tables have grown.
describe("the store's key-lookup reads on PostgreSQL", () => {
  let main: PostgresDb;
  let lookups: PostgresDb;

  beforeAll(async () => {
    await resetDatabase(db);
    main = createPostgresDb(env.DATABASE_URL, { maxConnections: 1 });
    lookups = createPostgresDb(env.DATABASE_URL, { maxConnections: 1, planning: "once" });
  });

  afterAll(async () => {
    await Promise.all([main.destroy(), lookups.destroy()]);
  });

  it("plans them once, on empty tables, with no scan of a whole table", async () => {
    const store = new PostgresStore(main, lookups);
    for (let call = 0; call < 3; call++) {
      expect(await store.readBattleToVote("no-such-battle", new Date())).toBeNull();
      expect(await store.readBattle("no-such-battle")).toBeNull();
      expect(await store.readSessionUser("no-such-user")).toBeNull();
    }
    const prepared = await lookups
      .selectFrom(sql<{ name: string; statement: string; parameter_types: string; generic_plans: string; custom_plans: string }>`pg_prepared_statements`.as("prepared"))
      .select(["name", "statement", sql<number>`cardinality(parameter_types)`.as("parameters"), "generic_plans", "custom_plans"])
      .where("statement", "not like", "%pg_prepared_statements%")
      .execute();
    // The vote read, the plain battle read and the session-user read.
    expect(prepared).toHaveLength(3);
    for (const statement of prepared) {
      expect({ generic: Number(statement.generic_plans), custom: Number(statement.custom_plans) }).toEqual({ generic: 3, custom: 0 });
      const nulls = Array.from({ length: statement.parameters }, () => sql.lit(null));
      const plan = (await sql<{ "QUERY PLAN": string }>`explain execute ${sql.id(statement.name)}(${sql.join(nulls)})`.execute(lookups)).rows.map((row) => row["QUERY PLAN"]).join("\n");
      expect(plan).toMatch(/Index Scan/);
      expect(plan).not.toMatch(/Seq Scan/);
    }
  });
});
