import type { Random } from "../random";

/**
 * Repeated exact Multinomial(total, weights / Σweights) draws from weights fixed once (the
 * bootstrap's resample of the observed cells, drawn every round).
 *
 * Each draw is a Poissonization with an exact correction:
 *   1. every cell c draws X_c ~ Poisson(λ_c), λ_c = total · w_c / Σw, independently, by inversion
 *      searched from the mode, whose probability and cumulative probability are computed once (one
 *      uniform and about 0.8·√λ_c multiply-adds per cell, where a conditional binomial's constants
 *      depend on the draws so far and cost logarithms and exponentials every time);
 *   2. given their sum M the X_c are Multinomial(M, p): if M < total, the total − M missing draws
 *      are added one by one (alias method); if M > total, M − total of the drawn items are removed
 *      uniformly at random without replacement (a Fenwick tree over the counts). Adding independent
 *      draws, or keeping a uniformly random subset of exchangeable draws, leaves Multinomial(total, p).
 * |M − total| is about √total (≈ 1,300 at 1.67M draws), so a draw costs O(Σ√λ_c + √total · log cells).
 *
 * The mode's probabilities are normalized over the values within 1e-18 of the mode's probability:
 * the tails left out hold less than 2^-40 of the mass, below the 2^-32 resolution of one uniform, so
 * the inversion is as exact as the generator (as sampleBinomial's is).
 * Invariant: the result sums to `total`, is a non-negative integer vector, 0 where the weight is 0.
 */
export class MultinomialResampler {
  private readonly cellCount: number;
  private readonly total: number;
  /** Per cell: its Poisson rate λ, mode ⌊λ⌋, p(mode) and F(mode) = P(X ≤ mode). */
  private readonly rate: Float64Array;
  private readonly mode: Int32Array;
  private readonly modeProbability: Float64Array;
  private readonly modeCumulative: Float64Array;
  /** 1/λ per cell and 1/k for k past every mode: the walks multiply (a division is ~4× a product's latency on their critical path). */
  private readonly inverseRate: Float64Array;
  private readonly reciprocals: Float64Array;
  /** Vose alias table over the cells of positive weight (`aliasCells`), for the missing draws. */
  private readonly aliasCells: Int32Array;
  private readonly aliasProbability: Float64Array;
  private readonly alias: Int32Array;
  private readonly fenwick: Float64Array;
  /**
   * Small integer rates (most cells of a popularity-skewed dump hold a few battles) draw by a table
   * lookup instead of the walk: per distinct rate r ≤ TABLE_MAX_RATE, its CDF F(0…K) (F(K) = 2: the walk
   * always stops) at `cdfStart[r]`, and a guide of GUIDE_SIZE entries at `guideStart[r]`: guide[j] is the
   * smallest k with F(k) > j / GUIDE_SIZE, so the draw starts there and rarely steps (Chen and Asau's
   * indexed search). `tableRate[c]` is the cell's rate when it has a table, else 0.
   */
  private readonly tableRate: Int32Array;
  private readonly cdf: Float64Array;
  private readonly cdfStart: Int32Array;
  private readonly guide: Int32Array;

  constructor(weights: Float64Array, total: number) {
    const cellCount = weights.length;
    this.cellCount = cellCount;
    this.total = total;
    let weightSum = 0;
    for (let c = 0; c < cellCount; c++) weightSum += Math.max(0, weights[c]);
    this.rate = new Float64Array(cellCount);
    this.mode = new Int32Array(cellCount);
    this.modeProbability = new Float64Array(cellCount);
    this.modeCumulative = new Float64Array(cellCount);
    this.inverseRate = new Float64Array(cellCount);
    this.tableRate = new Int32Array(cellCount);
    let largestRate = 0;
    for (let c = 0; c < cellCount; c++) {
      const rate = weights[c] > 0 && weightSum > 0 ? (total * weights[c]) / weightSum : 0;
      this.rate[c] = rate;
      if (rate === 0) continue;
      largestRate = Math.max(largestRate, rate);
      // A cell with a table never walks: no mode to tabulate.
      if (rate <= TABLE_MAX_RATE && Number.isInteger(rate)) this.tableRate[c] = rate;
      else {
        this.inverseRate[c] = 1 / rate;
        this.tabulateMode(c, rate);
      }
    }
    this.reciprocals = new Float64Array(Math.ceil(largestRate + 20 * Math.sqrt(largestRate) + 64));
    for (let k = 0; k < this.reciprocals.length; k++) this.reciprocals[k] = 1 / k;
    const rates = this.rate;
    // Plain loops: TypedArray.from with an iterator or a mapping function costs microseconds an element.
    let positive = 0;
    for (let c = 0; c < cellCount; c++) if (rates[c] > 0) positive++;
    this.aliasCells = new Int32Array(positive);
    const aliasRates = new Float64Array(positive);
    for (let c = 0, k = 0; c < cellCount; c++) {
      if (rates[c] <= 0) continue;
      this.aliasCells[k] = c;
      aliasRates[k++] = rates[c];
    }
    this.aliasProbability = new Float64Array(positive);
    this.alias = new Int32Array(positive);
    buildAlias(aliasRates, this.aliasProbability, this.alias);
    // Over a power of two of cells (the ones past cellCount empty), so that the descent needs no bound check.
    let fenwickCells = 1;
    while (fenwickCells < cellCount) fenwickCells *= 2;
    this.fenwick = new Float64Array(fenwickCells + 1);
    const tables = poissonTables(this.tableRate);
    this.cdf = tables.cdf;
    this.cdfStart = tables.cdfStart;
    this.guide = tables.guide;
  }

  /** One draw into `into` (length = cells). */
  draw(random: Random, into: Float64Array): Float64Array {
    const drawn = this.drawPoisson(random, into);
    if (drawn < this.total) this.addDraws(random, into, this.total - drawn);
    else if (drawn > this.total) this.removeDraws(random, into, drawn, drawn - this.total);
    return into;
  }

  /**
   * Step 1 of a draw: every cell's Poisson count into `into`; returns their sum. A method of its own
   * so that the code V8 compiles on-stack while the first draw's loop runs (OSR) ends at the loop:
   * with the correction calls after the loop in the same function, that code was compiled before
   * either call had run, had no type feedback for `this.addDraws` / `this.removeDraws`, and was
   * re-entered and deoptimized at the end of every later draw until the regular optimized code took
   * over (Node 20's V8 keeps OSR code that bails out for missing feedback): 150 and 597 deoptimizations
   * of `draw` in two bench runs, 4–5 of both methods since (BENCHMARKS.md, "jit").
   */
  private drawPoisson(random: Random, into: Float64Array): number {
    const { rate, inverseRate, reciprocals, mode, modeProbability, modeCumulative, tableRate, cdf, cdfStart, guide } = this;
    let drawn = 0;
    for (let c = 0; c < this.cellCount; c++) {
      const small = tableRate[c];
      if (small > 0) {
        // Inversion by table: the smallest k with u < F(k), from the guide's start.
        const u = random();
        const start = cdfStart[small];
        let k = guide[small * GUIDE_SIZE + Math.floor(u * GUIDE_SIZE)];
        while (u >= cdf[start + k]) k++;
        into[c] = k;
        drawn += k;
        continue;
      }
      const lambda = rate[c];
      if (lambda === 0) {
        into[c] = 0;
        continue;
      }
      // Inversion, smallest k with u < F(k), searched from the mode: about 0.8·√λ steps.
      const u = random();
      let k = mode[c];
      let probability = modeProbability[c];
      let cumulative = modeCumulative[c];
      if (u < cumulative) {
        const inverse = inverseRate[c];
        let below = cumulative - probability;
        while (k > 0 && u < below) {
          probability *= k * inverse;
          k--;
          below -= probability;
        }
      } else {
        while (u >= cumulative && probability > 0) {
          k++;
          probability *= lambda * (k < reciprocals.length ? reciprocals[k] : 1 / k);
          cumulative += probability;
        }
      }
      into[c] = k;
      drawn += k;
    }
    return drawn;
  }

  /** p(mode) and F(mode) of Poisson(rate): probabilities relative to the mode's, normalized over the range that matters. */
  private tabulateMode(c: number, rate: number): void {
    const mode = Math.floor(rate);
    let sum = 1;
    let relative = 1;
    for (let k = mode + 1; relative >= TAIL_RATIO; k++) sum += relative = (relative * rate) / k;
    let below = 0;
    relative = 1;
    for (let k = mode; k > 0 && relative >= TAIL_RATIO; k--) below += relative = (relative * k) / rate;
    sum += below;
    this.mode[c] = mode;
    this.modeProbability[c] = 1 / sum;
    this.modeCumulative[c] = (1 + below) / sum;
  }

  private addDraws(random: Random, into: Float64Array, missing: number): void {
    const n = this.aliasCells.length;
    for (let k = 0; k < missing; k++) {
      const column = Math.floor(random() * n);
      into[this.aliasCells[random() < this.aliasProbability[column] ? column : this.alias[column]]] += 1;
    }
  }

  /**
   * Removes `excess` of the `drawn` items, each uniformly among those left. The Fenwick tree is built
   * by a method of its own for the reason drawPoisson is one: the first build's loop is long enough for
   * V8 to compile it on-stack, and that code, compiled before the removal loop below had ever run,
   * bailed out ("insufficient type feedback for compare operation") on entering it, at every later
   * call until the regular optimized code took over: 53 deoptimizations in one cold full read, each
   * call's removals then interpreted (BENCHMARKS.md, "fullread6").
   */
  private removeDraws(random: Random, into: Float64Array, drawn: number, excess: number): void {
    const tree = this.fenwickOf(into);
    const size = tree.length - 1;
    let left = drawn;
    for (let k = 0; k < excess; k++) {
      // A 53-bit uniform item index among those left: one 32-bit uniform would favour some items by ~left/2^32.
      let target = Math.floor((random() + random() / 4294967296) * left);
      let position = 0;
      // The first position whose prefix count exceeds target; empty cells past n are never reached (their prefix is the total).
      for (let bit = size; bit > 0; bit >>= 1) {
        const count = tree[position + bit];
        const take = count <= target ? 1 : 0;
        position += bit * take;
        target -= count * take;
      }
      into[position] -= 1;
      for (let i = position + 1; i <= size; i += i & -i) tree[i] -= 1;
      left--;
    }
  }

  /** The Fenwick tree (prefix sums) over the counts `into`, in this.fenwick. */
  private fenwickOf(into: Float64Array): Float64Array {
    const n = this.cellCount;
    const tree = this.fenwick;
    const size = tree.length - 1;
    tree.fill(0);
    for (let i = 1; i <= size; i++) {
      if (i <= n) tree[i] += into[i - 1];
      const parent = i + (i & -i);
      if (parent <= size) tree[parent] += tree[i];
    }
    return tree;
  }

}

/** Relative probability (to the mode's) below which Poisson values are left out of the normalization (see the class comment). */
const TAIL_RATIO = 1e-18;

/** Integer rates up to this draw from tables (see MultinomialResampler.tableRate). */
const TABLE_MAX_RATE = 64;
/** Guide entries per table: about twice the values that carry the mass, so that a draw seldom steps. */
const GUIDE_SIZE = 64;

/**
 * Poisson(r) CDF and guide tables for each distinct rate r in `rates` (0 = none), indexed by r. The
 * probabilities are those of tabulateMode's normalization (values within TAIL_RATIO of the mode's
 * probability, normalized over them), cumulated from 0; the last entry is 2 so that every draw stops.
 */
function poissonTables(rates: Int32Array): { cdf: Float64Array; cdfStart: Int32Array; guide: Int32Array } {
  const used = new Uint8Array(TABLE_MAX_RATE + 1);
  for (const rate of rates) used[rate] = 1;
  const cdfStart = new Int32Array(TABLE_MAX_RATE + 1);
  const guide = new Int32Array((TABLE_MAX_RATE + 1) * GUIDE_SIZE);
  const values: number[] = [];
  for (let rate = 1; rate <= TABLE_MAX_RATE; rate++) {
    if (used[rate] === 0) continue;
    // Probabilities relative to the mode's over the values that matter, computed outward from the mode as tabulateMode does.
    const mode = rate;
    const above: number[] = [];
    for (let k = mode + 1, relative = 1; relative >= TAIL_RATIO; k++) above.push((relative = (relative * rate) / k));
    const below: number[] = [];
    for (let k = mode, relative = 1; k > 0 && relative >= TAIL_RATIO; k--) below.push((relative = (relative * k) / rate));
    const low = mode - below.length;
    const relatives = [...below.reverse(), 1, ...above];
    const sum = relatives.reduce((total, value) => total + value, 0);
    cdfStart[rate] = values.length;
    for (let k = 0; k < low; k++) values.push(0);
    let cumulative = 0;
    for (const value of relatives) values.push((cumulative += value / sum));
    values[values.length - 1] = 2;
    const start = cdfStart[rate];
    let k = 0;
    for (let j = 0; j < GUIDE_SIZE; j++) {
      while (values[start + k] <= j / GUIDE_SIZE) k++;
      guide[rate * GUIDE_SIZE + j] = k;
    }
  }
  return { cdf: Float64Array.from(values), cdfStart, guide };
}

/** Vose's alias method over positive `rates`: column c keeps itself with `probability[c]`, else goes to `alias[c]`. */
function buildAlias(rates: Float64Array, probability: Float64Array, alias: Int32Array): void {
  const n = rates.length;
  let sum = 0;
  for (let c = 0; c < n; c++) sum += rates[c];
  const scaled = new Float64Array(n);
  for (let c = 0; c < n; c++) scaled[c] = (rates[c] * n) / sum;
  const small: number[] = [];
  const large: number[] = [];
  for (let c = 0; c < n; c++) (scaled[c] < 1 ? small : large).push(c);
  while (small.length > 0 && large.length > 0) {
    const less = small.pop()!;
    const more = large.pop()!;
    probability[less] = scaled[less];
    alias[less] = more;
    scaled[more] += scaled[less] - 1;
    (scaled[more] < 1 ? small : large).push(more);
  }
  // What rounding leaves over is a full column of its own.
  for (const c of [...large, ...small]) {
    probability[c] = 1;
    alias[c] = c;
  }
}
