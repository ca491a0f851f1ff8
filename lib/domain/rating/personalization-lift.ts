import { createRandom } from "../random";
import { MultinomialResampler } from "./multinomial-resampler";
import { quantileOfSorted } from "./bootstrap";
import { minimiseByNewton, softplus } from "./newton";
import type { Outcome } from "./types";

/**
 * Personalization lift: how much seeing the annotator's persona helps each model.
 *
 * The model is a Bradley–Terry model with one extra term per model: the side of model i plays with
 * strength θ_i + δ_i·p, where p = 1 when that side saw the persona. In an experiment battle exactly
 * one side is personalized, so δ is identified by those battles (both-personalized battles inform
 * θ_i + δ_i, generic battles θ_i). Ties and both-bad count half a win each way, as in the ratings.
 * θ is kept at mean 0 with a tiny ridge; δ has a weak Gaussian prior (sd `liftPriorSd` in log-odds)
 * so a model with few experiment battles gets a finite, honest estimate with a wide interval.
 *
 * A model's reported lift is in win-rate points against the opponents it actually met in
 * experiment battles: mean over those battles of σ(θ_i + δ_i − θ_j) − σ(θ_i − θ_j), i.e. its
 * personalized answer's win probability minus its generic answer's, against the same generic
 * opponent. The 95% interval is a percentile bootstrap over battles (multinomial on cells, seeded).
 */
export interface TLiftBattle {
  modelA: string;
  modelB: string;
  personalizedA: boolean;
  personalizedB: boolean;
  outcome: Outcome;
  /** How many such battles (default 1): grouped votes need not be expanded. */
  count?: number;
}

export interface TLiftOptions {
  bootstrapRounds?: number;
  seed?: number;
  liftPriorSd?: number;
}

export interface TModelLift {
  model: string;
  /** Experiment battles (exactly one side personalized) this model played. */
  experimentBattles: number;
  /** Of those, the ones where this model's side was the personalized one. */
  personalizedSide: number;
  /** Win-rate points (−1…1); null when the model played no experiment battle. */
  lift: number | null;
  lower: number | null;
  upper: number | null;
  /** δ_i, log-odds. */
  logOddsLift: number;
}

interface LiftCells {
  models: string[];
  /** Per cell: model index and personalization of each side, outcome code 0 = A, 1 = B, 2 = half. */
  a: Int32Array;
  b: Int32Array;
  pa: Uint8Array;
  pb: Uint8Array;
  result: Uint8Array;
  counts: Float64Array;
}

const THETA_RIDGE = 1e-6;

function toCells(battles: readonly TLiftBattle[]): LiftCells {
  const modelIndex = new Map<string, number>();
  const index = (model: string) => {
    let value = modelIndex.get(model);
    if (value === undefined) modelIndex.set(model, (value = modelIndex.size));
    return value;
  };
  const cellIndex = new Map<string, number>();
  const a: number[] = [], b: number[] = [], pa: number[] = [], pb: number[] = [], result: number[] = [], counts: number[] = [];
  for (const battle of battles) {
    const ia = index(battle.modelA);
    const ib = index(battle.modelB);
    const code = battle.outcome === "model_a" ? 0 : battle.outcome === "model_b" ? 1 : 2;
    const key = `${ia},${ib},${+battle.personalizedA},${+battle.personalizedB},${code}`;
    const existing = cellIndex.get(key);
    const count = battle.count ?? 1;
    if (existing !== undefined) {
      counts[existing] += count;
      continue;
    }
    cellIndex.set(key, counts.length);
    a.push(ia); b.push(ib); pa.push(+battle.personalizedA); pb.push(+battle.personalizedB); result.push(code); counts.push(count);
  }
  return {
    models: [...modelIndex.keys()],
    a: Int32Array.from(a), b: Int32Array.from(b), pa: Uint8Array.from(pa), pb: Uint8Array.from(pb),
    result: Uint8Array.from(result), counts: Float64Array.from(counts),
  };
}

/** x = [θ_0..θ_{m−1}, δ_0..δ_{m−1}]. */
function fit(cells: LiftCells, counts: Float64Array, liftPrecision: number, initial?: Float64Array): Float64Array {
  const m = cells.models.length;
  const n = 2 * m;
  const margin = (x: Float64Array, c: number) =>
    x[cells.a[c]] + x[m + cells.a[c]] * cells.pa[c] - x[cells.b[c]] - x[m + cells.b[c]] * cells.pb[c];
  const ridge = (i: number) => (i < m ? THETA_RIDGE : liftPrecision);
  return minimiseByNewton(
    {
      dimension: n,
      loss(x) {
        let loss = 0;
        for (let c = 0; c < counts.length; c++) {
          if (counts[c] === 0) continue;
          const d = margin(x, c);
          const winA = cells.result[c] === 0 ? 1 : cells.result[c] === 1 ? 0 : 0.5;
          loss += counts[c] * (winA * softplus(-d) + (1 - winA) * softplus(d));
        }
        for (let i = 0; i < n; i++) loss += 0.5 * ridge(i) * x[i] * x[i];
        return loss;
      },
      gradientAndHessian(x, gradient, hessian) {
        gradient.fill(0);
        hessian.fill(0);
        const coordinates = [0, 0, 0, 0];
        const signs = [1, 1, -1, -1];
        for (let c = 0; c < counts.length; c++) {
          if (counts[c] === 0) continue;
          const d = margin(x, c);
          const p = 1 / (1 + Math.exp(-d));
          const winA = cells.result[c] === 0 ? 1 : cells.result[c] === 1 ? 0 : 0.5;
          const g = counts[c] * (p - winA);
          const h = counts[c] * p * (1 - p);
          coordinates[0] = cells.a[c];
          coordinates[1] = cells.pa[c] ? m + cells.a[c] : -1;
          coordinates[2] = cells.b[c];
          coordinates[3] = cells.pb[c] ? m + cells.b[c] : -1;
          for (let u = 0; u < 4; u++) {
            const i = coordinates[u];
            if (i < 0) continue;
            gradient[i] += signs[u] * g;
            for (let v = 0; v < 4; v++) {
              const j = coordinates[v];
              if (j >= 0) hessian[i * n + j] += signs[u] * signs[v] * h;
            }
          }
        }
        for (let i = 0; i < n; i++) {
          gradient[i] += ridge(i) * x[i];
          hessian[i * n + i] += ridge(i);
        }
      },
    },
    { initial, centreGroups: new Int32Array(m) },
  ).x;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Win-rate lift of every model against its experiment opponents, for parameters x. */
function winRateLifts(cells: LiftCells, counts: Float64Array, x: Float64Array): Float64Array {
  const m = cells.models.length;
  const sum = new Float64Array(m);
  const weight = new Float64Array(m);
  for (let c = 0; c < counts.length; c++) {
    if (cells.pa[c] === cells.pb[c] || counts[c] === 0) continue;
    for (const [self, other] of [[cells.a[c], cells.b[c]], [cells.b[c], cells.a[c]]]) {
      const difference = x[self] - x[other];
      sum[self] += counts[c] * (sigmoid(difference + x[m + self]) - sigmoid(difference));
      weight[self] += counts[c];
    }
  }
  return sum.map((value, i) => (weight[i] > 0 ? value / weight[i] : Number.NaN));
}

export function estimatePersonalizationLift(battles: readonly TLiftBattle[], options: TLiftOptions = {}): TModelLift[] {
  const rounds = options.bootstrapRounds ?? 200;
  const priorSd = options.liftPriorSd ?? 1;
  const cells = toCells(battles);
  const m = cells.models.length;
  if (m === 0) return [];
  const precision = 1 / (priorSd * priorSd);
  const point = fit(cells, cells.counts, precision);
  const pointLift = winRateLifts(cells, cells.counts, point);

  const random = createRandom(options.seed ?? 1);
  const total = cells.counts.reduce((sum, count) => sum + count, 0);
  const samples = Array.from({ length: m }, () => [] as number[]);
  const resampled = new Float64Array(cells.counts.length);
  const resampler = new MultinomialResampler(cells.counts, total);
  for (let round = 0; round < rounds; round++) {
    resampler.draw(random, resampled);
    const lifts = winRateLifts(cells, resampled, fit(cells, resampled, precision, point));
    for (let i = 0; i < m; i++) if (!Number.isNaN(lifts[i])) samples[i].push(lifts[i]);
  }

  const experiment = new Float64Array(m);
  const personalizedSide = new Float64Array(m);
  for (let c = 0; c < cells.counts.length; c++) {
    if (cells.pa[c] === cells.pb[c]) continue;
    experiment[cells.a[c]] += cells.counts[c];
    experiment[cells.b[c]] += cells.counts[c];
    personalizedSide[cells.pa[c] ? cells.a[c] : cells.b[c]] += cells.counts[c];
  }
  return cells.models.map((model, i) => {
    const sorted = samples[i].sort((x, y) => x - y);
    const played = experiment[i] > 0;
    return {
      model,
      experimentBattles: experiment[i],
      personalizedSide: personalizedSide[i],
      lift: played ? pointLift[i] : null,
      lower: played && sorted.length > 0 ? quantileOfSorted(sorted, 0.025) : null,
      upper: played && sorted.length > 0 ? quantileOfSorted(sorted, 0.975) : null,
      logOddsLift: point[m + i],
    };
  });
}
