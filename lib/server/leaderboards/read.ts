import "server-only";
import { PROMPT_CATEGORIES, PROMPT_CATEGORY_LABELS } from "@/lib/domain/categories";
import { parseSegmentKey, personaSegmentConditions, personalSegmentCandidates, SEGMENT_VARIANT_PREFIX, segmentKey, segmentLabel } from "@/lib/domain/leaderboard/segments";
import { ZLeaderboardDataSchema, type TLeaderboardData } from "@/lib/domain/leaderboard/snapshot";
import type { TModality } from "@/lib/domain/vocabulary";
import { ZPersonaSchema } from "@/lib/domain/persona/schema";
import type { Db } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { overallRatings, segmentBoard } from "./boards";
import { boardSettings } from "./fit";
import { scheduleLeaderboardRecompute } from "./recompute";
import { refreshAggregates } from "./refresh";
import { globalForLeaderboards } from "./state";
import { CATEGORY_VARIANT_PREFIX, isLeaderboardVariant, OVERALL_VARIANT, segmentVariant, STYLE_VARIANT } from "./variants";
import { loadModelInfo } from "./vote-store";

/** The read API: stored leaderboards, and "for people like you" computed from the in-memory aggregate. */

/** "People like you" takes the most specific segment with at least this many votes. */
const PERSONAL_MIN_VOTES = 50;
const PERSONAL_CACHE_MS = 60_000;

export interface TLeaderboardView {
  data: TLeaderboardData | null;
  /** Segment variants stored for this modality, for the filter menu. */
  segments: { variant: string; label: string; voteCount: number }[];
  /** Category boards stored for this modality (text only), in PROMPT_CATEGORIES order. */
  categories: { variant: string; label: string; voteCount: number }[];
  hasStyle: boolean;
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
    categories: PROMPT_CATEGORIES.flatMap((category) => {
      const row = snapshots.find((candidate) => candidate.variant === `${CATEGORY_VARIANT_PREFIX}${category}`);
      return row ? [{ variant: row.variant, label: PROMPT_CATEGORY_LABELS[category], voteCount: row.voteCount }] : [];
    }),
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
 * segment has at least PERSONAL_MIN_VOTES votes, fitted as a stored segment board of that segment is
 * (shrunk toward the same overall ratings, with the same seed), then named for the user. Computed from
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

  const { state } = await refreshAggregates(db, now, { forceRebuild: false });
  const { aggregate } = state.modalities[modality];
  if (aggregate.voteCount === 0) return { data: null, reason: "not_enough_votes" };
  const info = await loadModelInfo(db);
  const settings = boardSettings();
  const globalRatings = overallRatings(aggregate.cells(), settings);
  for (const segment of personalSegmentCandidates(conditions)) {
    const cells = aggregate.segmentCells(segment);
    if (cells.total < PERSONAL_MIN_VOTES) continue;
    const board = segmentBoard({ modality, variant: segmentVariant(segment), label: segmentLabel(segment), computedAt: now }, cells, globalRatings, info, settings);
    const data = ZLeaderboardDataSchema.parse({ ...board, variant: `personal:${segmentKey(segment)}`, label: `People like you (${segmentLabel(segment)})` });
    cache.set(cacheKey, { at: now.getTime(), data });
    return { data, reason: null };
  }
  return { data: null, reason: "not_enough_votes" };
}
