import "server-only";
import { ModalityAggregate } from "@/lib/domain/leaderboard/aggregate";
import { ratingHistory } from "@/lib/domain/leaderboard/history";
import {
  parseSegmentKey,
  personaSegmentConditions,
  personalSegmentCandidates,
  SEGMENT_VARIANT_PREFIX,
  segmentKey,
  segmentLabel,
  singleConditionSegments,
  type TSegmentCondition,
} from "@/lib/domain/leaderboard/segments";
import { MODALITIES, ZLeaderboardDataSchema, type TLeaderboardData, type TLeaderboardRow, type TModality } from "@/lib/domain/leaderboard/snapshot";
import { ZPersonaSchema } from "@/lib/domain/persona/schema";
import { createRandom, seedFromString } from "@/lib/domain/random";
import {
  computeLeaderboard,
  computeStyleControlledRatings,
  countMarkdownStyle,
  rankUpperBounds,
  shrinkTowardGlobal,
  type BattleCells,
  type Leaderboard,
  type Outcome,
  type StyleCounts,
  type StyledBattle,
} from "@/lib/domain/rating";
import { env, isPostgres } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { registerBackgroundJob, type BackgroundJob } from "@/lib/server/jobs/registry";
import { AppError } from "@/lib/server/errors";

/**
 * Leaderboards, computed off the request path and served from LeaderboardSnapshot rows.
 *
 * Data flow: counted votes (countsForRating, annotator not excluded; deleted accounts' votes still
 * count) are fed IN TIME ORDER into one in-memory ModalityAggregate per modality (cells, online Elo,
 * cells per persona class and per day). A recomputation reads only the votes after the aggregate's
 * cursor, then fits every variant from the aggregated cells, never from raw votes:
 * - Elo is therefore online and incremental (LMArena's K=4 replay, exact in vote order);
 * - the aggregate is rebuilt from scratch on the first run of a process, when the set of excluded
 *   annotators changed, or when the number of counted votes up to the cursor changed (a vote was
 *   invalidated, deleted, or arrived with an older timestamp than the cursor);
 * - the persona of a vote is the annotator's persona version in force when the vote was cast.
 * Ratings never mix modalities: each modality has its own aggregate and snapshots.
 */

export const OVERALL_VARIANT = "overall";
export const STYLE_VARIANT = "style";
/** Single-condition segments with fewer votes are not stored (their ratings would be mostly prior). */
export const SEGMENT_MIN_VOTES = 50;
/** "People like you" takes the most specific segment with at least this many votes. */
export const PERSONAL_MIN_VOTES = 50;
/** Style control refits a per-battle model; it uses the most recent text votes, up to this many. */
export const STYLE_CONTROL_MAX_VOTES = 20_000;
/**
 * Style coefficients describe the whole population of text votes; a few hundred new ones do not
 * move them, so the style variant is refitted only after this many new text votes (or a rebuild).
 */
export const STYLE_REFIT_MIN_NEW_VOTES = 500;
const SEGMENT_BOOTSTRAP_ROUNDS = 100;
const FULL_REBUILD_WINDOW_MS = 7 * 86_400_000;
const PERSONAL_CACHE_MS = 60_000;

export type TLeaderboardVariant = string;

interface ModalityCursor {
  /** createdAt (ms) of the newest vote fed, null before the first. */
  time: number | null;
  /** Ids of the fed votes with exactly `time`, so equal timestamps are neither skipped nor fed twice. */
  idsAtTime: Set<string>;
  /** Counted votes (excluded annotators included) with createdAt ≤ time when last checked. */
  countedThrough: number;
}

interface AggregateState {
  /** Text votes in the aggregate when style control was last fitted; null before the first fit. */
  styleFittedAt: number | null;
  excludedFingerprint: string;
  excludedUsers: Set<string>;
  modalities: Record<TModality, { aggregate: ModalityAggregate; cursor: ModalityCursor }>;
}

interface PersonaTimeline {
  /** Ascending by time: the persona class in force from `since` on. */
  versions: { since: number; personaClass: string }[];
}

const globalForLeaderboards = globalThis as unknown as {
  leaderboardState?: WeakMap<object, AggregateState>;
  leaderboardRecompute?: { timer: ReturnType<typeof setTimeout> | null; running: Promise<unknown> | null; dirty: boolean };
  personalCache?: Map<string, { at: number; data: TLeaderboardData }>;
};
const states = (globalForLeaderboards.leaderboardState ??= new WeakMap());

function emptyState(excludedFingerprint: string, excludedUsers: Set<string>): AggregateState {
  const modalities = Object.fromEntries(
    MODALITIES.map((modality) => [modality, { aggregate: new ModalityAggregate(), cursor: { time: null, idsAtTime: new Set<string>(), countedThrough: 0 } }]),
  ) as AggregateState["modalities"];
  return { styleFittedAt: null, excludedFingerprint, excludedUsers, modalities };
}

async function loadExcludedUsers(db: Db): Promise<{ fingerprint: string; users: Set<string> }> {
  const rows = await db.user.findMany({ where: { votesExcludedAt: { not: null } }, select: { id: true }, orderBy: { id: "asc" } });
  const ids = rows.map((row) => row.id);
  return { fingerprint: `${ids.length}:${seedFromString(ids.join(","))}`, users: new Set(ids) };
}

async function loadPersonaTimelines(db: Db): Promise<Map<string, PersonaTimeline>> {
  const rows = await db.personaVersion.findMany({ select: { userId: true, createdAt: true, data: true }, orderBy: [{ userId: "asc" }, { createdAt: "asc" }] });
  const timelines = new Map<string, PersonaTimeline>();
  for (const row of rows) {
    const parsed = ZPersonaSchema.safeParse(row.data);
    const personaClass = parsed.success ? segmentKey(personaSegmentConditions(parsed.data)) : "";
    let timeline = timelines.get(row.userId);
    if (!timeline) timelines.set(row.userId, (timeline = { versions: [] }));
    timeline.versions.push({ since: row.createdAt.getTime(), personaClass });
  }
  return timelines;
}

function personaClassAt(timelines: Map<string, PersonaTimeline>, userId: string, time: number): string {
  const versions = timelines.get(userId)?.versions;
  if (!versions) return "";
  let personaClass = "";
  for (const version of versions) {
    if (version.since > time) break;
    personaClass = version.personaClass;
  }
  // A vote cast before the first persona (should not happen) is attributed to the first one.
  return personaClass || versions[0].personaClass;
}

const countedVoteWhere = (modality: TModality) => ({ modality, countsForRating: true });

async function countCountedThrough(db: Db, modality: TModality, time: number | null): Promise<number> {
  if (time === null) return 0;
  return db.vote.count({ where: { ...countedVoteWhere(modality), createdAt: { lte: new Date(time) } } });
}

interface WindowVote {
  id: string;
  time: number;
  modelAId: string;
  modelBId: string;
  outcome: string;
  userId: string;
}

/**
 * Counted votes with createdAt in [from, to), ordered by (createdAt, id). On SQLite the rows come
 * back as ONE string built by group_concat: turning each row into a Prisma object costs ~5× more
 * than the query itself, which dominates a rebuild from a million votes. Ids, model ids and
 * outcomes contain no spaces or newlines; the timestamp comes last, so it may hold a space.
 */
async function readVoteWindow(db: Db, modality: TModality, from: Date, to: Date): Promise<WindowVote[]> {
  if (isPostgres) {
    const votes = await db.vote.findMany({
      where: { ...countedVoteWhere(modality), createdAt: { gte: from, lt: to } },
      select: { id: true, createdAt: true, modelAId: true, modelBId: true, outcome: true, userId: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return votes.map((vote) => ({ ...vote, time: vote.createdAt.getTime() }));
  }
  const [packed] = await db.$queryRaw<{ rows: string | null }[]>`
    SELECT group_concat(row, char(10)) AS "rows" FROM (
      SELECT "id" || ' ' || "modelAId" || ' ' || "modelBId" || ' ' || "outcome" || ' ' || "userId" || ' ' || "createdAt" AS row
      FROM "Vote"
      WHERE "modality" = ${modality} AND "countsForRating" = true AND "createdAt" >= ${from} AND "createdAt" < ${to}
    )`;
  if (!packed?.rows) return [];
  const votes = packed.rows.split("\n").map((line): WindowVote => {
    const [id, modelAId, modelBId, outcome, userId, ...createdAt] = line.split(" ");
    return { id, time: Date.parse(createdAt.join(" ")), modelAId, modelBId, outcome, userId };
  });
  return votes.sort((x, y) => x.time - y.time || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** Feeds the counted votes after the cursor into the aggregate, in (createdAt, id) order, by time windows. */
async function feedNewVotes(
  db: Db,
  modality: TModality,
  entry: AggregateState["modalities"][TModality],
  excludedUsers: Set<string>,
  timelines: Map<string, PersonaTimeline>,
  until: Date,
): Promise<number> {
  const { aggregate, cursor } = entry;
  let from = cursor.time;
  if (from === null) {
    const first = await db.vote.findFirst({ where: countedVoteWhere(modality), orderBy: { createdAt: "asc" }, select: { createdAt: true } });
    if (!first) return 0;
    from = first.createdAt.getTime();
  }
  let fed = 0;
  let windowStart: number | null = from;
  while (windowStart !== null && windowStart <= until.getTime()) {
    const windowEnd = Math.min(windowStart + FULL_REBUILD_WINDOW_MS, until.getTime() + 1);
    const votes = await readVoteWindow(db, modality, new Date(windowStart), new Date(windowEnd));
    for (const vote of votes) {
      const { time } = vote;
      if (cursor.time !== null && time === cursor.time && cursor.idsAtTime.has(vote.id)) continue;
      if (cursor.time === null || time > cursor.time) {
        cursor.time = time;
        cursor.idsAtTime = new Set();
      }
      cursor.idsAtTime.add(vote.id);
      cursor.countedThrough += 1;
      if (excludedUsers.has(vote.userId)) continue;
      aggregate.addVote({
        modelA: vote.modelAId,
        modelB: vote.modelBId,
        outcome: vote.outcome as Outcome,
        day: new Date(time).toISOString().slice(0, 10),
        personaClass: personaClassAt(timelines, vote.userId, time),
      });
      fed += 1;
    }
    // Jump over stretches without votes instead of querying empty windows.
    const next = await db.vote.findFirst({
      where: { ...countedVoteWhere(modality), createdAt: { gte: new Date(windowEnd), lte: until } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    });
    windowStart = next ? next.createdAt.getTime() : null;
  }
  return fed;
}

/**
 * Brings the in-memory aggregates up to date with the database (see the module comment for when
 * they are rebuilt). Returns whether a full rebuild happened.
 */
function refreshAggregates(db: Db, now: Date, forceRebuild: boolean): Promise<{ state: AggregateState; rebuilt: boolean }> {
  // One refresh at a time: two concurrent feeders would both feed the votes after the same cursor.
  const run = refreshQueue.then(() => refreshAggregatesNow(db, now, forceRebuild));
  refreshQueue = run.catch(() => undefined);
  return run;
}
let refreshQueue: Promise<unknown> = Promise.resolve();

async function refreshAggregatesNow(db: Db, now: Date, forceRebuild: boolean): Promise<{ state: AggregateState; rebuilt: boolean }> {
  const excluded = await loadExcludedUsers(db);
  const timelines = await loadPersonaTimelines(db);
  let state = states.get(db);
  let rebuilt = forceRebuild || !state || state.excludedFingerprint !== excluded.fingerprint;
  if (!rebuilt && state) {
    for (const modality of MODALITIES) {
      const { cursor } = state.modalities[modality];
      if ((await countCountedThrough(db, modality, cursor.time)) !== cursor.countedThrough) rebuilt = true;
    }
  }
  if (rebuilt || !state) {
    state = emptyState(excluded.fingerprint, excluded.users);
    states.set(db, state);
  }
  for (const modality of MODALITIES) {
    await feedNewVotes(db, modality, state.modalities[modality], state.excludedUsers, timelines, now);
  }
  return { state, rebuilt };
}

interface ModelInfo {
  slug: string;
  displayName: string;
  organizationId: string | null;
  organizationName: string | null;
}

async function loadModelInfo(db: Db): Promise<Map<string, ModelInfo>> {
  const models = await db.arenaModel.findMany({
    select: { id: true, slug: true, displayName: true, organizationId: true, organization: { select: { name: true } } },
  });
  return new Map(
    models.map((model) => [
      model.id,
      { slug: model.slug, displayName: model.displayName, organizationId: model.organizationId, organizationName: model.organization.name },
    ]),
  );
}

function toRows(
  models: { model: string; rating: number; ciLower: number; ciUpper: number; rankUb: number; votes: number; wins: number; losses: number; ties: number; elo: number | null }[],
  info: Map<string, ModelInfo>,
): TLeaderboardRow[] {
  const minVotes = env.PROVISIONAL_MIN_VOTES;
  return models
    .filter((entry) => entry.votes > 0)
    .map((entry) => {
      const model = info.get(entry.model);
      return {
        rank: entry.rankUb,
        modelId: entry.model,
        slug: model?.slug ?? entry.model,
        displayName: model?.displayName ?? entry.model,
        organizationId: model?.organizationId ?? null,
        organizationName: model?.organizationName ?? null,
        rating: entry.rating,
        ciLower: entry.ciLower,
        ciUpper: entry.ciUpper,
        votes: entry.votes,
        wins: entry.wins,
        losses: entry.losses,
        ties: entry.ties,
        provisional: entry.votes < minVotes,
        elo: entry.elo,
      };
    });
}

function matrixOf(leaderboard: Leaderboard, rows: TLeaderboardRow[]): TLeaderboardData["matrix"] {
  const position = new Map(leaderboard.modelOrder.map((model, index) => [model, index]));
  const ids = rows.map((row) => row.modelId);
  return {
    modelIds: ids,
    winRate: ids.map((a) => ids.map((b) => leaderboard.winRate[position.get(a)!][position.get(b)!])),
    counts: ids.map((a) => ids.map((b) => leaderboard.counts[position.get(a)!][position.get(b)!])),
  };
}

interface VariantInput {
  modality: TModality;
  variant: string;
  label: string;
  computedAt: Date;
  cells: BattleCells;
  aggregate: ModalityAggregate;
  info: Map<string, ModelInfo>;
}

function overallData({ modality, variant, label, computedAt, cells, aggregate, info }: VariantInput): TLeaderboardData {
  const leaderboard = computeLeaderboard(cells, { bootstrapRounds: env.LEADERBOARD_BOOTSTRAP_ROUNDS, seed: seedFromString(`${modality}:${variant}`) });
  const elo = aggregate.eloRatings();
  const rows = toRows(leaderboard.models.map((entry) => ({ ...entry, elo: elo[entry.model] ?? null })), info);
  return {
    modality,
    variant,
    label,
    computedAt: computedAt.toISOString(),
    voteCount: cells.total,
    rows,
    matrix: matrixOf(leaderboard, rows),
    history: ratingHistory(aggregate.cellsByDay()),
    votesByDay: aggregate.votesByDay(),
    shrinkStrength: null,
    styleCoefficients: null,
  };
}

/**
 * A segment's leaderboard: ratings shrunk toward the global ones (λ by held-out likelihood); the
 * intervals are the segment's own bootstrap widths centred on the shrunk rating (conservative:
 * shrinkage only narrows them), ranks recomputed from those intervals.
 */
function segmentData(input: VariantInput, globalRatings: Record<string, number>): TLeaderboardData {
  const { modality, variant, label, computedAt, cells, info } = input;
  const plain = computeLeaderboard(cells, { bootstrapRounds: SEGMENT_BOOTSTRAP_ROUNDS, seed: seedFromString(`${modality}:${variant}`) });
  const shrunk = shrinkTowardGlobal(cells, globalRatings, undefined, { random: createRandom(seedFromString(`shrink:${modality}:${variant}`)) });
  const played = plain.models.filter((entry) => entry.votes > 0);
  const lower = Float64Array.from(played, (entry) => shrunk.ratings[entry.model] - (entry.rating - entry.ciLower));
  const upper = Float64Array.from(played, (entry) => shrunk.ratings[entry.model] + (entry.ciUpper - entry.rating));
  const ranks = rankUpperBounds(lower, upper, new Int32Array(played.length));
  const entries = played
    .map((entry, k) => ({ ...entry, rating: shrunk.ratings[entry.model], ciLower: lower[k], ciUpper: upper[k], rankUb: ranks[k], elo: null }))
    .sort((x, y) => y.rating - x.rating || (x.model < y.model ? -1 : 1));
  const rows = toRows(entries, info);
  return {
    modality,
    variant,
    label,
    computedAt: computedAt.toISOString(),
    voteCount: cells.total,
    rows,
    matrix: matrixOf(plain, rows),
    history: [],
    votesByDay: [],
    shrinkStrength: shrunk.strength,
    styleCoefficients: null,
  };
}

interface StyleRow {
  voteId: string;
  modelAId: string;
  modelBId: string;
  outcome: Outcome;
  userId: string;
  side: "a" | "b";
  styleFeatures: unknown;
  text: string | null;
}

function toStyleCounts(features: unknown, text: string | null): StyleCounts {
  const parsed = typeof features === "string" ? (JSON.parse(features) as unknown) : features;
  if (parsed && typeof parsed === "object") {
    const record = parsed as Record<string, unknown>;
    const number = (key: string) => (typeof record[key] === "number" ? (record[key] as number) : 0);
    return { tokens: number("tokens"), headers: number("headers"), lists: number("lists"), bold: number("bold") };
  }
  return countMarkdownStyle(text ?? "");
}

/** The most recent counted text votes with both sides' style (summed over turns). */
async function loadStyledBattles(db: Db, excludedUsers: Set<string>): Promise<StyledBattle[]> {
  const cutoff = await db.vote.findMany({
    where: countedVoteWhere("text"),
    orderBy: { createdAt: "desc" },
    skip: STYLE_CONTROL_MAX_VOTES - 1,
    take: 1,
    select: { createdAt: true },
  });
  const since = cutoff[0]?.createdAt ?? new Date(0);
  const rows = await db.$queryRaw<StyleRow[]>`
    SELECT v."id" AS "voteId", v."modelAId", v."modelBId", v."outcome", v."userId", r."side", r."styleFeatures",
           CASE WHEN r."styleFeatures" IS NULL THEN r."text" END AS "text"
    FROM "Vote" v
    JOIN "Turn" t ON t."battleId" = v."battleId"
    JOIN "Response" r ON r."turnId" = t."id"
    WHERE v."modality" = 'text' AND v."countsForRating" = true AND v."createdAt" >= ${since}`;
  const byVote = new Map<string, StyledBattle>();
  for (const row of rows) {
    if (excludedUsers.has(row.userId)) continue;
    let battle = byVote.get(row.voteId);
    if (!battle) {
      const zero = () => ({ tokens: 0, headers: 0, lists: 0, bold: 0 });
      battle = { modelA: row.modelAId, modelB: row.modelBId, outcome: row.outcome, styleA: zero(), styleB: zero() };
      byVote.set(row.voteId, battle);
    }
    const counts = toStyleCounts(row.styleFeatures, row.text);
    const target = row.side === "a" ? battle.styleA : battle.styleB;
    target.tokens += counts.tokens;
    target.headers += counts.headers;
    target.lists += counts.lists;
    target.bold += counts.bold;
  }
  return [...byVote.values()];
}

/**
 * Style-controlled leaderboard: contextual BT (length and markdown differences as covariates) on
 * the most recent styled text votes. Intervals are the plain bootstrap widths of the same votes,
 * centred on the style-controlled rating.
 */
function styleData(input: VariantInput, battles: StyledBattle[]): TLeaderboardData | null {
  if (battles.length === 0) return null;
  const { modality, variant, label, computedAt, info } = input;
  const styled = computeStyleControlledRatings(battles);
  const plain = computeLeaderboard(battles, { bootstrapRounds: SEGMENT_BOOTSTRAP_ROUNDS, seed: seedFromString(`${modality}:${variant}`) });
  const lower = Float64Array.from(plain.models, (entry) => styled.ratings[entry.model] - (entry.rating - entry.ciLower));
  const upper = Float64Array.from(plain.models, (entry) => styled.ratings[entry.model] + (entry.ciUpper - entry.rating));
  const groups = new Int32Array(plain.models.map((entry) => entry.group));
  const ranks = rankUpperBounds(lower, upper, groups);
  const entries = plain.models
    .map((entry, k) => ({ ...entry, rating: styled.ratings[entry.model], ciLower: lower[k], ciUpper: upper[k], rankUb: ranks[k], elo: null }))
    .sort((x, y) => x.group - y.group || y.rating - x.rating || (x.model < y.model ? -1 : 1));
  const rows = toRows(entries, info);
  return {
    modality,
    variant,
    label,
    computedAt: computedAt.toISOString(),
    voteCount: battles.length,
    rows,
    matrix: matrixOf(plain, rows),
    history: [],
    votesByDay: [],
    shrinkStrength: null,
    styleCoefficients: styled.coefficients,
  };
}

export const segmentVariant = (conditions: readonly TSegmentCondition[]) => `${SEGMENT_VARIANT_PREFIX}${segmentKey(conditions)}`;

export interface TRecomputeResult {
  snapshots: number;
  rebuilt: boolean;
  /** "replay": online Elo replayed from the first vote; "incremental": only new votes were fed. */
  eloMode: "replay" | "incremental";
  voteCounts: Record<TModality, number>;
  seconds: number;
  /** Seconds per phase: reading votes into the aggregates, fitting, style control, storing. */
  phases: { aggregate: number; fit: number; style: number; store: number };
}

/**
 * Recomputes and stores every leaderboard snapshot: per modality "overall", "style" (text) and one
 * "segment:<key>" per single-condition persona segment with at least SEGMENT_MIN_VOTES votes;
 * snapshots of variants that no longer qualify are deleted. Style control is refitted only after
 * STYLE_REFIT_MIN_NEW_VOTES new text votes. Also clears the personal cache.
 */
export async function computeAndStoreLeaderboards(db: Db, options: { now?: Date; rebuild?: boolean } = {}): Promise<TRecomputeResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const phases = { aggregate: 0, fit: 0, style: 0, store: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof phases) => {
    const at = performance.now();
    phases[phase] += (at - mark) / 1000;
    mark = at;
  };
  const { state, rebuilt } = await refreshAggregates(db, now, options.rebuild ?? false);
  lap("aggregate");
  const info = await loadModelInfo(db);
  const voteCounts = {} as Record<TModality, number>;
  let snapshots = 0;
  for (const modality of MODALITIES) {
    const { aggregate } = state.modalities[modality];
    voteCounts[modality] = aggregate.voteCount;
    const stored: TLeaderboardData[] = [];
    /** Variants left as they are in the database this time. */
    const kept: string[] = [];
    if (aggregate.voteCount > 0) {
      const cells = aggregate.cells();
      const base = { modality, computedAt: now, aggregate, info };
      const overall = overallData({ ...base, variant: OVERALL_VARIANT, label: "Overall", cells });
      stored.push(overall);
      const globalRatings = Object.fromEntries(overall.rows.map((row) => [row.modelId, row.rating]));
      for (const segment of singleConditionSegments()) {
        const segmentCells = aggregate.segmentCells(segment);
        if (segmentCells.total < SEGMENT_MIN_VOTES) continue;
        stored.push(segmentData({ ...base, variant: segmentVariant(segment), label: segmentLabel(segment), cells: segmentCells }, globalRatings));
      }
      lap("fit");
      if (modality === "text") {
        const due = state.styleFittedAt === null || aggregate.voteCount - state.styleFittedAt >= STYLE_REFIT_MIN_NEW_VOTES;
        if (due) {
          const style = styleData({ ...base, variant: STYLE_VARIANT, label: "Style control", cells }, await loadStyledBattles(db, state.excludedUsers));
          if (style) stored.push(style);
          state.styleFittedAt = aggregate.voteCount;
        } else kept.push(STYLE_VARIANT);
        lap("style");
      }
    }
    await db.$transaction([
      db.leaderboardSnapshot.deleteMany({ where: { modality, variant: { notIn: [...stored.map((data) => data.variant), ...kept] } } }),
      ...stored.map((data) => {
        const validated = ZLeaderboardDataSchema.parse(data);
        const row = { computedAt: now, voteCount: validated.voteCount, data: validated };
        return db.leaderboardSnapshot.upsert({
          where: { modality_variant: { modality, variant: validated.variant } },
          create: { modality, variant: validated.variant, ...row },
          update: row,
        });
      }),
    ]);
    snapshots += stored.length;
    lap("store");
  }
  globalForLeaderboards.personalCache?.clear();
  return { snapshots, rebuilt, eloMode: rebuilt ? "replay" : "incremental", voteCounts, seconds: (performance.now() - started) / 1000, phases };
}

const recompute = (globalForLeaderboards.leaderboardRecompute ??= { timer: null, running: null, dirty: false });

/**
 * Asks for a recomputation after new votes: debounced by LEADERBOARD_DEBOUNCE_MS so a burst of
 * votes costs one run, never concurrent with another run in this process (a request during a run
 * schedules one more). Returns at once; failures are logged, the next vote or job retries.
 */
export function scheduleLeaderboardRecompute(db?: Db): void {
  recompute.dirty = true;
  if (recompute.timer) return;
  recompute.timer = setTimeout(() => {
    recompute.timer = null;
    void runScheduledRecompute(db);
  }, env.LEADERBOARD_DEBOUNCE_MS);
  recompute.timer.unref?.();
}

async function runScheduledRecompute(db?: Db): Promise<void> {
  if (recompute.running) {
    await recompute.running.catch(() => undefined);
    if (recompute.timer) return;
  }
  if (!recompute.dirty) return;
  recompute.dirty = false;
  const database = db ?? (await import("@/lib/server/db")).db;
  recompute.running = computeAndStoreLeaderboards(database).catch((error: unknown) => {
    console.error("[leaderboards] recomputation failed", error);
  });
  await recompute.running;
  recompute.running = null;
  if (recompute.dirty && !recompute.timer) scheduleLeaderboardRecompute(db);
}

/**
 * Background job body: recomputes when there is no snapshot yet or when counted votes were cast
 * after the newest snapshot (covers start-up and votes taken by another instance).
 */
export async function recomputeLeaderboardsIfStale(db: Db, now: Date = new Date()): Promise<boolean> {
  const newest = await db.leaderboardSnapshot.findFirst({ orderBy: { computedAt: "desc" }, select: { computedAt: true } });
  const newer = await db.vote.findFirst({ where: { countsForRating: true, ...(newest ? { createdAt: { gt: newest.computedAt } } : {}) }, select: { id: true } });
  if (!newer) return false;
  await computeAndStoreLeaderboards(db, { now });
  return true;
}

/**
 * Recomputes on start and every minute when stale, once across instances. Registered when this
 * module loads, so lib/server/jobs/catalog.ts only needs `import "@/lib/server/services/leaderboards"`.
 */
export const LEADERBOARD_JOB: BackgroundJob = {
  name: "leaderboards:recompute",
  intervalMs: 60_000,
  run: ({ db, now }) => recomputeLeaderboardsIfStale(db, now).then(() => undefined),
};
registerBackgroundJob(LEADERBOARD_JOB);

export interface TLeaderboardView {
  data: TLeaderboardData | null;
  /** Segment variants stored for this modality, for the filter menu. */
  segments: { variant: string; label: string; voteCount: number }[];
  hasStyle: boolean;
}

const ZVariantSchema = (variant: string) =>
  variant === OVERALL_VARIANT ||
  variant === STYLE_VARIANT ||
  (variant.startsWith(SEGMENT_VARIANT_PREFIX) && parseSegmentKey(variant.slice(SEGMENT_VARIANT_PREFIX.length)) !== null);

/** Whether `variant` names a leaderboard variant ("overall", "style" or "segment:<key>"). */
export function isLeaderboardVariant(variant: string): boolean {
  return ZVariantSchema(variant);
}

/**
 * The stored leaderboard of one modality and variant (null when none was computed: no votes yet,
 * or a segment too small), with the list of available variants. Asks for a recomputation when
 * votes exist but no snapshot does (first start).
 */
export async function getLeaderboard(db: Db, modality: TModality, variant: string = OVERALL_VARIANT): Promise<TLeaderboardView> {
  if (!isLeaderboardVariant(variant)) throw new AppError("BAD_REQUEST", `Unknown leaderboard variant "${variant}".`);
  const snapshots = await db.leaderboardSnapshot.findMany({ where: { modality }, select: { variant: true, voteCount: true } });
  const snapshot = await db.leaderboardSnapshot.findUnique({ where: { modality_variant: { modality, variant } }, select: { data: true } });
  if (snapshots.length === 0 && (await db.vote.findFirst({ where: { modality, countsForRating: true }, select: { id: true } }))) {
    scheduleLeaderboardRecompute();
  }
  const data = snapshot ? ZLeaderboardDataSchema.parse(snapshot.data) : null;
  return {
    data,
    segments: snapshots
      .filter((row) => row.variant.startsWith(SEGMENT_VARIANT_PREFIX))
      .map((row) => ({ variant: row.variant, label: segmentLabel(parseSegmentKey(row.variant.slice(SEGMENT_VARIANT_PREFIX.length)) ?? []), voteCount: row.voteCount }))
      .sort((x, y) => (x.variant < y.variant ? -1 : 1)),
    hasStyle: snapshots.some((row) => row.variant === STYLE_VARIANT),
  };
}

export interface TPersonalLeaderboard {
  data: TLeaderboardData | null;
  /** Why there is none: no persona, or no matching segment with enough votes. */
  reason: "no_persona" | "not_enough_votes" | null;
}

/**
 * "For people like you": the most specific combination of the user's persona conditions whose
 * segment has at least PERSONAL_MIN_VOTES votes, shrunk toward the global ratings. Computed from
 * the in-memory aggregate (refreshed first) and cached for a minute per user and modality.
 */
export async function getPersonalLeaderboard(db: Db, userId: string, modality: TModality, now: Date = new Date()): Promise<TPersonalLeaderboard> {
  const persona = await db.personaVersion.findFirst({ where: { userId }, orderBy: { version: "desc" }, select: { data: true } });
  const parsed = persona ? ZPersonaSchema.safeParse(persona.data) : null;
  const conditions = parsed?.success ? personaSegmentConditions(parsed.data) : [];
  if (conditions.length === 0) return { data: null, reason: "no_persona" };

  const cache = (globalForLeaderboards.personalCache ??= new Map());
  const cacheKey = `${modality}|${segmentKey(conditions)}`;
  const cached = cache.get(cacheKey);
  if (cached && now.getTime() - cached.at < PERSONAL_CACHE_MS) return { data: cached.data, reason: null };

  const { state } = await refreshAggregates(db, now, false);
  const { aggregate } = state.modalities[modality];
  if (aggregate.voteCount === 0) return { data: null, reason: "not_enough_votes" };
  const info = await loadModelInfo(db);
  const overall = computeLeaderboard(aggregate.cells(), { bootstrapRounds: 0 });
  const globalRatings = Object.fromEntries(overall.models.map((entry) => [entry.model, entry.rating]));
  for (const segment of personalSegmentCandidates(conditions)) {
    const cells = aggregate.segmentCells(segment);
    if (cells.total < PERSONAL_MIN_VOTES) continue;
    const data = ZLeaderboardDataSchema.parse(
      segmentData(
        { modality, variant: `personal:${segmentKey(segment)}`, label: `People like you (${segmentLabel(segment)})`, computedAt: now, cells, aggregate, info },
        globalRatings,
      ),
    );
    cache.set(cacheKey, { at: now.getTime(), data });
    return { data, reason: null };
  }
  return { data: null, reason: "not_enough_votes" };
}

/** Test hook: forgets the in-memory aggregates and personal cache of `db`. */
export function forgetLeaderboardState(db: Db): void {
  states.delete(db);
  globalForLeaderboards.personalCache?.clear();
}
