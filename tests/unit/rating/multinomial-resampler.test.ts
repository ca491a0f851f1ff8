import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/domain/random";
import { MultinomialResampler } from "@/lib/domain/rating/multinomial-resampler";

/** Per-cell means, variances and the covariance of cells 0 and 1 over `rounds` draws. */
function moments(weights: number[], total: number, rounds: number, seed: number) {
  const resampler = new MultinomialResampler(Float64Array.from(weights), total);
  const into = new Float64Array(weights.length);
  const sum = new Float64Array(weights.length);
  const squares = new Float64Array(weights.length);
  let cross = 0;
  let wellFormed = true;
  const random = createRandom(seed);
  for (let round = 0; round < rounds; round++) {
    resampler.draw(random, into);
    wellFormed &&= into.reduce((s, v) => s + v, 0) === total;
    for (let c = 0; c < weights.length; c++) {
      wellFormed &&= Number.isInteger(into[c]) && into[c] >= 0;
      sum[c] += into[c];
      squares[c] += into[c] * into[c];
    }
    cross += into[0] * into[1];
  }
  const mean = Array.from(sum, (s) => s / rounds);
  const variance = Array.from(squares, (s, c) => s / rounds - mean[c] * mean[c]);
  expect(wellFormed).toBe(true);
  return { mean, variance, covariance01: cross / rounds - mean[0] * mean[1] };
}

describe("MultinomialResampler", () => {
  it("draws Multinomial(total, p): means N·p, variances N·p(1−p), covariance −N·p0·p1", () => {
    // Small and large cells, and a total whose Poisson draw overshoots and undershoots it.
    const weights = [3000, 500, 40, 7, 1, 0.5, 1451.5];
    const total = 5000;
    const { mean, variance, covariance01 } = moments(weights, total, 20_000, 11);
    const weightSum = weights.reduce((s, w) => s + w, 0);
    weights.forEach((weight, c) => {
      const p = weight / weightSum;
      expect(Math.abs(mean[c] - total * p)).toBeLessThan(5 * Math.sqrt((total * p * (1 - p)) / 20_000) + 1e-9);
      expect(variance[c] / (total * p * (1 - p))).toBeGreaterThan(0.95);
      expect(variance[c] / (total * p * (1 - p))).toBeLessThan(1.05);
    });
    const expected = (-total * weights[0] * weights[1]) / weightSum ** 2;
    expect(covariance01 / expected).toBeGreaterThan(0.9);
    expect(covariance01 / expected).toBeLessThan(1.1);
  });

  it("draws many small integer cells (table draws) and removes overshoot uniformly across a non-power-of-two count of cells", () => {
    const random = createRandom(3);
    const weights = Array.from({ length: 600 }, () => 1 + Math.floor(random() * 40));
    const total = weights.reduce((s, w) => s + w, 0);
    const rounds = 4000;
    const { mean, variance } = moments(weights, total, rounds, 29);
    weights.forEach((weight, c) => {
      const p = weight / total;
      expect(Math.abs(mean[c] - total * p)).toBeLessThan(5 * Math.sqrt((total * p * (1 - p)) / rounds));
    });
    const varianceRatio = variance.reduce((s, v, c) => s + v / (total * (weights[c] / total) * (1 - weights[c] / total)), 0) / weights.length;
    expect(varianceRatio).toBeGreaterThan(0.97);
    expect(varianceRatio).toBeLessThan(1.03);
  });

  it("leaves zero-weight cells empty and is reproducible from the seed", () => {
    const resampler = new MultinomialResampler(Float64Array.from([5, 0, 3, 2, 0]), 100_000);
    const first = resampler.draw(createRandom(6), new Float64Array(5));
    expect(first[1]).toBe(0);
    expect(first[4]).toBe(0);
    expect(first.reduce((s, v) => s + v, 0)).toBe(100_000);
    expect(resampler.draw(createRandom(6), new Float64Array(5))).toEqual(first);
  });

  it("draws the whole total into a single cell", () => {
    const resampler = new MultinomialResampler(Float64Array.from([0, 42, 0]), 1000);
    expect(Array.from(resampler.draw(createRandom(1), new Float64Array(3)))).toEqual([0, 1000, 0]);
  });

  it("keeps its draws: a style-fit-sized resample (20,000 cells of one battle, overshoots removed) gives the pinned sums", () => {
    // Pinned from the draws before removeDraws' Fenwick build moved into a method of its own (fullread6):
    // the split may change what V8 compiles, never which uniforms a draw consumes or what it returns.
    const cells = 20_000;
    const resampler = new MultinomialResampler(new Float64Array(cells).fill(1), cells);
    const drawn = new Float64Array(cells);
    const random = createRandom(42);
    const weighted: number[] = [];
    for (let round = 0; round < 40; round++) {
      resampler.draw(random, drawn);
      let sum = 0;
      for (let c = 0; c < cells; c++) sum += drawn[c] * ((c % 1009) + 1);
      weighted.push(sum);
    }
    expect(weighted.slice(0, 5)).toEqual([10072779, 9999575, 9977266, 9974513, 10072836]);
    expect(weighted.reduce((total, sum) => total + sum, 0)).toBe(401521296);
  });
});
