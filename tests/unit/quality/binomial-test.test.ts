import { describe, expect, it } from "vitest";
import { binomialTestHalf } from "@/lib/domain/quality/binomial-test";

describe("binomialTestHalf", () => {
  it("returns 1 for no trials", () => {
    expect(binomialTestHalf(0, 0)).toBe(1);
  });

  it("returns 1 for a perfectly balanced split", () => {
    expect(binomialTestHalf(5, 10)).toBe(1);
  });

  it("matches the exact value for 9 of 10", () => {
    expect(binomialTestHalf(9, 10)).toBeCloseTo(22 / 1024, 12);
  });

  it("matches the exact value for 10 of 10", () => {
    expect(binomialTestHalf(10, 10)).toBeCloseTo(2 / 1024, 12);
  });

  it("is symmetric in successes and failures", () => {
    expect(binomialTestHalf(3, 17)).toBeCloseTo(binomialTestHalf(14, 17), 12);
  });

  it("stays accurate for thousands of trials", () => {
    expect(binomialTestHalf(2600, 5000)).toBeCloseTo(0.0048836497375, 9);
  });

  it("underflows to 0 only for splits beyond double precision", () => {
    expect(binomialTestHalf(1000, 1000)).toBeGreaterThan(0);
    expect(binomialTestHalf(5000, 5000)).toBe(0);
  });

  it("rejects impossible inputs", () => {
    expect(() => binomialTestHalf(11, 10)).toThrow(RangeError);
    expect(() => binomialTestHalf(-1, 10)).toThrow(RangeError);
    expect(() => binomialTestHalf(1.5, 10)).toThrow(RangeError);
  });
});
