import "server-only";
import { readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { ReleaseManifest } from "@/lib/domain/release/card";
import { recordAudit } from "@/lib/server/audit";
import type { Db } from "@/lib/server/db";
import { AppError, notFound } from "@/lib/server/errors";
import { MANIFEST_FILE, releaseDirectory, type TReleaseFile } from "@/lib/server/services/releases";
import { HashingFile } from "@/lib/server/releases/writers/hashing-file";

const JUDGE_RELEASE_FILE = "judge.parquet";

async function writeHashed(path: string, bytes: Uint8Array, rows: number): Promise<TReleaseFile> {
  const temporary = `${path}.partial`;
  const file = await HashingFile.create(temporary);
  await file.write(bytes);
  const size = file.bytes;
  const sha256 = await file.close();
  await rename(temporary, path);
  return { name: path.slice(path.lastIndexOf("/") + 1), sha256, bytes: size, rows };
}

/**
 * Adds a completed judge run's verdicts on the release's battles to a published release as
 * judge.parquet (and to its manifest). Rows are keyed by the released `battle_id` only: no vote,
 * user or database ids, and no rationales (a persona-aware rationale could restate persona facts the
 * release's persona columns withhold). Battles of the run that are not in the release are left out.
 */
export async function attachJudgeRunToRelease(db: Db, actor: { id: string }, input: { runId: string; version: string }, options: { releaseDir?: string } = {}) {
  const run = await db.judgeRun.findUnique({ where: { id: input.runId }, select: { id: true, status: true, judgeLabel: true, promptVersion: true } });
  if (!run) throw notFound("The judge run");
  if (run.status !== "completed") throw new AppError("CONFLICT", "Only a completed judge run can be attached to a release.");
  const release = await db.release.findUnique({ where: { version: input.version }, select: { status: true, files: true, manifest: true } });
  if (!release || release.status !== "published") throw notFound(`Release ${input.version}`);
  const files = (Array.isArray(release.files) ? release.files : []) as unknown as TReleaseFile[];
  if (files.some((file) => file.name === JUDGE_RELEASE_FILE)) throw new AppError("CONFLICT", `Release ${input.version} already has a ${JUDGE_RELEASE_FILE}.`);
  const dir = releaseDirectory(input.version, options.releaseDir);

  const released = await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, "battles.parquet")), columns: ["battle_id"] });
  const inRelease = new Set(released.map((row) => String(row.battle_id)));
  const items = await db.judgeItem.findMany({ where: { runId: run.id }, select: { voteId: true, withPersona: true, choice: true, certainty: true, abstention: true }, orderBy: [{ voteId: "asc" }, { withPersona: "desc" }] });
  const publicIds = new Map(
    (await db.vote.findMany({ where: { id: { in: [...new Set(items.map((item) => item.voteId))] } }, select: { id: true, battle: { select: { publicId: true } } } })).map((vote) => [vote.id, vote.battle.publicId]),
  );
  const rows = items.flatMap((item) => {
    const battleId = publicIds.get(item.voteId);
    return battleId && inRelease.has(battleId) ? [{ ...item, battleId }] : [];
  });
  const bytes = parquetWriteBuffer({
    columnData: [
      { name: "battle_id", data: rows.map((row) => row.battleId), type: "STRING" },
      { name: "judge", data: rows.map(() => run.judgeLabel), type: "STRING" },
      { name: "prompt_version", data: rows.map(() => run.promptVersion), type: "STRING" },
      { name: "with_persona", data: rows.map((row) => row.withPersona), type: "BOOLEAN" },
      { name: "choice", data: rows.map((row) => row.choice), type: "STRING" },
      { name: "certainty", data: rows.map((row) => row.certainty), type: "INT32" },
      { name: "abstention", data: rows.map((row) => row.abstention), type: "STRING" },
    ],
  });
  const entry = await writeHashed(join(dir, JUDGE_RELEASE_FILE), new Uint8Array(bytes), rows.length);

  const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), "utf8")) as ReleaseManifest;
  manifest.files.push(entry);
  const manifestText = JSON.stringify(manifest, null, 2) + "\n";
  const manifestEntry = await writeHashed(join(dir, `${MANIFEST_FILE}.next`), new TextEncoder().encode(manifestText), 0);
  await rename(join(dir, `${MANIFEST_FILE}.next`), join(dir, MANIFEST_FILE));
  const nextFiles = [...files.filter((file) => file.name !== MANIFEST_FILE), entry, { ...manifestEntry, name: MANIFEST_FILE }];
  await db.$transaction(async (tx) => {
    await tx.release.update({ where: { version: input.version }, data: { files: nextFiles as object[], manifest: manifest as object } });
    await recordAudit(tx, { actorId: actor.id, action: "release.judge_attached", targetType: "Release", targetId: input.version, details: { runId: run.id, rows: rows.length } });
  });
  return { version: input.version, file: entry };
}
