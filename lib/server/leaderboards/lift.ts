import "server-only";
import { z } from "zod";
import { MODALITIES, type TModality } from "@/lib/domain/vocabulary";
import { personaInSegment, personaSegmentConditions, segmentKey, segmentLabel, singleConditionSegments, type TSegmentCondition } from "@/lib/domain/leaderboard/segments";
import { ZPersonaSchema } from "@/lib/domain/persona/schema";
import { seedFromString } from "@/lib/domain/random";
import type { TLiftBattle, TModelLift } from "@/lib/domain/rating/personalization-lift";
import type { Db } from "@/lib/server/db";
import { leaderboardStore, type TModalityVoteCount } from "@/lib/server/store/leaderboard-store";
import { writeLeaderboardRows } from "./snapshot-store";
import type { BoardFitter } from "./board-fitter";
import { byFields, sumVoteCounts } from "./vote-counts";
import type { ModelInfo } from "./vote-store";
import { yieldToEventLoop } from "@/lib/server/yielding";

/**
 * Personalization lift per model (issue 20), refitted with the leaderboards and stored per modality
 * in LiftSnapshot. Overall it uses every counted vote (battles where both sides saw the persona pin
 * the strengths, experiment battles identify the lift); per persona segment only the segment's
 * experiment votes, and only segments with at least SEGMENT_MIN_EXPERIMENT_VOTES of them.
 */
const BOOTSTRAP_ROUNDS = 200;
const SEGMENT_BOOTSTRAP_ROUNDS = 100;
const SEGMENT_MIN_EXPERIMENT_VOTES = 60;

const ZModelLiftSchema = z.object({
  modelId: z.string(),
  displayName: z.string(),
  organizationId: z.string().nullable(),
  experimentBattles: z.number(),
  personalizedSide: z.number(),
  lift: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
});

const ZLiftDataSchema = z.object({
  modality: z.enum(MODALITIES),
  computedAt: z.string(),
  experimentVotes: z.number(),
  models: z.array(ZModelLiftSchema),
  segments: z.array(z.object({ key: z.string(), label: z.string(), experimentVotes: z.number(), models: z.array(ZModelLiftSchema) })),
});

export type TLiftData = z.infer<typeof ZLiftDataSchema>;
export type TModelLiftRow = z.infer<typeof ZModelLiftSchema>;

const liftBattleOf = (group: Pick<TModalityVoteCount, "modelAId" | "modelBId" | "personalizedA" | "personalizedB" | "outcome" | "count">): TLiftBattle => ({
  modelA: group.modelAId,
  modelB: group.modelBId,
  personalizedA: group.personalizedA,
  personalizedB: group.personalizedB,
  outcome: group.outcome,
  count: group.count,
});

function rowsOf(estimates: TModelLift[], info: Map<string, ModelInfo>): TModelLiftRow[] {
  return estimates
    .filter((estimate) => estimate.lift !== null)
    .map((estimate) => {
      const model = info.get(estimate.model);
      return {
        modelId: estimate.model,
        displayName: model?.displayName ?? estimate.model,
        organizationId: model?.organizationId ?? null,
        experimentBattles: estimate.experimentBattles,
        personalizedSide: estimate.personalizedSide,
        lift: estimate.lift,
        lower: estimate.lower,
        upper: estimate.upper,
      };
    })
    .sort((x, y) => (y.lift ?? 0) - (x.lift ?? 0));
}

/** The segments with enough experiment votes, each with its experiment votes' battles. */
async function liftSegments(db: Db, counts: readonly TModalityVoteCount[]): Promise<{ key: string; label: string; experimentVotes: number; battles: TLiftBattle[] }[]> {
  // The experiment votes by models, sides, outcome and annotator.
  const fields = ["modelAId", "modelBId", "personalizedA", "personalizedB", "outcome", "userId"] as const;
  const groups = await sumVoteCounts(
    counts.filter((row) => row.userId !== null),
    fields,
    byFields(...fields),
  );
  if (groups.length === 0) return [];
  const users = [...new Set(groups.flatMap((group) => (group.userId === null ? [] : [group.userId])))];
  const conditionsOf = new Map<string, TSegmentCondition[]>();
  for (const persona of await leaderboardStore(db).personaVersionData(users)) {
    const parsed = ZPersonaSchema.safeParse(persona.data);
    if (parsed.success) conditionsOf.set(persona.userId, personaSegmentConditions(parsed.data));
  }
  const segments = [];
  for (const segment of singleConditionSegments()) {
    await yieldToEventLoop();
    const battles: TLiftBattle[] = groups
      .filter((group) => personaInSegment(conditionsOf.get(group.userId ?? "") ?? [], segment))
      .map(liftBattleOf);
    const experimentVotes = battles.reduce((sum, battle) => sum + (battle.count ?? 1), 0);
    if (experimentVotes < SEGMENT_MIN_EXPERIMENT_VOTES) continue;
    segments.push({ key: segmentKey(segment), label: segmentLabel(segment), experimentVotes, battles });
  }
  return segments;
}

/**
 * Fits and stores the modality's lift from its votes' `counts` (leaderboard store,
 * modalityVoteCounts), the estimates and their bootstraps on a fitting thread (`fitter`); returns
 * it (null when no experiment vote exists yet).
 */
export async function computeAndStoreLift(
  db: Db,
  modality: TModality,
  counts: readonly TModalityVoteCount[],
  info: Map<string, ModelInfo>,
  computedAt: Date,
  fitter: BoardFitter,
): Promise<TLiftData | null> {
  const fields = ["modelAId", "modelBId", "personalizedA", "personalizedB", "outcome"] as const;
  const battles = (await sumVoteCounts(counts, fields, byFields(...fields))).map(liftBattleOf);
  const experimentVotes = battles.filter((battle) => battle.personalizedA !== battle.personalizedB).reduce((sum, battle) => sum + (battle.count ?? 1), 0);
  if (experimentVotes === 0) {
    await writeLeaderboardRows(db, [{ kind: "no-lift", modality }]);
    return null;
  }
  const segments = await liftSegments(db, counts);
  const [overall, ...bySegment] = await fitter.fitLifts({
    kind: "lift",
    fits: [
      { battles, bootstrapRounds: BOOTSTRAP_ROUNDS, seed: seedFromString(`lift:${modality}`) },
      ...segments.map((segment) => ({ battles: segment.battles, bootstrapRounds: SEGMENT_BOOTSTRAP_ROUNDS, seed: seedFromString(`lift:${modality}:${segment.key}`) })),
    ],
  });
  const data = ZLiftDataSchema.parse({
    modality,
    computedAt: computedAt.toISOString(),
    experimentVotes,
    models: rowsOf(overall, info),
    segments: segments.map((segment, k) => ({ key: segment.key, label: segment.label, experimentVotes: segment.experimentVotes, models: rowsOf(bySegment[k], info) })),
  });
  const voteCount = battles.reduce((sum, battle) => sum + (battle.count ?? 1), 0);
  await writeLeaderboardRows(db, [{ kind: "lift", modality, computedAt, voteCount, data }]);
  return data;
}

/** The stored lift of a modality, or null before the first experiment vote. */
export async function getLift(db: Db, modality: TModality): Promise<TLiftData | null> {
  const row = await db.liftSnapshot.findUnique({ where: { modality }, select: { data: true } });
  return row ? ZLiftDataSchema.parse(row.data) : null;
}
