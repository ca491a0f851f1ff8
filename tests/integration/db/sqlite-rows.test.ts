import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgres } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { sqliteReaderFor, type SqliteReader } from "@/lib/server/db/sqlite-rows";
import { createOwnSqliteDatabase, type OwnSqliteDatabase } from "../helpers/db";

// Its own SQLite file. The app reads directly only when it runs on SQLite, so this runs in the SQLite
// run of the suite; the PostgreSQL run covers the Prisma path of the same services.
describe.skipIf(isPostgres)("hot reads with prepared statements (SqliteReader) give Prisma's rows", () => {
  let own: OwnSqliteDatabase;
  let db: OwnSqliteDatabase["db"];
  let reader: SqliteReader;
  const ids = { user: "", battle: "", turn: "", guest: "" };

  beforeAll(async () => {
    own = await createOwnSqliteDatabase("sqlite-rows");
    ({ db } = own);
    reader = (await sqliteReaderFor(db as unknown as Db))!;
    const organization = await db.organization.create({ data: { name: "Rows Org", slug: "rows-org" } });
    const model = (slug: string) =>
      db.arenaModel.create({
        data: { slug, displayName: slug, organizationId: organization.id, modality: "text", providerKind: "demo", providerModelId: slug, extraParams: { personality: slug, nested: [1, 2.5, null] } },
      });
    const [modelA, modelB] = [await model("rows-a"), await model("rows-b")];
    const user = await db.user.create({ data: { email: "rows@example.org", name: "Row Ann", passwordHash: "secret-hash", role: "annotator", votesExcludedAt: new Date("2026-03-04T05:06:07.089Z") } });
    const guest = await db.user.create({ data: { role: "guest", isGuest: true } });
    const battle = await db.battle.create({
      data: {
        publicId: "rows-public",
        userId: user.id,
        modality: "text",
        personalized: true,
        modelAId: modelA.id,
        modelBId: modelB.id,
        status: "voted",
        isGold: true,
        goldOutcome: "tie",
        completedAt: new Date("2026-05-06T07:08:09.010Z"),
        turns: {
          create: [
            { index: 1, prompt: "second", responses: { create: [{ side: "a", modelId: modelA.id, status: "complete", text: "later" }] } },
            {
              index: 0,
              prompt: "first ✓ — \u{1F600}",
              systemPrompt: null,
              responses: {
                create: [
                  { side: "a", modelId: modelA.id, status: "complete", text: "A's answer", inputTokens: 12, outputTokens: 340, latencyMs: 1234, durationSeconds: 1.5, styleFeatures: { length: 10, bold: 0.25 }, completedAt: new Date() },
                  { side: "b", modelId: modelB.id, status: "error", text: null, errorKind: "timeout", errorMessage: "took too long" },
                ],
              },
            },
          ],
        },
      },
      include: { turns: true },
    });
    await db.vote.create({
      data: { battleId: battle.id, userId: user.id, modality: "text", modelAId: modelA.id, modelBId: modelB.id, outcome: "model_b", feedbackGeneral: "good", listeningEvents: { a: [{ at: 1, kind: "play" }], b: [] }, listenSecondsA: 2.25, countsForRating: false, invalidReasons: "post_reveal", secondsToVote: 3.5 },
    });
    Object.assign(ids, { user: user.id, guest: guest.id, battle: battle.id, turn: battle.turns.find((turn) => turn.index === 0)!.id });
  });
  afterAll(() => own.remove());

  it("reads every scalar type as Prisma does: dates, booleans, JSON, floats, enums, nulls", async () => {
    const select = (model: string, table: string, where: string) => `SELECT ${reader.columns(model)} FROM "${table}" WHERE ${where}`;
    expect(reader.row("Battle", select("Battle", "Battle", `"id" = ?`), [ids.battle])).toEqual(await db.battle.findUnique({ where: { id: ids.battle } }));
    expect(reader.rows("Turn", select("Turn", "Turn", `"battleId" = ? ORDER BY "index"`), [ids.battle])).toEqual(
      await db.turn.findMany({ where: { battleId: ids.battle }, orderBy: { index: "asc" } }),
    );
    expect(reader.rows("Response", select("Response", "Response", `"turnId" = ? ORDER BY "side"`), [ids.turn])).toEqual(
      await db.response.findMany({ where: { turnId: ids.turn }, orderBy: { side: "asc" } }),
    );
    expect(reader.row("Vote", select("Vote", "Vote", `"battleId" = ?`), [ids.battle])).toEqual(await db.vote.findUnique({ where: { battleId: ids.battle } }));
    expect(reader.rows("ArenaModel", select("ArenaModel", "ArenaModel", `1 ORDER BY "slug"`), [])).toEqual(await db.arenaModel.findMany({ orderBy: { slug: "asc" } }));
    for (const id of [ids.user, ids.guest]) {
      expect(reader.row("User", select("User", "User", `"id" = ?`), [id])).toEqual(await db.user.findUnique({ where: { id } }));
    }
  });

  it("leaves out omitted columns and reads a partial select with the right types", async () => {
    const columns = reader.columns("User", ["passwordHash"]);
    expect(columns).not.toContain("passwordHash");
    const row = reader.row<Record<string, unknown>>("User", `SELECT ${columns} FROM "User" WHERE "id" = ?`, [ids.user]);
    expect(row).toEqual(await db.user.findUnique({ where: { id: ids.user }, omit: { passwordHash: true } }));
    expect(reader.row("User", `SELECT "id", "isGuest", "votesExcludedAt" FROM "User" WHERE "id" = ?`, [ids.guest])).toEqual({ id: ids.guest, isGuest: true, votesExcludedAt: null });
  });

  it("answers null for no row, a count as a number, and sees rows Prisma just committed", async () => {
    expect(reader.row("Battle", `SELECT "id" FROM "Battle" WHERE "id" = ?`, ["missing"])).toBeNull();
    const count = () => reader.value(`SELECT COUNT(*) FROM "User" WHERE "role" = ?`, ["guest"]);
    expect(count()).toBe(1);
    await db.user.create({ data: { role: "guest", isGuest: true } });
    expect(count()).toBe(2);
  });
});
