import { createRandom, randomInt } from "@/lib/domain/random";
import { countMarkdownStyle } from "@/lib/domain/rating";
import type { TPersona } from "@/lib/domain/persona/schema";
import type { Db } from "@/lib/server/db";
import type { TModality, TVoteOutcome } from "@/lib/domain/vocabulary";

export interface PlantedVote {
  modelA: string;
  modelB: string;
  outcome: TVoteOutcome;
  userId: string;
  at: Date;
  countsForRating?: boolean;
  feedbackA?: string | null;
  feedbackGeneral?: string | null;
  styles?: { a: string; b: string };
  /** Store the answers' style features as generation does (else only their text, as older rows). */
  styleFeatures?: boolean;
}

let sequence = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(sequence++).toString(36)}`;

export async function createOrganizationWithModels(db: Db, slug: string, models: { slug: string; modality: TModality }[]) {
  const organization = await db.organization.create({ data: { slug, name: `Org ${slug}` } });
  const created = [];
  for (const model of models) {
    created.push(
      await db.arenaModel.create({
        data: {
          slug: model.slug,
          displayName: model.slug.toUpperCase(),
          organizationId: organization.id,
          modality: model.modality,
          providerKind: "demo_text",
          providerModelId: model.slug,
          extraParams: {},
        },
      }),
    );
  }
  return { organization, models: created };
}

export async function createAnnotator(db: Db, persona: TPersona | null, options: { email?: string; excluded?: boolean } = {}) {
  const user = await db.user.create({
    data: { email: options.email ?? `${nextId("u")}@example.com`, role: "annotator", votesExcludedAt: options.excluded ? new Date() : null },
  });
  if (persona) await db.personaVersion.create({ data: { userId: user.id, version: 1, data: persona, createdAt: new Date(0) } });
  return user;
}

const features = (vote: PlantedVote, text: string) => (vote.styleFeatures ? { styleFeatures: { ...countMarkdownStyle(text) } } : {});

/**
 * Inserts battles and their votes (and, when `styles` is given, one turn with two answers): a few
 * multi-row inserts, not two statements per vote (a test's hundreds of votes were most of its time on PostgreSQL).
 */
export async function plantVotes(db: Db, modality: TModality, votes: PlantedVote[]): Promise<void> {
  if (votes.length === 0) return;
  const publicIds = votes.map(() => nextId("pb"));
  const created = await db.battle.createManyAndReturn({
    data: votes.map((vote, k) => ({
      publicId: publicIds[k],
      userId: vote.userId,
      modality,
      modelAId: vote.modelA,
      modelBId: vote.modelB,
      status: "voted" as const,
      createdAt: vote.at,
    })),
    select: { id: true, publicId: true },
  });
  const battleIds = new Map(created.map((battle) => [battle.publicId, battle.id]));
  const battleOf = (k: number) => battleIds.get(publicIds[k])!;
  const styled = votes.flatMap((vote, k) => (vote.styles ? [{ vote, styles: vote.styles, battleId: battleOf(k) }] : []));
  if (styled.length > 0) {
    const turns = await db.turn.createManyAndReturn({
      data: styled.map(({ battleId }) => ({ battleId, index: 0, prompt: "Reach me at jane.doe@example.com about this" })),
      select: { id: true, battleId: true },
    });
    const turnIds = new Map(turns.map((turn) => [turn.battleId, turn.id]));
    await db.response.createMany({
      data: styled.flatMap(({ vote, styles, battleId }) => [
        { turnId: turnIds.get(battleId)!, side: "a" as const, modelId: vote.modelA, status: "complete" as const, text: styles.a, ...features(vote, styles.a) },
        { turnId: turnIds.get(battleId)!, side: "b" as const, modelId: vote.modelB, status: "complete" as const, text: styles.b, ...features(vote, styles.b) },
      ]),
    });
  }
  await db.vote.createMany({
    data: votes.map((vote, k) => ({
      battleId: battleOf(k),
      userId: vote.userId,
      modality,
      modelAId: vote.modelA,
      modelBId: vote.modelB,
      outcome: vote.outcome,
      countsForRating: vote.countsForRating ?? true,
      feedbackA: vote.feedbackA ?? null,
      feedbackGeneral: vote.feedbackGeneral ?? null,
      createdAt: vote.at,
    })),
  });
}

/**
 * Votes where `ranking[0]` beats everyone, `ranking[1]` beats all but the first, …: each pair
 * meets `perPair` times, the better model winning `winShare` of them, on random sides, spread over
 * `days` days ending at `end`.
 */
export function plannedVotes(ranking: string[], userIds: string[], options: { perPair: number; winShare: number; seed: number; end: Date; days?: number }): PlantedVote[] {
  const random = createRandom(options.seed);
  const votes: PlantedVote[] = [];
  const days = options.days ?? 3;
  for (let better = 0; better < ranking.length; better++) {
    for (let worse = better + 1; worse < ranking.length; worse++) {
      for (let k = 0; k < options.perPair; k++) {
        const betterWins = k < Math.round(options.perPair * options.winShare);
        const betterIsA = random() < 0.5;
        const winnerIsA = betterWins === betterIsA;
        votes.push({
          modelA: betterIsA ? ranking[better] : ranking[worse],
          modelB: betterIsA ? ranking[worse] : ranking[better],
          outcome: winnerIsA ? "model_a" : "model_b",
          userId: userIds[randomInt(random, userIds.length)],
          at: new Date(options.end.getTime() - randomInt(random, days * 86_400_000)),
        });
      }
    }
  }
  return votes;
}
