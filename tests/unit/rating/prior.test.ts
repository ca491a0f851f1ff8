import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/domain/random";
import { sampleBinomial } from "@/lib/domain/rating/binomial";
import { BattleDumpReader } from "@/lib/domain/rating/battle-dump";
import { aggregateBattleCells } from "@/lib/domain/rating/cells";
import { computeLeaderboard, type Leaderboard } from "@/lib/domain/rating/leaderboard";
import { DEFAULT_PRIOR_SD_POINTS } from "@/lib/domain/rating/prior";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_CODES, OUTCOME_TIE, type BattleCells } from "@/lib/domain/rating/types";
import { repeatBattle } from "./helpers";

const prior = { priorSdPoints: DEFAULT_PRIOR_SD_POINTS };
const byModel = (board: Leaderboard) => Object.fromEntries(board.models.map((entry) => [entry.model, entry]));

function fixtureCells(name: string): BattleCells {
  const reader = new BattleDumpReader({ skipInvalid: true });
  const bytes = readFileSync(resolve(import.meta.dirname, "../../fixtures/peer_data", name));
  reader.consume(bytes, bytes.length, true);
  return aggregateBattleCells(reader.builder.build());
}

/** `total` battles over every pair of models with planted strengths, as cells (10% ties). */
function syntheticCells(strengths: number[], total: number, seed: number): BattleCells {
  const random = createRandom(seed);
  const n = strengths.length;
  const counts = new Float64Array(n * n * OUTCOME_CODES);
  const pairs = (n * (n - 1)) / 2;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const battles = Math.round(total / pairs);
      const ties = sampleBinomial(random, battles, 0.1);
      const winsA = sampleBinomial(random, battles - ties, 1 / (1 + Math.exp(strengths[b] - strengths[a])));
      const base = (a * n + b) * OUTCOME_CODES;
      counts[base + OUTCOME_A_WINS] = winsA;
      counts[base + OUTCOME_B_WINS] = battles - ties - winsA;
      counts[base + OUTCOME_TIE] = ties;
    }
  }
  return { models: strengths.map((_, i) => `m${i}`), counts, total: counts.reduce((sum, count) => sum + count, 0) };
}

describe("small-sample Bradley–Terry (Gaussian prior on log-strengths)", () => {
  it("stays finite and modest under complete separation, where the plain MLE runs off", () => {
    for (const votes of [1, 3, 20]) {
      const battles = repeatBattle("a", "b", "model_a", votes);
      const plain = byModel(computeLeaderboard(battles, { bootstrapRounds: 0 }));
      const shrunk = byModel(computeLeaderboard(battles, { bootstrapRounds: 0, ...prior }));
      expect(plain.a.rating - plain.b.rating).toBeGreaterThan(1500);
      const gap = shrunk.a.rating - shrunk.b.rating;
      expect(gap).toBeGreaterThan(0);
      expect(gap).toBeLessThan(votes === 1 ? 500 : 1000);
      expect(shrunk.a.rating + shrunk.b.rating).toBeCloseTo(2000, 6);
    }
  });

  it("never gives ±0 intervals: one vote has an interval of hundreds of points, with or without a bootstrap", () => {
    const battles = repeatBattle("a", "b", "model_a", 1);
    for (const bootstrapRounds of [0, 100]) {
      const board = computeLeaderboard(battles, { bootstrapRounds, ...prior });
      expect(board.intervalMethod).toBe(bootstrapRounds > 0 ? "bootstrap-or-posterior" : "posterior");
      for (const entry of board.models) {
        expect(entry.ciUpper - entry.rating).toBeGreaterThan(150);
        expect(entry.rating - entry.ciLower).toBeGreaterThan(150);
      }
    }
    expect(computeLeaderboard(battles, { bootstrapRounds: 0 }).intervalMethod).toBeNull();
  });

  it("ranks no model that lacks a win or a loss, or the minimum votes", () => {
    const battles = [...repeatBattle("a", "b", "model_a", 40), ...repeatBattle("b", "c", "model_a", 40), ...repeatBattle("c", "a", "model_a", 10)];
    const board = byModel(computeLeaderboard(battles, { bootstrapRounds: 0, minVotes: 30, ...prior }));
    expect([board.a.ranked, board.b.ranked, board.c.ranked]).toEqual([true, true, true]);
    const lopsided = byModel(computeLeaderboard([...battles, ...repeatBattle("d", "a", "model_a", 40)], { bootstrapRounds: 0, minVotes: 30, ...prior }));
    expect(lopsided.d.ranked).toBe(false);
    const few = byModel(computeLeaderboard(battles, { bootstrapRounds: 0, minVotes: 60, ...prior }));
    expect(few.c.ranked).toBe(false);
  });

  it("ranks disconnected groups separately, each centred at 1000", () => {
    const battles = [
      ...repeatBattle("a", "b", "model_a", 30),
      ...repeatBattle("b", "a", "model_a", 10),
      ...repeatBattle("x", "y", "model_a", 10),
      ...repeatBattle("y", "x", "model_a", 30),
    ];
    const board = computeLeaderboard(battles, { bootstrapRounds: 0, minVotes: 1, ...prior });
    expect(board.groupCount).toBe(2);
    const models = byModel(board);
    expect(models.a.group).not.toBe(models.x.group);
    expect(models.a.rating + models.b.rating).toBeCloseTo(2000, 6);
    expect(models.x.rating + models.y.rating).toBeCloseTo(2000, 6);
    // Each group has its own rank 1: y (group 2) is not ranked against a (group 1).
    expect(models.a.rankUb).toBe(1);
    expect(models.y.rankUb).toBe(1);
  });

  it.each(["genai_arena_clean_battle_20240220.json", "llmfao_battles.jsonl"])("fades into the plain MLE on the public fixture %s (within 0.5 points for every ranked model)", (name) => {
    const cells = fixtureCells(name);
    const plain = byModel(computeLeaderboard(cells, { bootstrapRounds: 0 }));
    const shrunk = computeLeaderboard(cells, { bootstrapRounds: 0, minVotes: 30, ...prior });
    // The models a board ranks: below 30 votes, or without a win and a loss, a model shows "not enough votes yet".
    const placed = shrunk.models.filter((entry) => entry.ranked);
    expect(placed.length).toBeGreaterThan(5);
    for (const entry of placed) expect(Math.abs(entry.rating - plain[entry.model].rating), entry.model).toBeLessThan(0.5);
  });

  it("fades into the plain MLE at a million battles (within 0.5 points; 0.05 in practice)", () => {
    const strengths = Array.from({ length: 40 }, (_, i) => (i - 20) / 8);
    const cells = syntheticCells(strengths, 1_000_000, 7);
    const plain = byModel(computeLeaderboard(cells, { bootstrapRounds: 0 }));
    for (const entry of computeLeaderboard(cells, { bootstrapRounds: 0, ...prior }).models) {
      expect(Math.abs(entry.rating - plain[entry.model].rating)).toBeLessThan(0.05);
    }
  });
});
