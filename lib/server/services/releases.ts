import "server-only";
import { categorizePendingBattles } from "@/lib/server/services/categorize-battles";
import { openTrainingFiles } from "@/lib/server/releases/writers/training-files";
import { readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { generalizePersonas } from "@/lib/domain/anonymization/personas";
import { pseudonymize, releasedBattleId } from "@/lib/domain/anonymization/pseudonym";
import { buildDatasetCard, buildManifest, type ReleaseFileEntry, type ReleaseManifest } from "@/lib/domain/release/card";
import { RELEASE_SCHEMA_VERSION, type TReleasedBattle, type TReleasedPersona } from "@/lib/domain/release/schema";
import { developmentSecretRefusal, env } from "@/lib/env";
import { recordAudit } from "@/lib/server/audit";
import type { Db } from "@/lib/server/db";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { AppError } from "@/lib/server/errors";
import type { MediaStorage } from "@/lib/server/media/storage";
import { assembleReleasedBattle } from "@/lib/server/releases/assemble";
import { copyReleaseMedia } from "@/lib/server/releases/media";
import { collectReleaseAnnotators, loadReleaseTextSubjects, streamReleaseBattles, type ReleaseCriteria } from "@/lib/server/releases/selection";
import { PersonaRuleCache } from "@/lib/domain/anonymization/persona-text";
import { buildReleaseTextFilter } from "@/lib/domain/anonymization/release-text";
import { parseReleaseWindow, utcDay, type ReleasePeriod } from "@/lib/server/releases/window";
import { writeReleaseAtomically } from "@/lib/server/releases/writers/atomic";
import { HashingFile } from "@/lib/server/releases/writers/hashing-file";
import { createReleaseWriter } from "@/lib/server/releases/writers/release-writer";

const README_FILE = "README.md";
export const MANIFEST_FILE = "manifest.json";

/** A claim older than this is a publish that died with its process; a new publish may take it over. */
const STALE_PUBLISH_MS = 6 * 60 * 60 * 1000;
const DAY_MS = 86_400_000;
/** Battles carry ~2 KB of text in three columns each: 2,000-row groups keep a group's buffers near 30 MB. */
const RELEASE_ROW_GROUP_SIZE = 2_000;
/** Votes per database page: a page is alive while it is scrubbed and written, so smaller pages keep the heap small. */
const RELEASE_PAGE_SIZE = 500;

export interface PublishReleaseOptions {
  /** "2026-11" (month) or "2026-W47" (ISO week); also the release version. */
  window: string;
  now?: Date;
  /** The admin who asked; null for the schedule and scripts. */
  actorId?: string | null;
  releaseDir?: string;
  k?: number;
  embargoDays?: number;
  pseudonymScope?: "stable" | "per_release";
  license?: string;
  /** Where media outputs are read from (default: the configured media storage). */
  mediaStorage?: Pick<MediaStorage, "open">;
  pageSize?: number;
  parquetRowGroupSize?: number;
  /** Validate every row against the release schema (default true). */
  validateRows?: boolean;
  signal?: AbortSignal;
}

export interface TReleaseFile {
  name: string;
  sha256: string;
  bytes: number;
  rows: number;
}

export interface TReleaseSummary {
  version: string;
  status: "publishing" | "published" | "failed";
  windowStart: Date;
  windowEnd: Date;
  rowCount: number;
  kAnonymity: number;
  files: TReleaseFile[];
  downloadCount: number;
  publishedAt: Date | null;
  createdAt: Date;
  error: string | null;
  /** Includes battles of simulated demo annotators (lib/server/services/demo-history.ts). */
  simulated: boolean;
}

export interface TReleaseDetail extends TReleaseSummary {
  manifest: ReleaseManifest | null;
  card: string | null;
}

/** The directory of a published release; versions are validated window names, so no traversal. */
export function releaseDirectory(version: string, releaseDir = env.RELEASE_DIR): string {
  return join(resolve(releaseDir), version);
}

/** When a window may be published: its end plus the embargo. */
export function releasableFrom(period: ReleasePeriod, embargoDays: number): Date {
  return new Date(period.end.getTime() + embargoDays * DAY_MS);
}

/**
 * A vote is published in at most one release: two releases over the same votes (a month and one of its
 * ISO weeks) could be joined row by row on their shared content whatever the pseudonyms, so a window that
 * overlaps one already published or being published is refused. The claim time (with the version as
 * tie-break) orders two overlapping publishes that started at once: once claimed, the later one gives way.
 */
async function assertNoOverlappingRelease(db: Db, period: ReleasePeriod, now: Date, claimed = false): Promise<void> {
  // Releases that hold votes: published, or being published by a live process (a failed one never left the server).
  const holdsVotes = [{ status: "published" as const }, { status: "publishing" as const, createdAt: { gt: new Date(now.getTime() - STALE_PUBLISH_MS) } }];
  const overlapping = await db.release.findMany({
    where: { OR: holdsVotes, version: { not: period.version }, windowStart: { lt: period.end }, windowEnd: { gt: period.start } },
    select: { version: true, status: true, windowStart: true, windowEnd: true, createdAt: true, publishedAt: true },
    orderBy: [{ windowStart: "asc" }, { version: "asc" }],
  });
  const blocking = overlapping.filter(
    (other) =>
      !claimed ||
      other.status === "published" ||
      other.createdAt < now ||
      (other.createdAt.getTime() === now.getTime() && other.version < period.version),
  );
  const first = blocking[0];
  if (!first) return;
  const lastDay = utcDay(new Date(first.windowEnd.getTime() - DAY_MS));
  throw new AppError(
    "CONFLICT",
    `Window ${period.version} overlaps release ${first.version} (${utcDay(first.windowStart)} to ${lastDay}), which is ${
      first.status === "published" ? `already published${first.publishedAt ? ` since ${utcDay(first.publishedAt)}` : ""}` : "being published"
    }. A vote is published in at most one release, so that releases cannot be joined on their battles: choose a window that does not overlap it.`,
  );
}

async function claimRelease(db: Db, period: ReleasePeriod, k: number, now: Date): Promise<string> {
  const existing = await db.release.findUnique({ where: { version: period.version } });
  if (existing?.status === "published") {
    throw new AppError(
      "CONFLICT",
      `Release ${period.version} was already published${existing.publishedAt ? ` on ${utcDay(existing.publishedAt)}` : ""}. Published releases are immutable; choose another window.`,
    );
  }
  if (existing?.status === "publishing" && now.getTime() - existing.createdAt.getTime() < STALE_PUBLISH_MS) {
    throw new AppError("CONFLICT", `Release ${period.version} is being published right now. Wait for it to finish.`);
  }
  const claim = { status: "publishing" as const, error: null, createdAt: now, windowStart: period.start, windowEnd: period.end, kAnonymity: k, rowCount: 0 };
  if (existing) {
    const { count } = await db.release.updateMany({ where: { id: existing.id, status: existing.status, createdAt: existing.createdAt }, data: claim });
    if (count !== 1) throw new AppError("CONFLICT", `Release ${period.version} is being published right now. Wait for it to finish.`);
    return existing.id;
  }
  try {
    const created = await db.release.create({ data: { version: period.version, ...claim }, select: { id: true } });
    return created.id;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `Release ${period.version} is being published right now. Wait for it to finish.`);
    }
    throw error;
  }
}

/**
 * The window holds no releasable vote. Not a failure: the claimed row is removed again, so the admin
 * table shows no failed release, and the message says what makes a vote releasable.
 */
class NothingToPublishError extends AppError {
  constructor(version: string) {
    super(
      "BAD_REQUEST",
      `Nothing to publish for ${version}: it has no releasable votes. A vote is released when it counts for the leaderboard, was cast in the window, and its annotator accepted the data terms, did not opt out of releases and is not banned or excluded. No release was created.`,
    );
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : "Unknown error";
}

/**
 * Publishes the release of one window: selects the releasable votes, generalizes the personas of all
 * its annotators to k-anonymity (first pass), then streams the scrubbed battles into battles.jsonl/.csv/
 * .parquet (second pass) with media, README.md data card and manifest.json, in a hidden directory that
 * is renamed into place only when complete. The Release row goes publishing → published, or failed.
 * A window that is published (or being published) is a CONFLICT; a failed one may be retried.
 */
export async function publishRelease(db: Db, options: PublishReleaseOptions): Promise<TReleaseSummary> {
  const now = options.now ?? new Date();
  const period = parseReleaseWindow(options.window);
  const k = options.k ?? env.RELEASE_K;
  const embargoDays = options.embargoDays ?? env.RELEASE_EMBARGO_DAYS;
  const license = options.license ?? env.RELEASE_LICENSE;
  const openFrom = releasableFrom(period, embargoDays);
  if (openFrom > now) {
    throw new AppError(
      "BAD_REQUEST",
      `Release ${period.version} can be published from ${openFrom.toISOString().slice(0, 16).replace("T", " ")} UTC, when its last votes are older than the ${embargoDays}-day embargo.`,
    );
  }
  const refusal = developmentSecretRefusal("publish a release");
  if (refusal) throw new AppError("FORBIDDEN", refusal);
  await assertNoOverlappingRelease(db, period, now);
  const releaseId = await claimRelease(db, period, k, now);
  const finalDir = releaseDirectory(period.version, options.releaseDir);
  try {
    await assertNoOverlappingRelease(db, period, now, true);
    const { files, manifest, rowCount } = await writeReleaseAtomically(finalDir, (dir) =>
      writeReleaseFiles(db, dir, period, { ...options, now, k, license }),
    );
    try {
      await db.release.update({
        where: { id: releaseId },
        data: { status: "published", rowCount, kAnonymity: k, files: files as object[], manifest: manifest as object, publishedAt: new Date(), error: null, simulated: manifest.simulated_battles !== undefined },
      });
    } catch (error) {
      await rm(finalDir, { recursive: true, force: true });
      throw error;
    }
    await recordAudit(db, { actorId: options.actorId ?? null, action: "release.publish", targetType: "release", targetId: period.version, details: { rowCount, k } });
  } catch (error) {
    if (error instanceof NothingToPublishError) await db.release.deleteMany({ where: { id: releaseId, status: "publishing" } }).catch(() => undefined);
    else await db.release.update({ where: { id: releaseId }, data: { status: "failed", error: describeFailure(error) } }).catch(() => undefined);
    throw error;
  }
  return (await getRelease(db, period.version, { includeUnpublished: true, releaseDir: options.releaseDir }))!;
}

interface WriteOptions extends PublishReleaseOptions {
  now: Date;
  k: number;
  license: string;
}

async function writeReleaseFiles(db: Db, dir: string, period: ReleasePeriod, options: WriteOptions) {
  const criteria: ReleaseCriteria = { start: period.start, end: period.end };
  const secret = env.PSEUDONYM_SECRET;
  const pseudonymScope = options.pseudonymScope ?? env.RELEASE_PSEUDONYM_SCOPE;
  const scope = pseudonymScope === "per_release" ? period.version : undefined;

  // Categories and languages are release columns: tag any voted battle the background tagger has not reached yet.
  await categorizePendingBattles(db);
  const annotators = await collectReleaseAnnotators(db, criteria);
  const pseudonyms = new Map(annotators.map(({ userId }) => [userId, pseudonymize(userId, secret, scope)]));
  const releasedPersonas = annotators.map(({ userId, persona }) => ({ annotator: pseudonyms.get(userId)!, persona }));
  const generalized = generalizePersonas(releasedPersonas, { k: options.k });
  const personaOf = new Map<string, TReleasedPersona>(generalized.rows.map((row) => [row.annotator, row.persona]));
  const textSubjects = await loadReleaseTextSubjects(db, annotators.map(({ userId }) => userId));
  const personaRules = new PersonaRuleCache();
  const textFilters = new Map<string, (text: string) => string>();
  const textFilterOf = (userId: string, annotator: string) => {
    let filter = textFilters.get(userId);
    if (!filter) {
      const subject = textSubjects.get(userId)!;
      filter = buildReleaseTextFilter({ identity: subject.identity, personas: subject.personas, released: personaOf.get(annotator)!, personaRules });
      textFilters.set(userId, filter);
    }
    return filter;
  };

  const writer = await createReleaseWriter(dir, { parquetRowGroupSize: options.parquetRowGroupSize ?? RELEASE_ROW_GROUP_SIZE, validateRows: options.validateRows });
  const training = openTrainingFiles(dir);
  const releasedAnnotators = new Set<string>();
  const models = new Set<string>();
  const mediaFiles: ReleaseFileEntry[] = [];
  const media = copyReleaseMedia(dir, options.mediaStorage);
  let rowCount = 0;
  try {
    for await (const page of streamReleaseBattles(db, criteria, new Set(pseudonyms.keys()), { pageSize: options.pageSize ?? RELEASE_PAGE_SIZE })) {
      options.signal?.throwIfAborted();
      const battles: TReleasedBattle[] = [];
      const wanted = new Map<string, string>();
      for (const raw of page) {
        if (raw.turns.length === 0) continue;
        const annotator = pseudonyms.get(raw.userId)!;
        const battleId = scope === undefined ? raw.publicId : releasedBattleId(raw.publicId, secret, scope);
        battles.push(
          assembleReleasedBattle(raw, {
            annotator,
            battleId,
            persona: personaOf.get(annotator)!,
            filterText: textFilterOf(raw.userId, annotator),
            includeMedia: (sha256, path) => wanted.set(sha256, path),
          }),
        );
      }
      const missing = await media.copy(wanted, mediaFiles);
      for (const battle of battles) {
        if (missing.size > 0) dropMissingMedia(battle, missing);
        await writer.write(battle);
        training.write(battle);
        rowCount += 1;
        releasedAnnotators.add(battle.annotator);
        models.add(battle.model_a).add(battle.model_b);
      }
    }
    if (rowCount === 0) throw new NothingToPublishError(period.version);
  } catch (error) {
    await writer.abort();
    training.discard();
    throw error;
  }
  const { files: battleFiles } = await writer.close();
  const dataFiles = [...battleFiles, ...training.close()];

  const { preference, kto, withoutPair, ties } = training.counts;
  const counts = {
    battles: rowCount,
    annotators: releasedAnnotators.size,
    models: models.size,
    training: { preference, kto, without_pair: withoutPair, ties },
  };
  // Votes of the living demo's simulated annotators (lib/server/services/demo-history.ts) are released like any other, and said to be simulated.
  const simulatedBattles = await db.vote.count({ where: { simulated: true, countsForRating: true, createdAt: { gte: criteria.start, lt: criteria.end } } });
  const window = { start: utcDay(period.start), end: utcDay(new Date(period.end.getTime() - DAY_MS)) };
  const { exact, generalized: generalizedCells, withheld, unanswered, exactOrOneLevelUp } = generalized.informationLoss;
  const personaCells = { exact, generalized: generalizedCells, withheld, unanswered, exact_or_one_level_up: exactOrOneLevelUp };
  const cardText = buildDatasetCard({ version: period.version, window, license: options.license.toLowerCase(), counts, k: options.k, schemaVersion: RELEASE_SCHEMA_VERSION, pseudonymScope, personaCells, simulatedBattles });
  const card = await writeHashedFile(join(dir, README_FILE), cardText, 0);
  const manifest = buildManifest({
    version: period.version,
    window,
    createdAt: options.now,
    license: options.license,
    k: options.k,
    counts,
    schemaVersion: RELEASE_SCHEMA_VERSION,
    pseudonymScope,
    personaCells,
    files: [...dataFiles, card, ...mediaFiles],
    simulatedBattles,
  });
  const manifestEntry = await writeHashedFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n", 0);
  return { files: [...dataFiles, card, manifestEntry], manifest, rowCount };
}

function dropMissingMedia(battle: TReleasedBattle, missing: ReadonlySet<string>): void {
  for (const turn of battle.turns) {
    for (const media of [turn.media_a, turn.media_b]) if (media?.file && missing.has(media.sha256)) delete media.file;
  }
}

async function writeHashedFile(path: string, text: string, rows: number): Promise<ReleaseFileEntry> {
  const file = await HashingFile.create(path);
  await file.write(Buffer.from(text, "utf8"));
  const bytes = file.bytes;
  return { name: path.slice(path.lastIndexOf("/") + 1), sha256: await file.close(), bytes, rows };
}

type ReleaseRow = Awaited<ReturnType<Db["release"]["findFirstOrThrow"]>>;

function toSummary(row: ReleaseRow): TReleaseSummary {
  return {
    version: row.version,
    status: row.status,
    windowStart: row.windowStart,
    windowEnd: row.windowEnd,
    rowCount: row.rowCount,
    kAnonymity: row.kAnonymity,
    files: Array.isArray(row.files) ? (row.files as unknown as TReleaseFile[]) : [],
    downloadCount: row.downloadCount,
    publishedAt: row.publishedAt,
    createdAt: row.createdAt,
    error: row.error,
    simulated: row.simulated,
  };
}

/** Published releases, newest window first; with `includeUnpublished` also failed and in-progress ones (admins). */
export async function listReleases(db: Db, { includeUnpublished = false } = {}): Promise<TReleaseSummary[]> {
  const rows = await db.release.findMany({
    where: includeUnpublished ? {} : { status: "published" },
    orderBy: [{ windowStart: "desc" }, { version: "desc" }],
    take: 500,
  });
  return rows.map(toSummary);
}

export async function getRelease(
  db: Db,
  version: string,
  { includeUnpublished = false, releaseDir }: { includeUnpublished?: boolean; releaseDir?: string } = {},
): Promise<TReleaseDetail | null> {
  const row = await db.release.findUnique({ where: { version } });
  if (!row || (!includeUnpublished && row.status !== "published")) return null;
  const summary = toSummary(row);
  let card: string | null = null;
  if (row.status === "published") {
    card = await readFile(join(releaseDirectory(row.version, releaseDir), README_FILE), "utf8").catch(() => null);
  }
  return { ...summary, manifest: (row.manifest as unknown as ReleaseManifest | null) ?? null, card };
}

/** Counts one download of a published release (a single atomic UPDATE, safe under concurrency). */
export async function countReleaseDownload(db: Db, version: string): Promise<void> {
  await db.release.updateMany({ where: { version, status: "published" }, data: { downloadCount: { increment: 1 } } });
}
