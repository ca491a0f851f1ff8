/**
 * Local recoding to k-anonymity over categorical generalization hierarchies, in two stages:
 * Mondrian multidimensional partitioning (LeFevre, DeWitt and Ramakrishnan, 2006) cuts large inputs
 * into blocks of at most CLUSTER_BLOCK rows, then each block is grouped four ways: Mondrian carried on to
 * the end, greedy k-member clustering (Byun et al., 2007), pattern clustering seed by seed (patternBlock)
 * and a global pattern-size greedy (greedyBlock); the grouping that keeps more detail (lowest levelCost)
 * is released. On the synthetic release of scripts/bench-kanon.ts (schema 4's ten quasi-identifiers) the
 * greedy won on large blocks (76.9 % of cells exact or one level up against 75.7 % for pattern
 * clustering) and the clusterings on small, lopsided ones (issue 16's fifteen alike and one rare); the blocks
 * keep the cost linear in the number of rows.
 *
 * Every attribute is given as value ids per hierarchy level (`idsByLevel[level][row]`, level 0 the most
 * precise, level `height` one id for all). The algorithm starts from one partition of all rows with every
 * attribute at its top level and repeatedly specializes one attribute of one partition by one level: the
 * rows are grouped by their value one level down; every group of at least k rows becomes a partition of
 * its own at that level, and the rare groups stay together, still at the upper level, as a remainder
 * partition (topped up with the smallest large group when they number fewer than k). So a rare value
 * coarsens only the few rows that carry it, never the whole column.
 *
 * Invariants (both stages):
 * - every final partition holds at least k rows (with fewer than k rows in all, one partition at the
 *   top level of every attribute);
 * - inside a partition every row has the same id at the partition's level of every attribute, so all its
 *   rows release the same combination of values;
 * - deterministic: ties are broken by attribute order and group order of first appearance.
 */
export interface PartitionAttribute {
  height: number;
  /** idsByLevel[level][row]; level `height` holds a single id. */
  idsByLevel: readonly Int32Array[];
}

interface Partition {
  rows: number[];
  levels: number[];
}

interface Split {
  attribute: number;
  /** Groups released one level down, each of at least k rows. */
  specialized: number[][];
  /** Rows that stay at the current level (empty, or at least k rows). */
  remainder: number[];
  specializedRows: number;
  /** Entropy (bits) of the split of the partition's rows into its parts: what the split reveals. */
  bits: number;
}

function groupRows(rows: readonly number[], ids: Int32Array): number[][] {
  const groups = new Map<number, number[]>();
  for (const row of rows) {
    const id = ids[row]!;
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  return [...groups.values()];
}

/** The split of `partition` on `attribute`, or null when it would specialize no row. */
function splitOn(partition: Partition, attribute: number, attributes: readonly PartitionAttribute[], k: number): Split | null {
  const level = partition.levels[attribute]!;
  if (level === 0) return null;
  const groups = groupRows(partition.rows, attributes[attribute]!.idsByLevel[level - 1]!);
  const large = groups.filter((group) => group.length >= k);
  let remainder = groups.filter((group) => group.length < k).flat();
  if (remainder.length > 0 && remainder.length < k) {
    let smallest = -1;
    large.forEach((group, index) => {
      if (smallest === -1 || group.length < large[smallest]!.length) smallest = index;
    });
    if (smallest === -1) return null;
    remainder = remainder.concat(large.splice(smallest, 1)[0]!);
  }
  if (large.length === 0) return null;
  const total = partition.rows.length;
  let bits = 0;
  for (const part of [...large, remainder]) if (part.length > 0) bits -= (part.length / total) * Math.log2(part.length / total);
  return { attribute, specialized: large, remainder, specializedRows: total - remainder.length, bits };
}

/**
 * The best split: the one that specializes the most rows per bit it reveals (the entropy of the split),
 * so cheap specializations (a value most rows share, an attribute already homogeneous) come before the
 * ones that fragment the partition; then attribute order.
 */
function bestSplit(partition: Partition, attributes: readonly PartitionAttribute[], k: number): Split | null {
  let best: Split | null = null;
  let bestScore = -1;
  attributes.forEach((_, index) => {
    const split = splitOn(partition, index, attributes, k);
    if (!split) return;
    const score = split.specializedRows / (split.bits + 0.01);
    if (score > bestScore) {
      best = split;
      bestScore = score;
    }
  });
  return best;
}

/** Blocks of at most this many rows are clustered; clustering costs O(block² · attributes) per block. */
export const CLUSTER_BLOCK = 1000;

/**
 * Cost of releasing an attribute at `level` of `height`, shaped like the measure of utility the release
 * reports (cells exact or one level up): exact is free, one level up nearly so, anything coarser costs 1
 * and withholding ("*") 1.5, so a coarser group is preferred to withholding the attribute.
 */
function levelCost(level: number, height: number): number {
  if (level === 0) return 0;
  if (level >= height) return 1.5;
  return level === 1 ? 0.1 : 1;
}

interface Cluster {
  rows: number[];
  /** Per attribute: the level at which all rows share one value. */
  levels: number[];
}

/** The level of `attribute` once `row` joins a cluster represented by `representative` at `level`. */
function joinedLevel(attribute: PartitionAttribute, level: number, representative: number, row: number): number {
  let joined = level;
  while (joined < attribute.height && attribute.idsByLevel[joined]![row] !== attribute.idsByLevel[joined]![representative]) joined++;
  return joined;
}

function joinCost(cluster: Cluster, row: number, attributes: readonly PartitionAttribute[]): number {
  let cost = 0;
  const representative = cluster.rows[0]!;
  attributes.forEach((attribute, index) => {
    cost += levelCost(joinedLevel(attribute, cluster.levels[index]!, representative, row), attribute.height);
  });
  return cost;
}

function join(cluster: Cluster, row: number, attributes: readonly PartitionAttribute[]): void {
  const representative = cluster.rows[0]!;
  attributes.forEach((attribute, index) => {
    cluster.levels[index] = joinedLevel(attribute, cluster.levels[index]!, representative, row);
  });
  cluster.rows.push(row);
}

/**
 * Greedy k-member clustering of one block (at least k rows): seeds are taken from the most common
 * rows first (the sum of −log frequency of their exact values is smallest), each cluster grows by the
 * row that raises its cost least until it has k rows, and the last fewer-than-k rows join the cluster
 * they cost least.
 */
function clusterBlock(rows: readonly number[], attributes: readonly PartitionAttribute[], k: number): Cluster[] {
  const remaining = commonFirst(rows, attributes);
  const taken = new Set<number>();
  const clusters: Cluster[] = [];
  let cursor = 0;
  while (rows.length - taken.size >= k) {
    while (taken.has(remaining[cursor]!)) cursor++;
    const seed = remaining[cursor]!;
    taken.add(seed);
    clusters.push(growCluster(seed, remaining, taken, k, attributes));
  }
  joinLeftovers(remaining, taken, clusters, attributes);
  return clusters;
}

/** A cluster of `seed` and the k − 1 free `candidates` that raise its cost least, added one by one (marked taken). */
function growCluster(seed: number, candidates: readonly number[], taken: Set<number>, k: number, attributes: readonly PartitionAttribute[]): Cluster {
  const cluster: Cluster = { rows: [seed], levels: attributes.map(() => 0) };
  while (cluster.rows.length < k) {
    let best = -1;
    let bestCost = Infinity;
    for (const row of candidates) {
      if (taken.has(row)) continue;
      const cost = joinCost(cluster, row, attributes);
      if (cost < bestCost) {
        bestCost = cost;
        best = row;
      }
    }
    taken.add(best);
    join(cluster, best, attributes);
  }
  return cluster;
}

/** The rows, most common first: by the sum of −log frequency of their exact values; ties by row. */
function commonFirst(rows: readonly number[], attributes: readonly PartitionAttribute[]): number[] {
  const rarity = new Map<number, number>();
  for (const row of rows) rarity.set(row, 0);
  for (const attribute of attributes) {
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(attribute.idsByLevel[0]![row]!, (counts.get(attribute.idsByLevel[0]![row]!) ?? 0) + 1);
    for (const row of rows) rarity.set(row, rarity.get(row)! - Math.log(counts.get(attribute.idsByLevel[0]![row]!)! / rows.length));
  }
  return [...rows].sort((a, b) => rarity.get(a)! - rarity.get(b)! || a - b);
}

/** Each row not yet taken joins the cluster it costs least. */
function joinLeftovers(rows: readonly number[], taken: Set<number>, clusters: Cluster[], attributes: readonly PartitionAttribute[]): void {
  for (const row of rows) {
    if (taken.has(row)) continue;
    let best = clusters[0]!;
    let bestCost = Infinity;
    for (const cluster of clusters) {
      const cost = joinCost(cluster, row, attributes);
      if (cost < bestCost) {
        bestCost = cost;
        best = cluster;
      }
    }
    join(best, row, attributes);
  }
}

/** Pattern clustering enumerates the 2^attributes subsets of a seed's fields; past this many it is skipped. */
const MAX_PATTERN_ATTRIBUTES = 16;

/**
 * Pattern clustering of one block (at least k rows), aimed at the measure directly: for each seed (most
 * common first) it finds the largest set S of attributes on which at least k − 1 free rows agree with the
 * seed one level up (agreement masks, then a superset sum over the subsets of attributes), and grows the
 * cluster from those rows only, by the row that raises its cost least. Null past MAX_PATTERN_ATTRIBUTES.
 */
function patternBlock(rows: readonly number[], attributes: readonly PartitionAttribute[], k: number): Cluster[] | null {
  const width = attributes.length;
  if (width > MAX_PATTERN_ATTRIBUTES) return null;
  const upper = attributes.map((attribute) => attribute.idsByLevel[Math.min(1, attribute.height - 1)]!);
  const order = commonFirst(rows, attributes);
  const subsets = 1 << width;
  const size = new Uint8Array(subsets);
  for (let subset = 1; subset < subsets; subset++) size[subset] = size[subset & (subset - 1)]! + 1;
  const sharing = new Int32Array(subsets);
  const masks = new Map<number, number>();
  const taken = new Set<number>();
  const clusters: Cluster[] = [];
  for (const seed of order) {
    if (rows.length - taken.size < k) break;
    if (taken.has(seed)) continue;
    taken.add(seed);
    sharing.fill(0);
    masks.clear();
    for (const row of order) {
      if (taken.has(row)) continue;
      let mask = 0;
      for (let attribute = 0; attribute < width; attribute++) if (upper[attribute]![row] === upper[attribute]![seed]) mask |= 1 << attribute;
      masks.set(row, mask);
      sharing[mask]! += 1;
    }
    for (let attribute = 0; attribute < width; attribute++) {
      const bit = 1 << attribute;
      for (let subset = 0; subset < subsets; subset++) if ((subset & bit) === 0) sharing[subset]! += sharing[subset | bit]!;
    }
    let pattern = 0;
    for (let subset = 0; subset < subsets; subset++) if (sharing[subset]! >= k - 1 && size[subset]! > size[pattern]!) pattern = subset;
    const candidates = [...masks].filter(([, mask]) => (mask & pattern) === pattern).map(([row]) => row);
    clusters.push(growCluster(seed, candidates, taken, k, attributes));
  }
  joinLeftovers(order, taken, clusters, attributes);
  return clusters;
}

/** Pattern-size greedy enumerates the subsets of attributes; past this many it is skipped. */
const MAX_GREEDY_ATTRIBUTES = 12;

/**
 * Pattern-size greedy grouping of one block (at least k rows), global rather than seed by seed: for the
 * largest pattern size first, it takes the set S of attributes whose rows, grouped by their values one
 * level up on S, fill the most cells in groups of at least k; each such group becomes a class, its rows
 * leave, and the search repeats at that size and then at smaller ones, down to the empty set (one class of
 * the rest). Each class is then specialized by Mondrian inside itself (levels only go down), and the last
 * fewer-than-k rows join the class they cost least. Null past MAX_GREEDY_ATTRIBUTES.
 */
function greedyBlock(rows: readonly number[], attributes: readonly PartitionAttribute[], k: number): Cluster[] | null {
  const width = attributes.length;
  if (width > MAX_GREEDY_ATTRIBUTES) return null;
  const upper = attributes.map((attribute) => attribute.idsByLevel[Math.min(1, attribute.height - 1)]!);
  const bySize: number[][] = Array.from({ length: width + 1 }, () => []);
  for (let subset = 0; subset < 1 << width; subset++) {
    let size = 0;
    for (let rest = subset; rest !== 0; rest &= rest - 1) size++;
    bySize[size]!.push(subset);
  }
  // A row's values on a subset, as one number in mixed radix (exact below 2^53: checked, else strings).
  const radix = upper.map((ids) => ids.reduce((max, id) => Math.max(max, id), 0) + 1);
  const numeric = radix.reduce((product, base) => product * base, 1) < Number.MAX_SAFE_INTEGER;
  const keyOf = (row: number, subset: number): number | string => {
    let key: number | string = numeric ? 0 : "";
    for (let attribute = 0; attribute < width; attribute++) {
      if ((subset & (1 << attribute)) === 0) continue;
      key = numeric ? (key as number) * radix[attribute]! + upper[attribute]![row]! : `${key}${upper[attribute]![row]},`;
    }
    return key;
  };
  const groupsOf = (members: readonly number[], subset: number): number[][] => {
    const groups = new Map<number | string, number[]>();
    for (const row of members) {
      const key = keyOf(row, subset);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return [...groups.values()];
  };
  const cellsOf = (members: readonly number[], subset: number, size: number): number => {
    const counts = new Map<number | string, number>();
    for (const row of members) {
      const key = keyOf(row, subset);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let cells = 0;
    for (const count of counts.values()) if (count >= k) cells += count * size;
    return cells;
  };
  let remaining = [...rows];
  const classes: number[][] = [];
  for (let size = width; size > 0 && remaining.length >= k; size--) {
    // Lazy greedy: a subset's cells only shrink as rows leave, so its last count bounds it; only the
    // subset with the best bound is counted again, and taken once no other bound beats it.
    const subsets = bySize[size]!;
    const bounds = subsets.map((subset) => cellsOf(remaining, subset, size));
    for (;;) {
      let best = -1;
      for (let index = 0; index < subsets.length; index++) if (bounds[index]! > 0 && (best === -1 || bounds[index]! > bounds[best]!)) best = index;
      if (best === -1 || remaining.length < k) break;
      const cells = cellsOf(remaining, subsets[best]!, size);
      bounds[best] = cells;
      if (cells === 0 || bounds.some((bound, index) => index !== best && bound > cells)) continue;
      const formed = groupsOf(remaining, subsets[best]!).filter((group) => group.length >= k);
      classes.push(...formed);
      const taken = new Set(formed.flat());
      remaining = remaining.filter((row) => !taken.has(row));
      bounds[best] = 0;
    }
  }
  if (remaining.length >= k) {
    classes.push(remaining);
    remaining = [];
  }
  const clusters = classes.flatMap((members) => mondrianGroups({ rows: members, levels: sharedLevels(members, attributes) }, attributes, k));
  const taken = new Set(clusters.flatMap((cluster) => cluster.rows));
  joinLeftovers(rows, taken, clusters, attributes);
  return clusters;
}

/** Per attribute, the lowest level at which all `rows` share one value. */
function sharedLevels(rows: readonly number[], attributes: readonly PartitionAttribute[]): number[] {
  return attributes.map((attribute) => {
    let level = 0;
    while (level < attribute.height && rows.some((row) => attribute.idsByLevel[level]![row] !== attribute.idsByLevel[level]![rows[0]!])) level++;
    return level;
  });
}

/** Mondrian all the way down inside one block: split while some split keeps every part at k rows or more. */
function mondrianGroups(block: Partition, attributes: readonly PartitionAttribute[], k: number): Cluster[] {
  const groups: Cluster[] = [];
  const stack: Partition[] = [block];
  while (stack.length > 0) {
    const partition = stack.pop()!;
    const split = bestSplit(partition, attributes, k);
    if (!split) {
      groups.push({ rows: partition.rows, levels: partition.levels });
      continue;
    }
    if (split.remainder.length > 0) stack.push({ rows: split.remainder, levels: partition.levels });
    const lower = partition.levels.map((level, index) => (index === split.attribute ? level - 1 : level));
    for (const rows of split.specialized) stack.push({ rows, levels: lower });
  }
  return groups;
}

function groupingCost(groups: readonly Cluster[], attributes: readonly PartitionAttribute[]): number {
  let cost = 0;
  for (const group of groups) {
    attributes.forEach((attribute, index) => (cost += group.rows.length * levelCost(group.levels[index]!, attribute.height)));
  }
  return cost;
}

/** Of two valid groupings of one block, the one that releases more detail (lower total level cost); ties: the first. */
function cheaperGrouping(first: Cluster[], second: Cluster[], attributes: readonly PartitionAttribute[]): Cluster[] {
  return groupingCost(second, attributes) < groupingCost(first, attributes) ? second : first;
}

/**
 * Groups `rowCount` rows into groups of at least k and returns, for each row, the level released for
 * each attribute: `levels[row * attributes.length + attribute]`. Mondrian splits while a partition has
 * more than CLUSTER_BLOCK rows; each smaller partition is grouped four ways (Mondrian, k-member and
 * pattern clustering, pattern-size greedy) and the grouping that releases more detail is kept.
 */
export function anonymizationLevels(attributes: readonly PartitionAttribute[], rowCount: number, k: number): Uint8Array {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const width = attributes.length;
  const levels = new Uint8Array(rowCount * width);
  const top = attributes.map((attribute) => attribute.height);
  const stack: Partition[] = [{ rows: Array.from({ length: rowCount }, (_, row) => row), levels: top }];
  while (stack.length > 0) {
    const partition = stack.pop()!;
    const split = partition.rows.length > CLUSTER_BLOCK ? bestSplit(partition, attributes, k) : null;
    if (split) {
      if (split.remainder.length > 0) stack.push({ rows: split.remainder, levels: partition.levels });
      const lower = partition.levels.map((level, index) => (index === split.attribute ? level - 1 : level));
      for (let index = split.specialized.length - 1; index >= 0; index--) stack.push({ rows: split.specialized[index]!, levels: lower });
      continue;
    }
    if (partition.rows.length < k) {
      for (const row of partition.rows) levels.set(partition.levels, row * width);
      continue;
    }
    let groups = cheaperGrouping(mondrianGroups(partition, attributes, k), clusterBlock(partition.rows, attributes, k), attributes);
    for (const candidate of [patternBlock(partition.rows, attributes, k), greedyBlock(partition.rows, attributes, k)]) {
      if (candidate) groups = cheaperGrouping(groups, candidate, attributes);
    }
    for (const group of groups) for (const row of group.rows) levels.set(group.levels, row * width);
  }
  return levels;
}
