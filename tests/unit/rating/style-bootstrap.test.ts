import { describe, expect, it } from "vitest";
import { createRandom, randomInt } from "@/lib/domain/random";
import { bootstrapStyleControlInSteps, computeStyleControlledRatings, type StyledBattle } from "@/lib/domain/rating/style-control";
import { runSteps } from "@/lib/domain/rating/bootstrap";
import { POINTS_PER_LOG_ODDS } from "./helpers";

const STRENGTHS = [0.6, 0.2, 0, -0.3, -0.5];
/** Log-odds per unit of the raw length feature (a − b)/(a + b + 1). */
const LENGTH_EFFECT = 1.5;

/** Battles whose outcome depends on the planted strengths and on the answers' relative length. */
function styledBattles(count: number, seed: number): { battles: StyledBattle[]; lengthCoefficient: number } {
  const random = createRandom(seed);
  const battles: StyledBattle[] = [];
  const raw: number[] = [];
  for (let k = 0; k < count; k++) {
    const a = randomInt(random, STRENGTHS.length);
    let b = randomInt(random, STRENGTHS.length - 1);
    if (b >= a) b++;
    const tokensA = 50 + randomInt(random, 500);
    const tokensB = 50 + randomInt(random, 500);
    const feature = (tokensA - tokensB) / (tokensA + tokensB + 1);
    raw.push(feature);
    const p = 1 / (1 + Math.exp(-(STRENGTHS[a] - STRENGTHS[b] + LENGTH_EFFECT * feature)));
    const style = (tokens: number) => ({ tokens, headers: 0, lists: 0, bold: 0 });
    battles.push({ modelA: `m${a}`, modelB: `m${b}`, outcome: random() < p ? "model_a" : "model_b", styleA: style(tokensA), styleB: style(tokensB) });
  }
  const mean = raw.reduce((sum, value) => sum + value, 0) / raw.length;
  const sd = Math.sqrt(raw.reduce((sum, value) => sum + (value - mean) ** 2, 0) / raw.length);
  // The fit's coefficient is per standard deviation of the feature.
  return { battles, lengthCoefficient: LENGTH_EFFECT * sd };
}

describe("bootstrap of the style fit", () => {
  it("covers the planted length effect and strength gaps about 95% of the time", () => {
    const replicates = 20;
    let coefficientCovered = 0;
    let gapCovered = 0;
    for (let seed = 1; seed <= replicates; seed++) {
      const { battles, lengthCoefficient } = styledBattles(1000, seed);
      const fit = computeStyleControlledRatings(battles);
      const bootstrap = runSteps(bootstrapStyleControlInSteps(battles, { rounds: 50, random: createRandom(1000 + seed) }));
      const [low, high] = bootstrap.coefficients.tokens;
      if (low <= lengthCoefficient && lengthCoefficient <= high) coefficientCovered++;
      // m0 is centred with the others; its planted offset from the mean strength, in points.
      const plantedM0 = (STRENGTHS[0] - STRENGTHS.reduce((sum, value) => sum + value, 0) / STRENGTHS.length) * POINTS_PER_LOG_ODDS + 1000;
      const [m0Low, m0High] = bootstrap.ratings.m0;
      if (m0Low <= plantedM0 && plantedM0 <= m0High) gapCovered++;
      expect(m0Low).toBeLessThan(fit.ratings.m0);
      expect(m0High).toBeGreaterThan(fit.ratings.m0);
    }
    expect(coefficientCovered / replicates).toBeGreaterThanOrEqual(0.8);
    expect(gapCovered / replicates).toBeGreaterThanOrEqual(0.8);
  }, 60_000);

  it("gives the same intervals for the same seed", () => {
    const { battles } = styledBattles(300, 3);
    const once = runSteps(bootstrapStyleControlInSteps(battles, { rounds: 20, random: createRandom(5) }));
    const again = runSteps(bootstrapStyleControlInSteps(battles, { rounds: 20, random: createRandom(5) }));
    expect(again).toEqual(once);
  });
});
