import { createRandom, randomInt } from "@/lib/domain/random";
import type { Battle, Outcome } from "@/lib/domain/rating/types";

/** `count` battles of `winner` beating `loser` (winner as model A). */
export function repeatBattle(modelA: string, modelB: string, outcome: Outcome, count: number): Battle[] {
  return Array.from({ length: count }, () => ({ modelA, modelB, outcome }));
}

/** Seeded battles between models with planted strengths (log-odds), no ties, random sides. */
export function syntheticBattles(strengths: Record<string, number>, battleCount: number, seed: number): Battle[] {
  const random = createRandom(seed);
  const models = Object.keys(strengths);
  const battles: Battle[] = [];
  for (let k = 0; k < battleCount; k++) {
    const a = randomInt(random, models.length);
    let b = randomInt(random, models.length - 1);
    if (b >= a) b++;
    const gap = strengths[models[a]] - strengths[models[b]];
    const aWins = random() < 1 / (1 + Math.exp(-gap));
    battles.push({ modelA: models[a], modelB: models[b], outcome: aWins ? "model_a" : "model_b", timestamp: k });
  }
  return battles;
}

export const POINTS_PER_LOG_ODDS = 400 / Math.log(10);
