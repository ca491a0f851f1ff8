import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPostgres } from "@/lib/env";
import { sqliteDatabaseFile } from "@/lib/server/db/sqlite-direct";
import { DELETE_ACCOUNT_CONFIRMATION, ERASED_TEXT } from "@/lib/server/services/account-deletion";
import { callerFor } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { createAnnotator, createModels, createVotedBattle, db } from "../releases/release-fixtures";

/** Unique markers: a hit anywhere in the database files can only be the erased text. */
const marker = (label: string) => `${label}-${randomBytes(8).toString("hex")}`;
const PROMPT = marker("ERASE-PROMPT");
const ANSWER = marker("ERASE-ANSWER");
const FEEDBACK = marker("ERASE-FEEDBACK");
const SYSTEM_PROMPT = marker("ERASE-SYSTEM");
/** Long enough to live on overflow pages, which SQLite frees (and secure_delete zeroes) on update. */
const LONG_ANSWER = `${marker("ERASE-LONG")} ${"lorem ipsum dolor sit amet ".repeat(400)}`;
const KEPT = marker("KEEP-OTHER-USER");

let userId: string;
let battleId: string;

beforeAll(async () => {
  await resetDatabase(db);
  const { modelA, modelB } = await createModels();
  const { user, persona } = await createAnnotator({ persona: { occupation: "glaciologist" } });
  userId = user.id;
  const publicId = await createVotedBattle({
    userId,
    personaVersionId: persona.id,
    modelAId: modelA.id,
    modelBId: modelB.id,
    prompt: `${PROMPT} please summarise my notes`,
    answerA: `Since you asked (${PROMPT}): ${ANSWER}`,
    answerB: LONG_ANSWER,
    feedback: FEEDBACK,
    turns: 2,
  });
  battleId = (await db.battle.findUniqueOrThrow({ where: { publicId }, select: { id: true } })).id;
  await db.turn.updateMany({ where: { battleId }, data: { systemPrompt: `The user works as ${SYSTEM_PROMPT}` } });
  const other = await createAnnotator();
  await createVotedBattle({ userId: other.user.id, personaVersionId: other.persona.id, modelAId: modelA.id, modelBId: modelB.id, prompt: KEPT });

  const caller = await callerFor(userId);
  await caller.account.delete({ confirmation: DELETE_ACCOUNT_CONFIRMATION });
});

afterAll(async () => {
  await resetDatabase(db);
});

describe("account deletion through the API", () => {
  it("erases the battles' prompts, system prompts and answers in the database", async () => {
    const turns = await db.turn.findMany({ where: { battleId }, include: { responses: true } });
    expect(turns).toHaveLength(2);
    for (const turn of turns) {
      expect(turn.prompt).toBe(ERASED_TEXT);
      expect(turn.systemPrompt).toBeNull();
      for (const response of turn.responses) expect(response.text).toBe(ERASED_TEXT);
    }
  });

  it("erases the written feedback and keeps the vote for ratings", async () => {
    const vote = await db.vote.findUniqueOrThrow({ where: { battleId } });
    expect([vote.feedbackGeneral, vote.feedbackA, vote.feedbackB]).toEqual([null, null, null]);
    expect(vote.outcome).toBe("model_a");
  });

  it("leaves other annotators' battles alone", async () => {
    expect(await db.turn.count({ where: { prompt: KEPT } })).toBe(1);
  });

  it("leaves none of the erased text where the database stores it", async () => {
    const erased = [PROMPT, ANSWER, FEEDBACK, SYSTEM_PROMPT, LONG_ANSWER.slice(0, 40)];
    if (isPostgres) {
      // PostgreSQL: no live row of any table holds the text (old row versions go with VACUUM, see docs/operations.md).
      const columns = await db.$queryRawUnsafe<Array<{ table_name: string; column_name: string }>>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type IN ('text', 'jsonb', 'character varying')`,
      );
      for (const { table_name: table, column_name: column } of columns) {
        const [kept] = await db.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}"::text LIKE $1`, `%${KEPT}%`);
        if (table === "Turn" && column === "prompt") expect(Number(kept!.n)).toBe(1);
        for (const text of erased) {
          const [found] = await db.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}"::text LIKE $1`, `%${text}%`);
          expect(Number(found!.n), `${text} in ${table}.${column}`).toBe(0);
        }
      }
      return;
    }
    // SQLite: secure_delete zeroes freed bytes, so the file and its WAL hold no trace after a checkpoint.
    const [pragma] = await db.$queryRawUnsafe<Array<{ secure_delete: number | bigint }>>("PRAGMA secure_delete");
    expect(Number(pragma!.secure_delete)).toBe(1);
    const file = (await sqliteDatabaseFile(db))!;
    await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    const bytes = Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
    // The other annotator's prompt is found, so the search itself works on this file.
    expect(bytes.includes(KEPT)).toBe(true);
    for (const text of erased) expect(bytes.includes(text), text).toBe(false);
  });
});
