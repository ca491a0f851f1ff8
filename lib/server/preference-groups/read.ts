import "server-only";
import type { TModality } from "@/lib/domain/vocabulary";
import type { Db } from "@/lib/server/db";
import { ZPreferenceGroupsDataSchema, type TPreferenceGroup, type TPreferenceGroupsData } from "./schema";

/** The newest preference-group fit of a modality, or null when none was computed yet. */
export async function getPreferenceGroups(db: Db, modality: TModality): Promise<TPreferenceGroupsData | null> {
  const fit = await db.preferenceGroupFit.findFirst({ where: { modality }, orderBy: { computedAt: "desc" }, select: { data: true } });
  return fit ? ZPreferenceGroupsDataSchema.parse(fit.data) : null;
}

export interface TMyPreferenceGroup {
  group: TPreferenceGroup | null;
  /** P(this group | persona, votes) when fitted. */
  probability: number | null;
  groupCount: number;
  reason: "no_fit" | "not_fitted_yet" | null;
}

/**
 * "People like you" by preference group: the annotator's most likely group in the newest fit and
 * its leaderboard. `not_fitted_yet` when the annotator had no counted votes at the last fit.
 */
export async function getMyPreferenceGroup(db: Db, userId: string, modality: TModality): Promise<TMyPreferenceGroup> {
  const fit = await db.preferenceGroupFit.findFirst({ where: { modality }, orderBy: { computedAt: "desc" }, select: { id: true, data: true } });
  if (!fit) return { group: null, probability: null, groupCount: 0, reason: "no_fit" };
  const data = ZPreferenceGroupsDataSchema.parse(fit.data);
  const member = await db.preferenceGroupMember.findUnique({ where: { fitId_userId: { fitId: fit.id, userId } }, select: { group: true, probability: true } });
  if (!member) return { group: null, probability: null, groupCount: data.groupCount, reason: "not_fitted_yet" };
  return { group: data.groups[member.group] ?? null, probability: member.probability, groupCount: data.groupCount, reason: null };
}
