import "server-only";
import { VOTE_OUTCOMES, type TVoteOutcome } from "@/lib/domain/battle/outcomes";
import type { TModality } from "@/lib/domain/leaderboard/snapshot";
import { ZPersonaSchema, type TPersona } from "@/lib/domain/persona/schema";
import {
  annotatorCells,
  buildAnnotatorVoteData,
  describeGroups,
  fitPreferenceGroups,
  mostLikelyGroup,
  selectGroupCount,
} from "@/lib/domain/preference-groups";
import { seedFromString } from "@/lib/domain/random";
import { tallyModels } from "@/lib/domain/rating/cells";
import { RATING_CENTER, RATING_POINTS_PER_STRENGTH } from "@/lib/domain/rating/types";
import type { Db } from "@/lib/server/db";
import { MIN_DESCRIBED_MEMBERS, MIN_VOTES_TO_FIT, ZPreferenceGroupsDataSchema, type TPreferenceGroupsData } from "./schema";

const OUTCOMES: ReadonlySet<string> = new Set(VOTE_OUTCOMES);

/** Counted votes of a modality from annotators whose votes are not excluded (as the leaderboard counts them). */
export async function loadCountedVotes(db: Db, modality: TModality) {
  const excluded = new Set((await db.user.findMany({ where: { votesExcludedAt: { not: null } }, select: { id: true } })).map((user) => user.id));
  const rows = await db.vote.findMany({
    where: { modality, countsForRating: true },
    select: { id: true, userId: true, modelAId: true, modelBId: true, outcome: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.filter((row) => !excluded.has(row.userId) && OUTCOMES.has(row.outcome));
}

/** Each annotator's newest persona (null when none parses). */
export async function loadNewestPersonas(db: Db, userIds: readonly string[]): Promise<Map<string, TPersona | null>> {
  const versions = await db.personaVersion.findMany({ where: { userId: { in: [...userIds] } }, select: { userId: true, version: true, data: true }, orderBy: { version: "asc" } });
  const personas = new Map<string, TPersona | null>(userIds.map((id) => [id, null]));
  for (const version of versions) {
    const parsed = ZPersonaSchema.safeParse(version.data);
    personas.set(version.userId, parsed.success ? parsed.data : null);
  }
  return personas;
}

/**
 * Fits the preference groups of one modality from its counted votes and stores the fit (data +
 * each annotator's most likely group). Returns null without writing when there are fewer than
 * MIN_VOTES_TO_FIT votes or the votes have not changed since the newest fit. Seeded by the
 * modality, so the same votes give the same groups.
 */
export async function fitPreferenceGroupsForModality(db: Db, modality: TModality, now: Date = new Date()): Promise<TPreferenceGroupsData | null> {
  const votes = await loadCountedVotes(db, modality);
  if (votes.length < MIN_VOTES_TO_FIT) return null;
  const fingerprint = `${votes.length}:${votes[votes.length - 1].createdAt.toISOString()}`;
  const newest = await db.preferenceGroupFit.findFirst({ where: { modality }, orderBy: { computedAt: "desc" }, select: { fingerprint: true } });
  if (newest?.fingerprint === fingerprint) return null;

  const data = buildAnnotatorVoteData(votes.map((vote) => ({ annotatorId: vote.userId, modelA: vote.modelAId, modelB: vote.modelBId, outcome: vote.outcome as TVoteOutcome })));
  const personaById = await loadNewestPersonas(db, data.annotators);
  const personas = data.annotators.map((id) => personaById.get(id) ?? null);
  const seed = seedFromString(`preference-groups:${modality}`);
  const selection = selectGroupCount(data, personas, { seed });
  const model = fitPreferenceGroups(data, personas, { groups: selection.groups, seed });
  const K = model.groupCount;
  const assigned = data.annotators.map((_, a) => mostLikelyGroup(model.posteriors.subarray(a * K, (a + 1) * K)));
  const members = Array.from({ length: K }, (_, k) => assigned.filter((group) => group === k).length);
  const traits = describeGroups(personas, model.posteriors, K);
  const info = new Map((await db.arenaModel.findMany({ where: { id: { in: data.models } }, select: { id: true, slug: true, displayName: true } })).map((row) => [row.id, row]));
  const everyone = Array.from({ length: data.annotators.length }, (_, a) => a);

  const result = ZPreferenceGroupsDataSchema.parse({
    modality,
    computedAt: now.toISOString(),
    voteCount: votes.length,
    annotatorCount: data.annotators.length,
    groupCount: K,
    selection: selection.candidates.map((candidate) => ({ groups: candidate.groups, perVote: candidate.perVote, standardError: candidate.standardError })),
    groups: Array.from({ length: K }, (_, k) => {
      const weights = Float64Array.from(everyone, (a) => model.posteriors[a * K + k]);
      const tally = tallyModels(annotatorCells(data, everyone, weights));
      const rows = data.models
        .map((modelId, m) => ({ modelId, rating: RATING_POINTS_PER_STRENGTH * model.strengths[k][m] + RATING_CENTER, votes: tally.votes[m] }))
        .filter((row) => row.votes > 0)
        .sort((x, y) => y.rating - x.rating || (x.modelId < y.modelId ? -1 : 1))
        .map((row, position) => ({ ...row, rank: position + 1, slug: info.get(row.modelId)?.slug ?? row.modelId, displayName: info.get(row.modelId)?.displayName ?? row.modelId }));
      return { index: k, share: model.weights[k], members: members[k], traits: members[k] >= MIN_DESCRIBED_MEMBERS ? traits[k] : [], rows };
    }),
  });

  await db.$transaction(async (tx) => {
    const fit = await tx.preferenceGroupFit.create({
      data: { modality, computedAt: now, voteCount: votes.length, annotatorCount: data.annotators.length, groupCount: K, fingerprint, data: result },
      select: { id: true },
    });
    await tx.preferenceGroupMember.createMany({
      data: data.annotators.map((userId, a) => ({ fitId: fit.id, userId, group: assigned[a], probability: model.posteriors[a * K + assigned[a]] })),
    });
    await tx.preferenceGroupFit.deleteMany({ where: { modality, id: { not: fit.id } } });
  });
  return result;
}
