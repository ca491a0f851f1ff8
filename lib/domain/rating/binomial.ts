import type { Random } from "../random";

/**
 * Exact Binomial(n, p) sampling in O(1) expected time: inversion when n·min(p,1−p) ≤ 30,
 * otherwise BTPE (Kachitvichyanukul & Schmeiser 1988, the algorithm numpy uses).
 * Invariant: the result is an integer in [0, n]; p ≤ 0 gives 0 and p ≥ 1 gives n.
 */
export function sampleBinomial(random: Random, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p <= 0.5) return n * p <= 30 ? binomialInversion(random, n, p) : binomialBtpe(random, n, p);
  const q = 1 - p;
  return n - (n * q <= 30 ? binomialInversion(random, n, q) : binomialBtpe(random, n, q));
}

function binomialInversion(random: Random, n: number, p: number): number {
  const q = 1 - p;
  const qn = Math.exp(n * Math.log(q));
  const np = n * p;
  const bound = Math.min(n, Math.floor(np + 10 * Math.sqrt(np * q + 1)));
  let x = 0;
  let px = qn;
  let u = random();
  while (u > px) {
    x++;
    if (x > bound) {
      x = 0;
      px = qn;
      u = random();
    } else {
      u -= px;
      px = ((n - x + 1) * p * px) / (x * q);
    }
  }
  return x;
}

/** Stirling-series correction used by BTPE's final acceptance test. */
function stirlingTail(x: number): number {
  const x2 = x * x;
  return (13680 - (462 - (132 - (99 - 140 / x2) / x2) / x2) / x2) / x / 166320;
}

/** BTPE for p ≤ 0.5 and n·p > 30. */
function binomialBtpe(random: Random, n: number, p: number): number {
  const r = p;
  const q = 1 - r;
  const fm = n * r + r;
  const m = Math.floor(fm);
  const nrq = n * r * q;
  const p1 = Math.floor(2.195 * Math.sqrt(nrq) - 4.6 * q) + 0.5;
  const xm = m + 0.5;
  const xl = xm - p1;
  const xr = xm + p1;
  const c = 0.134 + 20.5 / (15.3 + m);
  let a = (fm - xl) / (fm - xl * r);
  const laml = a * (1 + a / 2);
  a = (xr - fm) / (xr * q);
  const lamr = a * (1 + a / 2);
  const p2 = p1 * (1 + 2 * c);
  const p3 = p2 + c / laml;
  const p4 = p3 + c / lamr;

  for (;;) {
    const u = random() * p4;
    let v = random();
    let y: number;
    if (u <= p1) {
      // Triangular centre region: accepted without a density test.
      return Math.floor(xm - p1 * v + u);
    }
    if (u <= p2) {
      const x = xl + (u - p1) / c;
      v = v * c + 1 - Math.abs(m - x + 0.5) / p1;
      if (v > 1) continue;
      y = Math.floor(x);
    } else if (u <= p3) {
      y = Math.floor(xl + Math.log(v) / laml);
      if (y < 0 || v === 0) continue;
      v = v * (u - p2) * laml;
    } else {
      y = Math.floor(xr - Math.log(v) / lamr);
      if (y > n || v === 0) continue;
      v = v * (u - p3) * lamr;
    }

    const k = Math.abs(y - m);
    if (k <= 20 || k >= nrq / 2 - 1) {
      // Explicit evaluation of f(y)/f(m) by the recurrence.
      const s = r / q;
      const aa = s * (n + 1);
      let f = 1;
      if (m < y) {
        for (let i = m + 1; i <= y; i++) f *= aa / i - s;
      } else if (m > y) {
        for (let i = y + 1; i <= m; i++) f /= aa / i - s;
      }
      if (v > f) continue;
      return y;
    }

    // Squeeze on log f(y)/f(m), then the exact Stirling-based test.
    const rho = (k / nrq) * ((k * (k / 3 + 0.625) + 0.16666666666666666) / nrq + 0.5);
    const t = (-k * k) / (2 * nrq);
    const logV = Math.log(v);
    if (logV < t - rho) return y;
    if (logV > t + rho) continue;
    const x1 = y + 1;
    const f1 = m + 1;
    const z = n + 1 - m;
    const w = n - y + 1;
    const bound =
      xm * Math.log(f1 / x1) +
      (n - m + 0.5) * Math.log(z / w) +
      (y - m) * Math.log((w * r) / (x1 * q)) +
      stirlingTail(f1) +
      stirlingTail(z) +
      stirlingTail(x1) +
      stirlingTail(w);
    if (logV > bound) continue;
    return y;
  }
}

/**
 * Multinomial resample of `total` draws over cells with probabilities proportional to `weights`,
 * via conditional binomials: O(cells) per call, independent of `total`.
 * Invariant: the result sums to `total` and is 0 wherever the weight is 0.
 */
export function sampleMultinomial(
  random: Random,
  total: number,
  weights: Float64Array,
  into: Float64Array = new Float64Array(weights.length),
): Float64Array {
  let remainingDraws = total;
  let remainingWeight = 0;
  for (let c = 0; c < weights.length; c++) remainingWeight += weights[c];
  let last = -1;
  for (let c = 0; c < weights.length; c++) if (weights[c] > 0) last = c;
  for (let c = 0; c < weights.length; c++) {
    const weight = weights[c];
    if (weight <= 0 || remainingDraws === 0) {
      into[c] = 0;
      continue;
    }
    const drawn = c === last ? remainingDraws : sampleBinomial(random, remainingDraws, weight / remainingWeight);
    into[c] = drawn;
    remainingDraws -= drawn;
    remainingWeight -= weight;
  }
  return into;
}
