import { describe, expect, it } from "vitest";
import { anonymizationLevels, CLUSTER_BLOCK, type PartitionAttribute } from "@/lib/domain/anonymization/mondrian";
import { createRandom, randomInt } from "@/lib/domain/random";

/** An attribute with `height` levels over `values`: level l groups values by value >> l (a binary hierarchy). */
function binaryAttribute(values: readonly number[], height: number): PartitionAttribute {
  const idsByLevel = Array.from({ length: height + 1 }, (_, level) =>
    Int32Array.from(values, (value) => (level === height ? 0 : value >> level)),
  );
  return { height, idsByLevel };
}

function groupsOf(levels: Uint8Array, attributes: readonly PartitionAttribute[], rowCount: number): Map<string, number> {
  const sizes = new Map<string, number>();
  for (let row = 0; row < rowCount; row++) {
    const key = attributes.map((attribute, index) => {
      const level = levels[row * attributes.length + index]!;
      return `${level}:${attribute.idsByLevel[level]![row]}`;
    });
    sizes.set(key.join("|"), (sizes.get(key.join("|")) ?? 0) + 1);
  }
  return sizes;
}

describe("anonymizationLevels", () => {
  it.each([
    [12, 3],
    [57, 5],
    [CLUSTER_BLOCK * 3 + 17, 5],
  ])("puts every row of %i rows in a group of at least k=%i that shares its released values", (rowCount, k) => {
    const random = createRandom(rowCount);
    const attributes = Array.from({ length: 6 }, () => binaryAttribute(Array.from({ length: rowCount }, () => randomInt(random, 8)), 4));
    const levels = anonymizationLevels(attributes, rowCount, k);
    for (const size of groupsOf(levels, attributes, rowCount).values()) expect(size).toBeGreaterThanOrEqual(k);
  });

  it("releases identical rows exactly", () => {
    const attributes = [binaryAttribute([5, 5, 5, 5, 5], 3), binaryAttribute([2, 2, 2, 2, 2], 3)];
    expect([...anonymizationLevels(attributes, 5, 5)]).toEqual(Array(10).fill(0));
  });

  it("withholds everything when there are fewer than k rows", () => {
    const attributes = [binaryAttribute([1, 2], 3)];
    expect([...anonymizationLevels(attributes, 2, 5)]).toEqual([3, 3]);
  });

  it("coarsens only the group of a rare value", () => {
    const values = [...Array(10).fill(0), ...Array(10).fill(4), 7];
    const levels = anonymizationLevels([binaryAttribute(values, 3)], values.length, 5);
    expect([...levels].filter((level) => level === 0).length).toBeGreaterThanOrEqual(15);
  });

  it("rejects k below 1", () => {
    expect(() => anonymizationLevels([], 0, 0)).toThrow(RangeError);
  });
});
