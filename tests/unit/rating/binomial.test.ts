import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/domain/random";
import { sampleBinomial, sampleMultinomial } from "@/lib/domain/rating/binomial";

function moments(n: number, p: number, draws: number, seed: number) {
  const random = createRandom(seed);
  let sum = 0;
  let squares = 0;
  for (let k = 0; k < draws; k++) {
    const x = sampleBinomial(random, n, p);
    sum += x;
    squares += x * x;
  }
  const mean = sum / draws;
  return { mean, variance: squares / draws - mean * mean };
}

describe("sampleBinomial", () => {
  it("returns 0 for p = 0 and n for p = 1", () => {
    const random = createRandom(1);
    expect(sampleBinomial(random, 50, 0)).toBe(0);
    expect(sampleBinomial(random, 50, 1)).toBe(50);
  });

  it("stays within [0, n] and integral", () => {
    const random = createRandom(2);
    for (let k = 0; k < 2000; k++) {
      const x = sampleBinomial(random, 1000, 0.37);
      expect(Number.isInteger(x) && x >= 0 && x <= 1000).toBe(true);
    }
  });

  it("has mean np and variance np(1-p) on the inversion path (small np)", () => {
    const { mean, variance } = moments(40, 0.2, 40_000, 3);
    expect(mean).toBeCloseTo(8, 1);
    expect(variance / 6.4).toBeGreaterThan(0.95);
    expect(variance / 6.4).toBeLessThan(1.05);
  });

  it("has mean np and variance np(1-p) on the BTPE path (large np)", () => {
    const { mean, variance } = moments(100_000, 0.3, 40_000, 4);
    expect(Math.abs(mean - 30_000)).toBeLessThan(2);
    expect(variance / 21_000).toBeGreaterThan(0.95);
    expect(variance / 21_000).toBeLessThan(1.05);
  });

  it("handles p > 1/2 by symmetry", () => {
    const { mean } = moments(10_000, 0.9, 20_000, 5);
    expect(Math.abs(mean - 9000)).toBeLessThan(1);
  });

  it("is reproducible from the seed", () => {
    const a = createRandom(9);
    const b = createRandom(9);
    const first = Array.from({ length: 20 }, () => sampleBinomial(a, 5000, 0.1));
    expect(Array.from({ length: 20 }, () => sampleBinomial(b, 5000, 0.1))).toEqual(first);
  });
});

describe("sampleMultinomial", () => {
  it("sums to the number of draws and leaves zero-weight cells empty", () => {
    const weights = Float64Array.from([5, 0, 3, 2, 0]);
    const drawn = sampleMultinomial(createRandom(6), 1_000_000, weights);
    expect(drawn.reduce((s, v) => s + v, 0)).toBe(1_000_000);
    expect(drawn[1]).toBe(0);
    expect(drawn[4]).toBe(0);
  });

  it("matches the expected proportions", () => {
    const drawn = sampleMultinomial(createRandom(7), 1_000_000, Float64Array.from([1, 2, 7]));
    expect(drawn[0] / 1e6).toBeCloseTo(0.1, 2);
    expect(drawn[2] / 1e6).toBeCloseTo(0.7, 2);
  });
});
