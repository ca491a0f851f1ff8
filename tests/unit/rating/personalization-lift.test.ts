import { describe, expect, it } from "vitest";
import { simulateLiftBattles, trueWinRateLifts } from "@/lib/domain/rating/lift-simulation";
import { estimatePersonalizationLift, type TLiftBattle } from "@/lib/domain/rating/personalization-lift";

const strengths = [0.6, 0.2, -0.2, -0.6];

describe("estimatePersonalizationLift", () => {
  it("recovers a planted lift and its sign", () => {
    const world = { strengths, lifts: [0.8, 0, 0, -0.8] };
    const battles = simulateLiftBattles(world, { battles: 8000, experimentShare: 0.3, seed: 3 });
    const truth = trueWinRateLifts(world, battles);
    const estimates = new Map(estimatePersonalizationLift(battles, { bootstrapRounds: 100, seed: 3 }).map((e) => [e.model, e]));
    const helped = estimates.get("m0")!;
    const hurt = estimates.get("m3")!;
    expect(helped.lower!).toBeGreaterThan(0);
    expect(hurt.upper!).toBeLessThan(0);
    for (const [model, target] of truth) {
      const estimate = estimates.get(model)!;
      expect(Math.abs(estimate.lift! - target)).toBeLessThan(0.08);
    }
  });

  it("finds no lift where none was planted", () => {
    const world = { strengths, lifts: [0, 0, 0, 0] };
    const battles = simulateLiftBattles(world, { battles: 6000, experimentShare: 0.2, seed: 9 });
    const estimates = estimatePersonalizationLift(battles, { bootstrapRounds: 100, seed: 9 });
    const excluding = estimates.filter((e) => e.lower! > 0 || e.upper! < 0);
    expect(excluding.length).toBeLessThanOrEqual(1);
    for (const estimate of estimates) expect(Math.abs(estimate.lift!)).toBeLessThan(0.08);
  });

  it("reports no lift for a model that played no experiment battle, and counts its sides", () => {
    const battles: TLiftBattle[] = [
      { modelA: "x", modelB: "y", personalizedA: true, personalizedB: true, outcome: "model_a" },
      { modelA: "y", modelB: "x", personalizedA: true, personalizedB: true, outcome: "model_a" },
      { modelA: "x", modelB: "z", personalizedA: true, personalizedB: false, outcome: "model_a" },
      { modelA: "z", modelB: "x", personalizedA: true, personalizedB: false, outcome: "tie" },
    ];
    const byModel = new Map(estimatePersonalizationLift(battles, { bootstrapRounds: 20 }).map((e) => [e.model, e]));
    expect(byModel.get("y")!.lift).toBeNull();
    expect(byModel.get("x")!.experimentBattles).toBe(2);
    expect(byModel.get("x")!.personalizedSide).toBe(1);
    expect(byModel.get("z")!.personalizedSide).toBe(1);
    // Finite under complete separation thanks to the prior.
    expect(Number.isFinite(byModel.get("x")!.logOddsLift)).toBe(true);
  });

  it("is reproducible from its seed", () => {
    const battles = simulateLiftBattles({ strengths, lifts: [0.3, 0, 0, 0] }, { battles: 2000, experimentShare: 0.2, seed: 1 });
    expect(estimatePersonalizationLift(battles, { bootstrapRounds: 30, seed: 5 })).toEqual(
      estimatePersonalizationLift(battles, { bootstrapRounds: 30, seed: 5 }),
    );
  });
});
