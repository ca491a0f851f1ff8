import { createRandom, randomInt } from "../random";
import type { TLiftBattle } from "./personalization-lift";

/**
 * Battles with a planted personalization lift per model, for checking the lift estimator against a
 * known truth (unit tests and `npm run bench:lift`). Strengths and lifts are in log-odds; a share
 * `experimentShare` of battles personalizes exactly one side (chosen at random), the rest both.
 */
export interface TLiftWorld {
  strengths: number[];
  lifts: number[];
}

export interface TLiftSimulationOptions {
  battles: number;
  experimentShare: number;
  tieProbability?: number;
  seed: number;
}

export function simulateLiftBattles(world: TLiftWorld, options: TLiftSimulationOptions): TLiftBattle[] {
  const random = createRandom(options.seed);
  const modelCount = world.strengths.length;
  const tie = options.tieProbability ?? 0.1;
  const battles: TLiftBattle[] = [];
  for (let k = 0; k < options.battles; k++) {
    const a = randomInt(random, modelCount);
    let b = randomInt(random, modelCount - 1);
    if (b >= a) b++;
    const experiment = random() < options.experimentShare;
    const personalizedA = experiment ? random() < 0.5 : true;
    const personalizedB = experiment ? !personalizedA : true;
    const margin =
      world.strengths[a] + (personalizedA ? world.lifts[a] : 0) - world.strengths[b] - (personalizedB ? world.lifts[b] : 0);
    const outcome = random() < tie ? "tie" : random() < 1 / (1 + Math.exp(-margin)) ? "model_a" : "model_b";
    battles.push({ modelA: `m${a}`, modelB: `m${b}`, personalizedA, personalizedB, outcome });
  }
  return battles;
}

/** The estimand for model i of these battles: mean over its experiment battles of σ(θi+δi−θj) − σ(θi−θj). */
export function trueWinRateLifts(world: TLiftWorld, battles: readonly TLiftBattle[]): Map<string, number> {
  const sums = new Map<string, { sum: number; count: number }>();
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  for (const battle of battles) {
    if (battle.personalizedA === battle.personalizedB) continue;
    for (const [self, other] of [[battle.modelA, battle.modelB], [battle.modelB, battle.modelA]]) {
      const i = Number(self.slice(1));
      const j = Number(other.slice(1));
      const difference = world.strengths[i] - world.strengths[j];
      const entry = sums.get(self) ?? { sum: 0, count: 0 };
      entry.sum += sigmoid(difference + world.lifts[i]) - sigmoid(difference);
      entry.count += 1;
      sums.set(self, entry);
    }
  }
  return new Map([...sums].map(([model, { sum, count }]) => [model, sum / count]));
}
