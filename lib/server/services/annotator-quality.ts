import "server-only";
import { assessAnnotatorQuality, type TAnnotatorQualityReport, type TQualityOptions, type TQualityVoteRecord } from "@/lib/domain/quality";
import { recordAudit } from "@/lib/server/audit";
import type { Db } from "@/lib/server/db";
import { AppError, notFound } from "@/lib/server/errors";
import { scheduleLeaderboardRecompute } from "@/lib/server/leaderboards/recompute";
import { userLabel } from "@/lib/server/services/users-admin";

type TActor = { id: string };

const DEFAULT_QUALITY_WINDOW_DAYS = 30;
/** Newest votes considered at most; enough for months of a busy arena, bounded for one admin request. */
const MAX_QUALITY_VOTES = 50_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface TAnnotatorQualityRow extends TAnnotatorQualityReport {
  annotator: {
    id: string;
    label: string;
    email: string | null;
    isGuest: boolean;
    role: string;
    votesExcludedAt: Date | null;
    votesExcludedReason: string | null;
    bannedAt: Date | null;
  };
}

const sideOfWinner = (outcome: TQualityVoteRecord["outcome"]): TQualityVoteRecord["sideOfWinner"] =>
  outcome === "model_a" ? "left" : outcome === "model_b" ? "right" : null;

/**
 * The votes of the last `days` days as quality records. Side a is shown on the left, so a model_a
 * win is a left win. The reading load is both answers of the battle's last turn (the one voted on);
 * media answers have no text, so they are never speed-checked. An unknown vote time counts as slow.
 */
async function loadQualityRecords(db: Db, { days, now = new Date() }: { days: number; now?: Date }): Promise<TQualityVoteRecord[]> {
  const votes = await db.vote.findMany({
    where: { createdAt: { gte: new Date(now.getTime() - days * DAY_MS) } },
    orderBy: { createdAt: "desc" },
    take: MAX_QUALITY_VOTES,
    select: {
      userId: true,
      outcome: true,
      secondsToVote: true,
      modelAId: true,
      modelBId: true,
      battle: {
        select: {
          isGold: true,
          goldOutcome: true,
          turns: { orderBy: { index: "desc" }, take: 1, select: { responses: { select: { text: true } } } },
        },
      },
    },
  });
  return votes.map((vote) => ({
    annotatorId: vote.userId,
    outcome: vote.outcome,
    sideOfWinner: sideOfWinner(vote.outcome),
    secondsFromCompleteToVote: vote.secondsToVote ?? Number.POSITIVE_INFINITY,
    answerLengthChars: (vote.battle.turns[0]?.responses ?? []).reduce((sum, response) => sum + (response.text?.length ?? 0), 0),
    isGold: vote.battle.isGold,
    goldExpected: vote.battle.goldOutcome,
    modelA: vote.modelAId,
    modelB: vote.modelBId,
  }));
}

/** Quality signals per annotator over the window: flagged annotators first (most flags first), then by votes. */
export async function listAnnotatorQuality(
  db: Db,
  { days = DEFAULT_QUALITY_WINDOW_DAYS, now = new Date(), options = {} }: { days?: number; now?: Date; options?: TQualityOptions } = {},
): Promise<TAnnotatorQualityRow[]> {
  const reports = assessAnnotatorQuality(await loadQualityRecords(db, { days, now }), options);
  const users = await db.user.findMany({
    where: { id: { in: reports.map((report) => report.annotatorId) } },
    select: { id: true, email: true, name: true, isGuest: true, role: true, votesExcludedAt: true, votesExcludedReason: true, bannedAt: true },
  });
  const byId = new Map(users.map((user) => [user.id, user]));
  return reports
    .flatMap((report) => {
      const user = byId.get(report.annotatorId);
      if (!user) return [];
      return [{ ...report, annotator: { ...user, label: userLabel(user) } }];
    })
    .sort((a, b) => b.flags.length - a.flags.length || b.votes - a.votes || a.annotatorId.localeCompare(b.annotatorId));
}

/**
 * Excludes every vote of an annotator (past and future) from ratings and releases. The votes stay
 * stored; leaderboards and releases skip users with `votesExcludedAt` set. Reversible with
 * `includeAnnotatorVotes`. Both are audited and trigger a leaderboard recompute.
 */
export async function excludeAnnotatorVotes(db: Db, actor: TActor, { userId, reason }: { userId: string; reason: string }) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, votesExcludedAt: true } });
  if (!user) throw notFound("The annotator");
  if (user.votesExcludedAt) throw new AppError("CONFLICT", "This annotator's votes are already excluded.");
  const votes = await db.vote.count({ where: { userId } });
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.user.update({
      where: { id: userId },
      data: { votesExcludedAt: new Date(), votesExcludedReason: reason },
      select: { id: true, votesExcludedAt: true, votesExcludedReason: true },
    });
    await recordAudit(tx, { actorId: actor.id, action: "user.votes_excluded", targetType: "User", targetId: userId, details: { reason, votes } });
    return row;
  });
  scheduleLeaderboardRecompute(db);
  return updated;
}

export async function includeAnnotatorVotes(db: Db, actor: TActor, { userId }: { userId: string }) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, votesExcludedAt: true, votesExcludedReason: true } });
  if (!user) throw notFound("The annotator");
  const excludedSince = user.votesExcludedAt;
  if (!excludedSince) throw new AppError("CONFLICT", "This annotator's votes are not excluded.");
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.user.update({
      where: { id: userId },
      data: { votesExcludedAt: null, votesExcludedReason: null },
      select: { id: true, votesExcludedAt: true, votesExcludedReason: true },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "user.votes_included",
      targetType: "User",
      targetId: userId,
      details: { previousReason: user.votesExcludedReason, excludedSince: excludedSince.toISOString() },
    });
    return row;
  });
  scheduleLeaderboardRecompute(db);
  return updated;
}

export interface TAdminOverview {
  modelsByStatus: Record<"active" | "paused" | "retired", number>;
  pausedModels: { id: string; slug: string; displayName: string; pausedReason: string | null; pausedAt: Date | null }[];
  votesToday: number;
  flaggedAnnotators: number;
  excludedAnnotators: number;
}

/** The admin home page's counts. "Today" is the UTC day; flags use the default quality window. */
export async function getAdminOverview(db: Db, { now = new Date() }: { now?: Date } = {}): Promise<TAdminOverview> {
  const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const [statusCounts, pausedModels, votesToday, quality, excludedAnnotators] = await Promise.all([
    db.arenaModel.groupBy({ by: ["status"], _count: { _all: true } }),
    db.arenaModel.findMany({
      where: { status: "paused" },
      orderBy: { pausedAt: "desc" },
      select: { id: true, slug: true, displayName: true, pausedReason: true, pausedAt: true },
    }),
    db.vote.count({ where: { createdAt: { gte: startOfDay } } }),
    listAnnotatorQuality(db, { now }),
    db.user.count({ where: { votesExcludedAt: { not: null } } }),
  ]);
  const modelsByStatus = { active: 0, paused: 0, retired: 0 };
  for (const row of statusCounts) modelsByStatus[row.status] = row._count._all;
  return { modelsByStatus, pausedModels, votesToday, flaggedAnnotators: quality.filter((row) => row.flagged).length, excludedAnnotators };
}
