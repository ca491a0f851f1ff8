import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUASI_IDENTIFIERS } from "@/lib/domain/anonymization/personas";
import { CSV_HEADER, toFlatRow } from "@/lib/domain/release/csv";
import { ZReleasedBattleSchema, type TReleasedBattle } from "@/lib/domain/release/schema";
import { AppError } from "@/lib/server/errors";
import { MediaStorageError } from "@/lib/server/media/storage";
import { deleteAccount, DELETE_ACCOUNT_CONFIRMATION } from "@/lib/server/services/account-deletion";
import { getRelease, publishRelease } from "@/lib/server/services/releases";
import { resetDatabase } from "../helpers/db";
import { parseCsv } from "./csv-reader";
import {
  COMMON_PERSONA,
  createAnnotator,
  createModels,
  createVotedBattle,
  db,
  memoryMediaStorage,
  PUBLISH_AT,
  tempReleaseDir,
  WINDOW,
} from "./release-fixtures";

const SECRETS = {
  email: "alice.secret@example.org",
  phone: "+44 20 7946 0958",
  card: "4111 1111 1111 1111",
  apiKey: "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789",
  ip: "203.0.113.77",
  aboutMe: "ABOUTME-SECRET-7731",
  rareOccupation: "Lighthouse keeper on Grimsey",
};
const IMAGE_SHA_A = "a".repeat(64);
const IMAGE_SHA_B = "b".repeat(64);
const IMAGE_BYTES = new Uint8Array([137, 80, 78, 71, 1, 2, 3, 4]);

const K = 5;
let releaseDir: string;
let releasedDir: string;
const userIds: string[] = [];
const emails: string[] = [];
const expectedPresent: string[] = [];
const expectedAbsent: Record<string, string> = {};
let rows: TReleasedBattle[] = [];

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

async function parquetRows(path: string): Promise<Record<string, unknown>[]> {
  return parquetReadObjects({ file: await asyncBufferFromFile(path) });
}

beforeAll(async () => {
  await resetDatabase(db);
  releaseDir = await tempReleaseDir();
  const { modelA, modelB } = await createModels({ redistributableB: false });
  const battle = async (userId: string, personaVersionId: string, extra: Partial<Parameters<typeof createVotedBattle>[0]> = {}) =>
    createVotedBattle({ userId, personaVersionId, modelAId: modelA.id, modelBId: modelB.id, ...extra });

  for (let index = 0; index < 10; index++) {
    const persona = index < 5 ? COMMON_PERSONA : { ...COMMON_PERSONA, gender: "man", country: "DE", ageBand: "35-44" };
    const { user, persona: version } = await createAnnotator({ persona });
    userIds.push(user.id);
    emails.push(user.email!);
    expectedPresent.push(await battle(user.id, version.id));
  }
  const [first, second, third] = userIds;
  const firstVersion = (await db.personaVersion.findFirstOrThrow({ where: { userId: first } })).id;
  expectedPresent.push(
    await battle(first!, firstVersion, {
      prompt: `Write to ${SECRETS.email} or call ${SECRETS.phone}; my card is ${SECRETS.card}.`,
      answerA: `Your key ${SECRETS.apiKey} was used from ${SECRETS.ip}.`,
      feedback: `Contact me at ${SECRETS.email}, server ${SECRETS.ip}`,
      turns: 2,
    }),
  );
  const secondVersion = (await db.personaVersion.findFirstOrThrow({ where: { userId: second } })).id;
  expectedPresent.push(
    await battle(second!, secondVersion, {
      modality: "image",
      mediaA: { sha256: IMAGE_SHA_A, mime: "image/png" },
      mediaB: { sha256: IMAGE_SHA_B, mime: "image/png" },
    }),
  );
  const thirdVersion = (await db.personaVersion.findFirstOrThrow({ where: { userId: third } })).id;
  expectedAbsent.invalid = await battle(third!, thirdVersion, { countsForRating: false });
  expectedAbsent.nextMonth = await battle(third!, thirdVersion, { createdAt: new Date("2026-11-02T10:00:00Z") });

  const rare = await createAnnotator({
    email: "rare.person@example.net",
    persona: { ageBand: "65+", gender: "non_binary", country: "IS", occupation: SECRETS.rareOccupation, expertise: "arts", aboutMe: SECRETS.aboutMe },
  });
  userIds.push(rare.user.id);
  emails.push(rare.user.email!);
  expectedPresent.push(await battle(rare.user.id, rare.persona.id));

  const deleted = await createAnnotator({ email: "deleted.person@example.net", persona: COMMON_PERSONA });
  expectedAbsent.deleted = await battle(deleted.user.id, deleted.persona.id);
  await deleteAccount(db, deleted.user.id, DELETE_ACCOUNT_CONFIRMATION);
  const optedOut = await createAnnotator({ email: "opted.out@example.net", persona: COMMON_PERSONA, optOut: true });
  expectedAbsent.optedOut = await battle(optedOut.user.id, optedOut.persona.id);
  const noConsent = await createAnnotator({ email: "no.consent@example.net", persona: COMMON_PERSONA, consent: false });
  expectedAbsent.noConsent = await battle(noConsent.user.id, noConsent.persona.id);
  const excluded = await createAnnotator({ email: "excluded@example.net", persona: COMMON_PERSONA });
  await db.user.update({ where: { id: excluded.user.id }, data: { votesExcludedAt: new Date("2026-10-20T00:00:00Z") } });
  expectedAbsent.excluded = await battle(excluded.user.id, excluded.persona.id);
  for (const user of [deleted.user, optedOut.user, noConsent.user, excluded.user]) {
    userIds.push(user.id);
    emails.push(user.email!);
  }

  await publishRelease(db, {
    window: WINDOW,
    now: PUBLISH_AT,
    k: K,
    releaseDir,
    mediaStorage: memoryMediaStorage({ [IMAGE_SHA_A]: IMAGE_BYTES, [IMAGE_SHA_B]: IMAGE_BYTES }),
  });
  releasedDir = join(releaseDir, WINDOW);
  const jsonl = await readFile(join(releasedDir, "battles.jsonl"), "utf8");
  rows = jsonl.trimEnd().split("\n").map((line) => ZReleasedBattleSchema.parse(JSON.parse(line)));
});

afterAll(async () => {
  await resetDatabase(db);
});

describe("release contents", () => {
  it("contains exactly the releasable battles", () => {
    expect(rows.map((row) => row.battle_id).sort()).toEqual([...expectedPresent].sort());
  });

  it.each(["invalid", "nextMonth", "deleted", "optedOut", "noConsent", "excluded"])("leaves out the %s vote", (kind) => {
    expect(rows.some((row) => row.battle_id === expectedAbsent[kind])).toBe(false);
  });

  it("writes the data files, the data card and a manifest whose checksums match the bytes", async () => {
    const manifest = JSON.parse(await readFile(join(releasedDir, "manifest.json"), "utf8"));
    expect(manifest.counts.battles).toBe(expectedPresent.length);
    expect(manifest.k).toBe(K);
    const cells = manifest.persona_cells;
    expect(cells.exact + cells.generalized + cells.withheld).toBeGreaterThan(0);
    expect(cells.exact_share + cells.generalized_share + cells.withheld_share).toBeCloseTo(1, 2);
    // Two groups of five alike annotators and one rare persona: the rare one coarsens only the group it
    // joins, so the other group stays exact (the old column-wide generalizer withheld everything here).
    expect(cells.exact_share).toBeGreaterThan(0.4);
    expect(cells.exact_or_one_level_up_share).toBeGreaterThanOrEqual(cells.exact_share);
    // No persona counts: exact counts in two releases that differ by one known annotator give away that annotator's answers.
    expect(manifest).not.toHaveProperty("persona_marginals");
    // Five annotators each hold FR and DE, a master's and software: schema 4 counted them; nothing published does now.
    const published = (await readFile(join(releasedDir, "manifest.json"), "utf8")) + (await readFile(join(releasedDir, "README.md"), "utf8"));
    expect(published).not.toMatch(/"(FR|DE)"|\bmaster\b|"software"|Western Europe/);
    const jsonl = await readFile(join(releasedDir, "battles.jsonl"), "utf8");
    for (const line of jsonl.trimEnd().split("\n")) {
      expect(Object.keys((JSON.parse(line) as { persona: object }).persona).sort()).toEqual(["age_band", "ai_usage_frequency", "gender", "language_count", "preferences", "response_style"]);
    }
    for (const entry of manifest.files as Array<{ name: string; sha256: string; bytes: number }>) {
      const bytes = await readFile(join(releasedDir, entry.name));
      expect(createHash("sha256").update(bytes).digest("hex"), entry.name).toBe(entry.sha256);
      expect(bytes.byteLength).toBe(entry.bytes);
    }
    const names = (manifest.files as Array<{ name: string }>).map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(["battles.jsonl", "battles.csv", "battles.parquet", "README.md", `media/${IMAGE_SHA_A}.png`]));
    const card = await readFile(join(releasedDir, "README.md"), "utf8");
    expect(card.startsWith("---\nlicense: cc-by-4.0\n")).toBe(true);
  });

  it("records the published release with its files and counts", async () => {
    const release = await getRelease(db, WINDOW, { releaseDir });
    expect(release?.status).toBe("published");
    expect(release?.rowCount).toBe(expectedPresent.length);
    expect(release?.files.map((file) => file.name)).toEqual(["battles.jsonl", "battles.csv", "battles.parquet", "preference.jsonl", "preference.parquet", "kto.parquet", "README.md", "manifest.json"]);
    expect(release?.card).toContain("# Persona Arena battles 2026-10");
  });

  it("copies media of redistributable models and only hashes the others", () => {
    const image = rows.find((row) => row.modality === "image")!;
    expect(image.turns[0]!.media_a).toEqual({ sha256: IMAGE_SHA_A, mime: "image/png", file: `media/${IMAGE_SHA_A}.png` });
    expect(image.turns[0]!.media_b).toEqual({ sha256: IMAGE_SHA_B, mime: "image/png" });
  });

  it("replaces personal data in prompts, answers and feedback with placeholders", () => {
    const scrubbed = rows.find((row) => row.turns.length === 2)!;
    expect(scrubbed.turns[0]!.prompt).toBe("Write to [EMAIL] or call [PHONE]; my card is [CARD].");
    expect(scrubbed.turns[0]!.answer_a).toBe("Your key [SECRET] was used from [IP].");
    expect(scrubbed.feedback.general).toBe("Contact me at [EMAIL], server [IP]");
    expect(scrubbed.conversation_a[0]!.content).toBe(scrubbed.turns[0]!.prompt);
  });

  it("uses the public battle id, the day and a pseudonym instead of database ids", () => {
    for (const row of rows) {
      expect(row.battle_id).toMatch(/^pub_/);
      expect(row.date).toBe("2026-10-15");
      expect(row.annotator).toMatch(/^annotator_[0-9a-f]{16}$/);
    }
  });

  it("no released file contains a seeded secret, a user id or an email, byte for byte", async () => {
    const needles = [...Object.values(SECRETS), ...userIds, ...emails];
    const files = await filesUnder(releasedDir);
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const text = (await readFile(file)).toString("latin1");
      const utf8 = (await readFile(file)).toString("utf8");
      for (const needle of needles) {
        expect(text.includes(needle) || utf8.includes(needle), `${needle} in ${file}`).toBe(false);
      }
    }
  });

  it("no decoded Parquet value contains a seeded secret, a user id or an email", async () => {
    const decoded = JSON.stringify(await parquetRows(join(releasedDir, "battles.parquet")));
    for (const needle of [...Object.values(SECRETS), ...userIds, ...emails]) expect(decoded.includes(needle), needle).toBe(false);
  });

  it("every persona combination, response style and preference bands included, is shared by at least k annotators", () => {
    const annotatorsByCombination = new Map<string, Set<string>>();
    for (const row of rows) {
      const key = JSON.stringify({ ...row.persona, preferences: Object.entries(row.persona.preferences).sort() });
      annotatorsByCombination.set(key, (annotatorsByCombination.get(key) ?? new Set()).add(row.annotator));
    }
    expect(Object.keys(rows[0]!.persona)).toHaveLength(QUASI_IDENTIFIERS.length + 1);
    for (const [combination, annotators] of annotatorsByCombination) expect(annotators.size, combination).toBeGreaterThanOrEqual(K);
  });

  it("a second publish of the same version is a conflict", async () => {
    const error = await publishRelease(db, { window: WINDOW, now: PUBLISH_AT, releaseDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CONFLICT");
    expect((error as AppError).message).toMatch(/already published/);
  });

  it("says why a window with nothing to publish is refused, and leaves no failed row", async () => {
    const error = await publishRelease(db, { window: "2026-06", now: PUBLISH_AT, releaseDir }).catch((caught: unknown) => caught);
    expect((error as AppError).code).toBe("BAD_REQUEST");
    expect((error as AppError).message).toMatch(/Nothing to publish for 2026-06: it has no releasable votes\. A vote is released when/);
    expect(await db.release.findUnique({ where: { version: "2026-06" } })).toBeNull();
    expect((await readdir(releaseDir)).filter((name) => name.startsWith("2026-06"))).toEqual([]);
  });

  it("refuses a window whose embargo has not passed", async () => {
    const error = await publishRelease(db, { window: "2026-11", now: new Date("2026-12-03T00:00:00Z"), releaseDir }).catch((caught: unknown) => caught);
    expect((error as AppError).code).toBe("BAD_REQUEST");
    expect((error as AppError).message).toMatch(/embargo/);
  });
});

describe("round trip", () => {
  it("Parquet read back with hyparquet equals the flattened JSONL", async () => {
    const parquet = await parquetRows(join(releasedDir, "battles.parquet"));
    expect(parquet).toHaveLength(rows.length);
    parquet.forEach((record, index) => {
      const flat = toFlatRow(rows[index]!);
      for (const column of CSV_HEADER) expect(record[column] ?? null, column).toEqual(flat[column]);
    });
  });

  it("CSV parsed back equals the flattened JSONL", async () => {
    const [header, ...records] = parseCsv(await readFile(join(releasedDir, "battles.csv"), "utf8"));
    expect(header).toEqual([...CSV_HEADER]);
    expect(records).toHaveLength(rows.length);
    records.forEach((record, index) => {
      const flat = toFlatRow(rows[index]!);
      expect(record).toEqual(CSV_HEADER.map((column) => (flat[column] === null ? null : String(flat[column]))));
    });
  });

  it("DuckDB reads battles.parquet with no options", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const path = join(releasedDir, "battles.parquet").replace(/'/g, "''");
    const count = await connection.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${path}')`);
    expect(Number(count.getRowObjects()[0]!.n)).toBe(rows.length);
    const sample = await connection.runAndReadAll(`SELECT battle_id, winner, personalized_a, turn_count FROM read_parquet('${path}') ORDER BY battle_id`);
    const expected = [...rows].sort((a, b) => (a.battle_id < b.battle_id ? -1 : 1)).map((row) => ({ battle_id: row.battle_id, winner: row.winner, personalized_a: row.personalized_a, turn_count: row.turns.length }));
    expect(sample.getRowObjects()).toEqual(expected);
    connection.closeSync();
    instance.closeSync();
  });
});

describe("a crash halfway through publishing", () => {
  const CRASH_WINDOW = "2026-09";
  /** One image per battle, so every page of the publish reads from the media store. */
  const crashMedia: Record<string, Uint8Array> = {};

  beforeAll(async () => {
    const models = await db.arenaModel.findMany({ orderBy: { slug: "asc" } });
    for (const userId of userIds.slice(0, 6)) {
      const version = await db.personaVersion.findFirst({ where: { userId } });
      if (!version) continue;
      for (let index = 0; index < 3; index++) {
        const sha256 = createHash("sha256").update(`${userId}-${index}`).digest("hex");
        crashMedia[sha256] = IMAGE_BYTES;
        await createVotedBattle({
          userId,
          personaVersionId: version.id,
          modelAId: models[0]!.id,
          modelBId: models[1]!.id,
          createdAt: new Date(`2026-09-1${index}T08:00:00Z`),
          modality: "image",
          mediaA: { sha256, mime: "image/png" },
        });
      }
    }
  });

  it("leaves no visible release and marks the row failed when the media store goes down mid-publish; a retry publishes", async () => {
    // The store serves two pages' worth of images, then fails as an unavailable S3 would: rows are already written by then.
    const healthy = memoryMediaStorage(crashMedia);
    let served = 0;
    const failingStore = {
      async open(sha256: string) {
        if (served === 4) throw new MediaStorageError("S3 HEAD answered 503 SlowDown");
        served += 1;
        return healthy.open(sha256);
      },
    };
    const error = await publishRelease(db, { window: CRASH_WINDOW, now: PUBLISH_AT, releaseDir, mediaStorage: failingStore, pageSize: 2, parquetRowGroupSize: 2 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MediaStorageError);
    expect(served).toBe(4);
    expect((await readdir(releaseDir)).filter((name) => name.startsWith(CRASH_WINDOW))).toEqual([]);
    const failed = await db.release.findUniqueOrThrow({ where: { version: CRASH_WINDOW } });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/media storage is unavailable/);
    expect(await getRelease(db, CRASH_WINDOW)).toBeNull();

    const retried = await publishRelease(db, { window: CRASH_WINDOW, now: PUBLISH_AT, releaseDir, mediaStorage: healthy });
    expect(retried.status).toBe("published");
    expect(retried.rowCount).toBe(18);
    expect((await stat(join(releaseDir, CRASH_WINDOW, "manifest.json"))).isFile()).toBe(true);
    expect((await readdir(join(releaseDir, CRASH_WINDOW, "media"))).length).toBe(18);
  });
});
