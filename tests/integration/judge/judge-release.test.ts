import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { attachJudgeRunToRelease } from "@/lib/server/judge/release";
import { runQueuedJudgeRuns, startJudgeRun } from "@/lib/server/judge/run";
import { getRelease, publishRelease } from "@/lib/server/services/releases";
import { createUserWithRole } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { COMMON_PERSONA, createAnnotator, createModels, createVotedBattle, db, PUBLISH_AT, tempReleaseDir, WINDOW } from "../releases/release-fixtures";

describe("judge.parquet in a release", () => {
  beforeEach(async () => {
    await resetDatabase(db);
  });

  it("attaches a completed run's verdicts by released battle id, without rationales or internal ids, and lists it in the manifest", async () => {
    const releaseDir = await tempReleaseDir();
    const { modelA, modelB } = await createModels();
    for (let n = 0; n < 6; n++) {
      const { user, persona } = await createAnnotator({ persona: COMMON_PERSONA });
      await createVotedBattle({ userId: user.id, personaVersionId: persona.id, modelAId: modelA.id, modelBId: modelB.id });
    }
    await publishRelease(db, { window: WINDOW, now: PUBLISH_AT, k: 5, releaseDir });
    const admin = await createUserWithRole("admin");
    const run = await startJudgeRun(db, admin, { judgeModelId: null, sampleSize: 6, seed: 2 });
    await expect(attachJudgeRunToRelease(db, admin, { runId: run.id, version: WINDOW }, { releaseDir })).rejects.toThrow(/completed/);
    await runQueuedJudgeRuns(db);

    const attached = await attachJudgeRunToRelease(db, admin, { runId: run.id, version: WINDOW }, { releaseDir });
    expect(attached.file.rows).toBe(12);
    const dir = join(releaseDir, WINDOW);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, "judge.parquet")) });
    const battles = new Set((await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, "battles.parquet")), columns: ["battle_id"] })).map((row) => row.battle_id));
    expect(rows).toHaveLength(12);
    for (const row of rows) expect(battles.has(row.battle_id)).toBe(true);
    expect(Object.keys(rows[0]).sort()).toEqual(["abstention", "battle_id", "certainty", "choice", "judge", "prompt_version", "with_persona"]);
    const voteIds = (await db.vote.findMany({ select: { id: true, userId: true } })).flatMap((vote) => [vote.id, vote.userId]);
    const text = JSON.stringify(rows);
    for (const id of voteIds) expect(text).not.toContain(id);

    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
    expect(manifest.files.map((file: { name: string }) => file.name)).toContain("judge.parquet");
    const release = await getRelease(db, WINDOW, { releaseDir });
    expect(release!.files.map((file) => file.name)).toContain("judge.parquet");
    await expect(attachJudgeRunToRelease(db, admin, { runId: run.id, version: WINDOW }, { releaseDir })).rejects.toThrow(/already/);
  });
});
