import "server-only";
import { getLift, type TModelLiftRow } from "@/lib/server/leaderboards/lift";
import { scrubText } from "@/lib/domain/anonymization/scrub";
import { canAccessOrganization, isRole, type TOrganizationActor } from "@/lib/domain/auth/roles";
import { outcomeToFastChatWinner } from "@/lib/domain/battle/outcomes";
import type { TRatingCheckpoint } from "@/lib/domain/leaderboard/history";
import { ZLeaderboardDataSchema, type TLeaderboardData, type TLeaderboardRow } from "@/lib/domain/leaderboard/snapshot";
import { MODALITIES, type TFastChatWinner, type TModality } from "@/lib/domain/vocabulary";
import type { Db } from "@/lib/server/db";
import { AppError, forbidden } from "@/lib/server/errors";
import { OVERALL_VARIANT } from "@/lib/server/leaderboards/variants";
import { dashboardStore } from "@/lib/server/store/dashboard-store";

/**
 * The model-owner dashboard: everything about one organization's models, for its model owners and
 * for admins. Every entry point checks access with `assertOrganizationAccess` first.
 */

export interface TActorUser {
  id: string;
  role: string;
}

async function loadOrganizationActor(db: Db, user: TActorUser): Promise<TOrganizationActor> {
  const memberships = await db.membership.findMany({ where: { userId: user.id }, select: { organizationId: true } });
  return { role: isRole(user.role) ? user.role : "guest", memberships };
}

/** Throws FORBIDDEN unless the user is an admin or a model owner who belongs to the organization. */
async function assertOrganizationAccess(db: Db, user: TActorUser, organizationId: string): Promise<void> {
  const actor = await loadOrganizationActor(db, user);
  if (!canAccessOrganization(actor, organizationId)) throw forbidden("You can only see the dashboard of your own organization.");
}

/** Organizations the user may open: all of them for admins, their memberships for model owners. */
export async function listDashboardOrganizations(db: Db, user: TActorUser): Promise<{ id: string; name: string; slug: string }[]> {
  const actor = await loadOrganizationActor(db, user);
  const all = await db.organization.findMany({ select: { id: true, name: true, slug: true }, orderBy: { name: "asc" } });
  return all.filter((organization) => canAccessOrganization(actor, organization.id));
}

interface TOwnerModel {
  modelId: string;
  slug: string;
  displayName: string;
  modality: TModality;
  /** The model's row in the overall leaderboard, null before its first counted vote. */
  current: TLeaderboardRow | null;
  history: { day: string; rating: number; lower: number | null; upper: number | null }[];
  opponents: { modelId: string; displayName: string; winRate: number | null; battles: number }[];
  segments: { variant: string; label: string; rating: number; ciLower: number; ciUpper: number; votes: number; rank: number | null }[];
  votesByDay: { day: string; votes: number }[];
  /** Personalization lift (win-rate points, personalized minus generic answers), null before experiment votes. */
  lift: { lift: number; lower: number | null; upper: number | null; experimentBattles: number } | null;
}

interface TOwnerFeedback {
  at: string;
  modelId: string;
  modelName: string;
  /** The vote's outcome for this model. */
  result: "won" | "lost" | "tie" | "both_bad";
  text: string;
}

export interface TOwnerDashboard {
  organization: { id: string; name: string };
  models: TOwnerModel[];
  feedback: TOwnerFeedback[];
  computedAt: string | null;
}

const FEEDBACK_LIMIT = 30;
const VOTES_PER_DAY_WINDOW_DAYS = 90;

function historyOf(checkpoints: TRatingCheckpoint[], modelId: string): TOwnerModel["history"] {
  return checkpoints.flatMap((checkpoint) => {
    const entry = checkpoint.ratings[modelId];
    return entry ? [{ day: checkpoint.day, rating: entry.rating, lower: entry.lower, upper: entry.upper }] : [];
  });
}

function opponentsOf(data: TLeaderboardData, modelId: string): TOwnerModel["opponents"] {
  const index = data.matrix.modelIds.indexOf(modelId);
  if (index < 0) return [];
  const names = new Map(data.rows.map((row) => [row.modelId, row.displayName]));
  return data.matrix.modelIds
    .map((opponentId, j) => ({ modelId: opponentId, displayName: names.get(opponentId) ?? opponentId, winRate: data.matrix.winRate[index][j], battles: data.matrix.counts[index][j] }))
    .filter((opponent) => opponent.modelId !== modelId && opponent.battles > 0);
}

/** Votes per UTC day on the given models (either side) over the last 90 days, aggregated in SQL. */
async function votesPerDay(db: Db, modelIds: string[], now: Date): Promise<Map<string, { day: string; votes: number }[]>> {
  const result = new Map<string, { day: string; votes: number }[]>(modelIds.map((id) => [id, []]));
  if (modelIds.length === 0) return result;
  const since = new Date(now.getTime() - VOTES_PER_DAY_WINDOW_DAYS * 86_400_000);
  const rows = await dashboardStore(db).votesPerDay(modelIds, since);
  for (const row of rows) result.get(row.modelId)?.push({ day: row.day, votes: Number(row.votes) });
  return result;
}

function outcomeFor(outcome: string, side: "a" | "b"): TOwnerFeedback["result"] {
  if (outcome === "tie" || outcome === "both_bad") return outcome;
  return (outcome === "model_a") === (side === "a") ? "won" : "lost";
}

/** Recent written feedback about the organization's models, scrubbed of personal data. */
async function recentFeedback(db: Db, models: Map<string, string>): Promise<TOwnerFeedback[]> {
  const ids = [...models.keys()];
  if (ids.length === 0) return [];
  const votes = await db.vote.findMany({
    where: {
      OR: [
        { modelAId: { in: ids }, OR: [{ feedbackA: { not: null } }, { feedbackGeneral: { not: null } }] },
        { modelBId: { in: ids }, OR: [{ feedbackB: { not: null } }, { feedbackGeneral: { not: null } }] },
      ],
    },
    orderBy: { createdAt: "desc" },
    take: FEEDBACK_LIMIT,
    select: { createdAt: true, modelAId: true, modelBId: true, outcome: true, feedbackA: true, feedbackB: true, feedbackGeneral: true },
  });
  const feedback: TOwnerFeedback[] = [];
  for (const vote of votes) {
    let generalShown = false;
    for (const side of ["a", "b"] as const) {
      const modelId = side === "a" ? vote.modelAId : vote.modelBId;
      const modelName = models.get(modelId);
      if (!modelName) continue;
      const general = generalShown ? null : vote.feedbackGeneral;
      generalShown = true;
      const texts = [side === "a" ? vote.feedbackA : vote.feedbackB, general].filter((text): text is string => !!text && text.trim().length > 0);
      for (const text of texts) {
        feedback.push({ at: vote.createdAt.toISOString(), modelId, modelName, result: outcomeFor(vote.outcome, side), text: scrubText(text.trim()).text });
      }
    }
  }
  return feedback.slice(0, FEEDBACK_LIMIT);
}

/** The dashboard of one organization; FORBIDDEN for anyone but its model owners and admins. */
function liftOf(row: TModelLiftRow | undefined): TOwnerModel["lift"] {
  return row && row.lift !== null ? { lift: row.lift, lower: row.lower, upper: row.upper, experimentBattles: row.experimentBattles } : null;
}

export async function getOwnerDashboard(db: Db, user: TActorUser, organizationId: string, now: Date = new Date()): Promise<TOwnerDashboard> {
  await assertOrganizationAccess(db, user, organizationId);
  const organization = await db.organization.findUnique({ where: { id: organizationId }, select: { id: true, name: true } });
  if (!organization) throw new AppError("NOT_FOUND", "This organization was not found.");
  const models = await db.arenaModel.findMany({
    where: { organizationId },
    select: { id: true, slug: true, displayName: true, modality: true },
    orderBy: { displayName: "asc" },
  });
  const snapshots = await db.leaderboardSnapshot.findMany({ where: { modality: { in: [...new Set(models.map((model) => model.modality))] } }, select: { modality: true, variant: true, data: true } });
  const byModality = new Map<TModality, { overall: TLeaderboardData | null; segments: TLeaderboardData[] }>(MODALITIES.map((modality) => [modality, { overall: null, segments: [] }]));
  let computedAt: string | null = null;
  for (const snapshot of snapshots) {
    const data = ZLeaderboardDataSchema.parse(snapshot.data);
    const entry = byModality.get(snapshot.modality)!;
    if (snapshot.variant === OVERALL_VARIANT) {
      entry.overall = data;
      if (!computedAt || data.computedAt > computedAt) computedAt = data.computedAt;
    } else if (snapshot.variant.startsWith("segment:")) entry.segments.push(data);
  }
  const daily = await votesPerDay(db, models.map((model) => model.id), now);
  const lifts = new Map(
    (await Promise.all(MODALITIES.map((modality) => getLift(db, modality)))).flatMap((data) => data?.models.map((row) => [row.modelId, row] as const) ?? []),
  );
  const result: TOwnerModel[] = models.map((model) => {
    const { overall, segments } = byModality.get(model.modality)!;
    return {
      modelId: model.id,
      slug: model.slug,
      displayName: model.displayName,
      modality: model.modality,
      current: overall?.rows.find((row) => row.modelId === model.id) ?? null,
      history: overall ? historyOf(overall.history, model.id) : [],
      opponents: overall ? opponentsOf(overall, model.id) : [],
      segments: segments
        .flatMap((segment) => {
          const row = segment.rows.find((candidate) => candidate.modelId === model.id);
          return row ? [{ variant: segment.variant, label: segment.label, rating: row.rating, ciLower: row.ciLower, ciUpper: row.ciUpper, votes: row.votes, rank: row.rank }] : [];
        })
        .sort((x, y) => (x.variant < y.variant ? -1 : 1)),
      votesByDay: daily.get(model.id) ?? [],
      lift: liftOf(lifts.get(model.id)),
    };
  });
  return {
    organization,
    models: result,
    feedback: await recentFeedback(db, new Map(models.map((model) => [model.id, model.displayName]))),
    computedAt,
  };
}

export interface TExportedBattle {
  battle_id: string;
  tstamp: string;
  modality: TModality;
  model_a: string;
  model_b: string;
  winner: TFastChatWinner;
  counts_for_rating: boolean;
  turns: { prompt: string; response_a: string | null; response_b: string | null }[];
  feedback: { general: string | null; a: string | null; b: string | null };
}

const EXPORT_PAGE_SIZE = 200;
const scrubOrNull = (text: string | null) => (text ? scrubText(text).text : null);

/**
 * The organization's battles (votes where one of its models took part), oldest first, in
 * FastChat's clean-battle field names. Carries no annotator identity (no user id, email or
 * persona) and scrubs personal data from prompts, answers and feedback. Access is checked first.
 */
/** The export's file name, from the organization's slug: never the raw id the request carried. */
export async function organizationExportFileName(db: Db, organizationId: string): Promise<string> {
  const organization = await db.organization.findUnique({ where: { id: organizationId }, select: { slug: true } });
  return `battles-${organization?.slug ?? "organization"}.jsonl`;
}

export async function* exportOrganizationBattles(db: Db, user: TActorUser, organizationId: string): AsyncGenerator<TExportedBattle> {
  await assertOrganizationAccess(db, user, organizationId);
  const models = await db.arenaModel.findMany({ where: { organizationId }, select: { id: true } });
  const ids = models.map((model) => model.id);
  if (ids.length === 0) return;
  const slugs = new Map((await db.arenaModel.findMany({ select: { id: true, slug: true } })).map((model) => [model.id, model.slug]));
  let cursor: string | undefined;
  for (;;) {
    const votes = await db.vote.findMany({
      where: { OR: [{ modelAId: { in: ids } }, { modelBId: { in: ids } }] },
      orderBy: { id: "asc" },
      take: EXPORT_PAGE_SIZE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: {
        id: true,
        createdAt: true,
        modality: true,
        modelAId: true,
        modelBId: true,
        outcome: true,
        countsForRating: true,
        feedbackGeneral: true,
        feedbackA: true,
        feedbackB: true,
        battle: {
          select: {
            publicId: true,
            turns: { orderBy: { index: "asc" }, select: { prompt: true, responses: { select: { side: true, text: true } } } },
          },
        },
      },
    });
    for (const vote of votes) {
      yield {
        battle_id: vote.battle.publicId,
        tstamp: vote.createdAt.toISOString(),
        modality: vote.modality,
        model_a: slugs.get(vote.modelAId) ?? vote.modelAId,
        model_b: slugs.get(vote.modelBId) ?? vote.modelBId,
        winner: outcomeToFastChatWinner(vote.outcome),
        counts_for_rating: vote.countsForRating,
        turns: vote.battle.turns.map((turn) => ({
          prompt: scrubText(turn.prompt).text,
          response_a: scrubOrNull(turn.responses.find((response) => response.side === "a")?.text ?? null),
          response_b: scrubOrNull(turn.responses.find((response) => response.side === "b")?.text ?? null),
        })),
        feedback: { general: scrubOrNull(vote.feedbackGeneral), a: scrubOrNull(vote.feedbackA), b: scrubOrNull(vote.feedbackB) },
      };
    }
    if (votes.length < EXPORT_PAGE_SIZE) return;
    cursor = votes[votes.length - 1].id;
  }
}
