import "server-only";
import { VOTE_OUTCOMES, type TModality, type TVoteOutcome } from "@/lib/domain/vocabulary";
import { Dictionary } from "@/lib/domain/dictionary";
import { ZPersonaSchema, type TPersona } from "@/lib/domain/persona/schema";
import { mostLikelyGroup } from "@/lib/domain/preference-groups";
import { seedFromString } from "@/lib/domain/random";
import { RATING_CENTER, RATING_POINTS_PER_STRENGTH } from "@/lib/domain/rating/types";
import type { Db } from "@/lib/server/db";
import type { TPreferenceFitInput } from "./compute";
import { fitOnThread } from "./fit-thread";
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
async function loadNewestPersonas(db: Db, userIds: readonly string[]): Promise<Map<string, TPersona | null>> {
  const versions = await db.personaVersion.findMany({ where: { userId: { in: [...userIds] } }, select: { userId: true, version: true, data: true }, orderBy: { version: "asc" } });
  const personas = new Map<string, TPersona | null>(userIds.map((id) => [id, null]));
  for (const version of versions) {
    const parsed = ZPersonaSchema.safeParse(version.data);
    personas.set(version.userId, parsed.success ? parsed.data : null);
  }
  return personas;
}

type TCountedVote = Awaited<ReturnType<typeof loadCountedVotes>>[number];

/**
 * The fit thread's columnar input from counted votes, with each voter's newest persona; `queries`
 * (votes to predict, left out of `votes`) get their voters' personas too.
 */
export async function preferenceFitInput(db: Db, votes: readonly TCountedVote[], seed: number, queries: readonly TCountedVote[] = []): Promise<TPreferenceFitInput> {
  const annotators = new Dictionary();
  const models = new Dictionary();
  const annotator = Int32Array.from(votes, (vote) => annotators.index(vote.userId));
  const modelA = Int32Array.from(votes, (vote) => models.index(vote.modelAId));
  const modelB = Int32Array.from(votes, (vote) => models.index(vote.modelBId));
  const outcome = Uint8Array.from(votes, (vote) => VOTE_OUTCOMES.indexOf(vote.outcome as TVoteOutcome));
  const personaById = await loadNewestPersonas(db, [...new Set([...annotators.values, ...queries.map((query) => query.userId)])]);
  return {
    annotators: annotators.values,
    models: models.values,
    annotator,
    modelA,
    modelB,
    outcome,
    personas: annotators.values.map((id) => personaById.get(id) ?? null),
    seed,
    queries: queries.map((query) => ({ annotatorId: query.userId, persona: personaById.get(query.userId) ?? null, modelA: query.modelAId, modelB: query.modelBId })),
  };
}

/**
 * Fits the preference groups of one modality from its counted votes, on the fit thread, and stores
 * the fit (data + each annotator's most likely group). Returns null without writing when there are
 * fewer than MIN_VOTES_TO_FIT votes or the votes have not changed since the newest fit. Seeded by
 * the modality, so the same votes give the same groups.
 */
export async function fitPreferenceGroupsForModality(db: Db, modality: TModality, now: Date = new Date()): Promise<TPreferenceGroupsData | null> {
  const votes = await loadCountedVotes(db, modality);
  if (votes.length < MIN_VOTES_TO_FIT) return null;
  const fingerprint = `${votes.length}:${votes[votes.length - 1].createdAt.toISOString()}`;
  const newest = await db.preferenceGroupFit.findFirst({ where: { modality }, orderBy: { computedAt: "desc" }, select: { fingerprint: true } });
  if (newest?.fingerprint === fingerprint) return null;

  const fit = await fitOnThread(await preferenceFitInput(db, votes, seedFromString(`preference-groups:${modality}`)));
  const K = fit.groupCount;
  const assigned = fit.annotators.map((_, a) => mostLikelyGroup(fit.posteriors.subarray(a * K, (a + 1) * K)));
  const members = Array.from({ length: K }, (_, k) => assigned.filter((group) => group === k).length);
  const info = new Map((await db.arenaModel.findMany({ where: { id: { in: fit.models } }, select: { id: true, slug: true, displayName: true } })).map((row) => [row.id, row]));

  const result = ZPreferenceGroupsDataSchema.parse({
    modality,
    computedAt: now.toISOString(),
    voteCount: votes.length,
    annotatorCount: fit.annotators.length,
    groupCount: K,
    selection: fit.selection,
    groups: Array.from({ length: K }, (_, k) => {
      const rows = fit.models
        .map((modelId, m) => ({ modelId, rating: RATING_POINTS_PER_STRENGTH * fit.strengths[k][m] + RATING_CENTER, votes: fit.groupVotes[k][m] }))
        .filter((row) => row.votes > 0)
        .sort((x, y) => y.rating - x.rating || (x.modelId < y.modelId ? -1 : 1))
        .map((row, position) => ({ ...row, rank: position + 1, slug: info.get(row.modelId)?.slug ?? row.modelId, displayName: info.get(row.modelId)?.displayName ?? row.modelId }));
      return { index: k, share: fit.weights[k], members: members[k], traits: members[k] >= MIN_DESCRIBED_MEMBERS ? fit.traits[k] : [], rows };
    }),
  });

  await db.$transaction(async (tx) => {
    const stored = await tx.preferenceGroupFit.create({
      data: { modality, computedAt: now, voteCount: votes.length, annotatorCount: fit.annotators.length, groupCount: K, fingerprint, data: result },
      select: { id: true },
    });
    await tx.preferenceGroupMember.createMany({
      data: fit.annotators.map((userId, a) => ({ fitId: stored.id, userId, group: assigned[a], probability: fit.posteriors[a * K + assigned[a]] })),
    });
    await tx.preferenceGroupFit.deleteMany({ where: { modality, id: { not: stored.id } } });
  });
  return result;
}
