import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/domain/random";
import { battleLogFromBattles } from "@/lib/domain/rating/battle-log";
import { BOOTSTRAP_ROUNDS_PER_BLOCK, BOOTSTRAP_ROUNDS_PER_STEP, bootstrapRatingIntervals, quantileOfSorted, rankUpperBounds, runUntakenRounds, type BootstrapJob } from "@/lib/domain/rating/bootstrap";
import { fitBradleyTerry } from "@/lib/domain/rating/bradley-terry";
import { aggregateBattleCells } from "@/lib/domain/rating/cells";
import { computeLeaderboard, computeLeaderboardInSteps } from "@/lib/domain/rating/leaderboard";
import { repeatBattle, syntheticBattles } from "./helpers";

const battles = syntheticBattles({ a: 0.8, b: 0.3, c: 0, d: -0.6 }, 3000, 17);
const cells = aggregateBattleCells(battleLogFromBattles(battles));
const fit = fitBradleyTerry(cells);

describe("bootstrapRatingIntervals", () => {
  it("gives identical intervals for the same seed", () => {
    const first = bootstrapRatingIntervals(cells, fit, { rounds: 200, random: createRandom(5) });
    const second = bootstrapRatingIntervals(cells, fit, { rounds: 200, random: createRandom(5) });
    expect(Array.from(second.lower)).toEqual(Array.from(first.lower));
    expect(Array.from(second.upper)).toEqual(Array.from(first.upper));
  });

  it("gives the same samples whether a helper takes rounds, fails after taking some, or is absent", () => {
    const alone = bootstrapRatingIntervals(cells, fit, { rounds: 101, random: createRandom(5) });
    const ran: number[] = [];
    const jobs: BootstrapJob[] = [];
    // The helper takes every block before this thread starts (as a faster thread would), then reports.
    const helped = bootstrapRatingIntervals(cells, fit, {
      rounds: 101,
      random: createRandom(5),
      helper: { start: (job) => (jobs.push(job), ran.push(runUntakenRounds(job)), () => ran[0]) },
    });
    // A helper that took three blocks, wrote garbage into the first and failed.
    const failed = bootstrapRatingIntervals(cells, fit, {
      rounds: 101,
      random: createRandom(5),
      helper: {
        start: (job) => {
          Atomics.add(job.next, 0, 3);
          job.samples.fill(Number.NaN, 0, BOOTSTRAP_ROUNDS_PER_BLOCK * job.cells.models.length);
          return () => null;
        },
      },
    });
    const unstarted = bootstrapRatingIntervals(cells, fit, { rounds: 101, random: createRandom(5), helper: { start: () => null } });
    expect(ran).toEqual([101]);
    expect(jobs[0].samples.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(helped.samples.buffer).toBeInstanceOf(ArrayBuffer);
    for (const other of [helped, failed, unstarted]) expect(Array.from(other.samples)).toEqual(Array.from(alone.samples));
  });

  it("gives different intervals for another seed", () => {
    const first = bootstrapRatingIntervals(cells, fit, { rounds: 200, random: createRandom(5) });
    const other = bootstrapRatingIntervals(cells, fit, { rounds: 200, random: createRandom(6) });
    expect(Array.from(other.lower)).not.toEqual(Array.from(first.lower));
  });

  it("contains the point estimate in every interval", () => {
    const { lower, upper } = bootstrapRatingIntervals(cells, fit, { rounds: 300, random: createRandom(8) });
    for (let i = 0; i < fit.ratings.length; i++) {
      expect(lower[i]).toBeLessThan(fit.ratings[i]);
      expect(upper[i]).toBeGreaterThan(fit.ratings[i]);
    }
  });

  it("narrows roughly as 1/sqrt(battles)", () => {
    const quadrupled = aggregateBattleCells(battleLogFromBattles([...battles, ...battles, ...battles, ...battles]));
    const width = (c: typeof cells) => {
      const f = fitBradleyTerry(c);
      const { lower, upper } = bootstrapRatingIntervals(c, f, { rounds: 300, random: createRandom(3) });
      return upper[0] - lower[0];
    };
    const ratio = width(cells) / width(quadrupled);
    expect(ratio).toBeGreaterThan(1.6);
    expect(ratio).toBeLessThan(2.4);
  });

  it("keeps each round centred at 1000 within the group", () => {
    const { samples } = bootstrapRatingIntervals(cells, fit, { rounds: 10, random: createRandom(2) });
    for (let round = 0; round < 10; round++) {
      const row = samples.subarray(round * 4, round * 4 + 4);
      expect(row.reduce((s, v) => s + v, 0) / 4).toBeCloseTo(1000, 6);
    }
  });
});

describe("quantileOfSorted", () => {
  it("interpolates linearly like numpy", () => {
    expect(quantileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileOfSorted([0, 10], 0.025)).toBeCloseTo(0.25, 12);
    expect(quantileOfSorted([7], 0.975)).toBe(7);
  });
});

describe("rankUpperBounds", () => {
  it("is 1 + the number of models whose lower bound beats this upper bound", () => {
    const lower = Float64Array.from([1100, 1050, 990, 900]);
    const upper = Float64Array.from([1200, 1120, 1060, 980]);
    expect(Array.from(rankUpperBounds(lower, upper, Int32Array.from([0, 0, 0, 0])))).toEqual([1, 1, 2, 4]);
  });

  it("ignores models of other connected groups", () => {
    const lower = Float64Array.from([1100, 900]);
    const upper = Float64Array.from([1200, 950]);
    expect(Array.from(rankUpperBounds(lower, upper, Int32Array.from([0, 1])))).toEqual([1, 1]);
  });
});

describe("computeLeaderboard", () => {
  const leaderboard = computeLeaderboard(battles, { bootstrapRounds: 100, seed: 1 });

  it("orders models by rating", () => {
    expect(leaderboard.modelOrder).toEqual(["a", "b", "c", "d"]);
    expect(leaderboard.models.map((m) => m.model)).toEqual(leaderboard.modelOrder);
  });

  it("reports BT ratings, Elo and intervals around the rating", () => {
    const top = leaderboard.models[0];
    expect(top.rating).toBeCloseTo(fit.ratings[fit.models.indexOf("a")], 9);
    expect(top.elo).not.toBeNull();
    expect(top.ciLower).toBeLessThan(top.rating);
    expect(top.ciUpper).toBeGreaterThan(top.rating);
  });

  it("tallies votes as wins + losses + ties", () => {
    for (const entry of leaderboard.models) expect(entry.votes).toBe(entry.wins + entry.losses + entry.ties);
    expect(leaderboard.models.reduce((s, m) => s + m.votes, 0)).toBe(2 * battles.length);
    expect(leaderboard.computedFrom).toBe(battles.length);
  });

  it("builds symmetric counts and complementary win rates", () => {
    expect(leaderboard.counts[0][1]).toBe(leaderboard.counts[1][0]);
    expect(leaderboard.winRate[0][1]! + leaderboard.winRate[1][0]!).toBeCloseTo(1, 12);
    expect(leaderboard.winRate[0][0]).toBeNull();
  });

  it("predicts win probabilities from ratings", () => {
    const [a, b] = leaderboard.models;
    expect(leaderboard.predictedWinRate[0][1]).toBeCloseTo(1 / (1 + 10 ** ((b.rating - a.rating) / 400)), 12);
    expect(leaderboard.predictedWinRate[1][1]).toBeNull();
  });

  it("flags models under minVotes as provisional", () => {
    const small = computeLeaderboard(
      [...repeatBattle("a", "b", "model_a", 20), ...repeatBattle("a", "c", "model_b", 15)],
      { bootstrapRounds: 0, minVotes: 30 },
    );
    const byModel = Object.fromEntries(small.models.map((m) => [m.model, m.provisional]));
    expect(byModel).toEqual({ a: false, b: true, c: true });
  });

  it("has no Elo when given aggregated cells", () => {
    const fromCells = computeLeaderboard(cells, { bootstrapRounds: 0 });
    expect(fromCells.models.every((m) => m.elo === null)).toBe(true);
  });

  it("uses zero-width intervals without bootstrap", () => {
    const none = computeLeaderboard(battles, { bootstrapRounds: 0 });
    expect(none.models.every((m) => m.ciLower === m.rating && m.ciUpper === m.rating)).toBe(true);
  });

  it("lists the larger group first and leaves cross-group predictions empty", () => {
    const split = computeLeaderboard(
      [...repeatBattle("x", "y", "model_a", 3), ...repeatBattle("y", "x", "model_a", 1), ...battles.slice(0, 50)],
      { bootstrapRounds: 0 },
    );
    const groups = split.models.map((m) => m.group);
    expect(groups).toEqual([...groups].sort());
    const xIndex = split.modelOrder.indexOf("x");
    expect(split.predictedWinRate[0][xIndex]).toBeNull();
  });

  it("is reproducible from the seed", () => {
    expect(computeLeaderboard(battles, { bootstrapRounds: 50, seed: 4 })).toEqual(
      computeLeaderboard(battles, { bootstrapRounds: 50, seed: 4 }),
    );
  });
});

describe("computeLeaderboardInSteps", () => {
  it("pauses during the bootstrap and ends with the same leaderboard as computeLeaderboard", () => {
    const battles = syntheticBattles({ a: 0.8, b: 0.4, c: 0, d: -0.3, e: -0.6, f: -1 }, 3000, 5);
    const steps = computeLeaderboardInSteps(battles, { bootstrapRounds: 200, seed: 3 });
    let pauses = 0;
    let next = steps.next();
    while (!next.done) {
      pauses += 1;
      next = steps.next();
    }
    expect(pauses).toBe(200 / BOOTSTRAP_ROUNDS_PER_STEP);
    expect(next.value).toEqual(computeLeaderboard(battles, { bootstrapRounds: 200, seed: 3 }));
  });
});
