/**
 * Checks the personalization-lift estimator on simulated battles with a planted lift per model.
 *
 *   npm run bench:lift [-- --seeds 40 --battles 6000 --rounds 200]
 *
 * Two worlds of 8 models: lifts planted between −0.6 and +0.6 log-odds, and no lift at all. For each
 * seed it simulates battles (20% experiment battles, as PERSONALIZATION_EXPERIMENT_SHARE's default),
 * estimates every model's lift with its bootstrap interval, and counts how often the 95% interval
 * covers the true win-rate lift, and (no-lift world) how often it wrongly excludes 0. ONE JSON line.
 * Target: coverage ≥ 0.9.
 */
import { simulateLiftBattles, trueWinRateLifts, type TLiftWorld } from "@/lib/domain/rating/lift-simulation";
import { estimatePersonalizationLift } from "@/lib/domain/rating/personalization-lift";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const seeds = option("seeds", 40);
const battles = option("battles", 6000);
const rounds = option("rounds", 200);

const strengths = [0.8, 0.5, 0.3, 0.1, -0.1, -0.3, -0.5, -0.8];
const worlds: Record<string, TLiftWorld> = {
  planted: { strengths, lifts: [0.6, 0.4, 0.2, 0, 0, -0.2, -0.4, -0.6] },
  none: { strengths, lifts: strengths.map(() => 0) },
};

const started = performance.now();
const result: Record<string, unknown> = {};
for (const [name, world] of Object.entries(worlds)) {
  let covered = 0, intervals = 0, excludesZero = 0, absoluteError = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const simulated = simulateLiftBattles(world, { battles, experimentShare: 0.2, seed });
    const truth = trueWinRateLifts(world, simulated);
    for (const estimate of estimatePersonalizationLift(simulated, { bootstrapRounds: rounds, seed })) {
      if (estimate.lift === null || estimate.lower === null || estimate.upper === null) continue;
      const target = truth.get(estimate.model)!;
      intervals++;
      if (estimate.lower <= target && target <= estimate.upper) covered++;
      if (estimate.lower > 0 || estimate.upper < 0) excludesZero++;
      absoluteError += Math.abs(estimate.lift - target);
    }
  }
  result[name] = {
    intervals,
    coverage: Math.round((covered / intervals) * 1000) / 1000,
    shareExcludingZero: Math.round((excludesZero / intervals) * 1000) / 1000,
    meanAbsoluteErrorPoints: Math.round((absoluteError / intervals) * 100000) / 1000,
  };
  console.log(name, result[name]);
}
const planted = result.planted as { coverage: number };
console.log(
  JSON.stringify({
    bench: "lift",
    seeds,
    battlesPerSeed: battles,
    bootstrapRounds: rounds,
    ...result,
    targetCoverage: 0.9,
    met: planted.coverage >= 0.9 && (result.none as { coverage: number }).coverage >= 0.9,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  }),
);
