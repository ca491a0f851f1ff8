/**
 * Damped Newton minimisation for the small, strictly convex problems of the rating engine
 * (BT with a tiny L2, contextual BT, BT with a Gaussian prior). Dimensions are tens to a few
 * hundreds, so a dense Cholesky per iteration is the fastest robust choice.
 */
export interface NewtonProblem {
  dimension: number;
  loss(x: Float64Array): number;
  /** Writes ∇loss into `gradient` and ∇²loss into `hessian` (dense, row-major). */
  gradientAndHessian(x: Float64Array, gradient: Float64Array, hessian: Float64Array): void;
}

export interface NewtonOptions {
  initial?: Float64Array;
  /**
   * Per-coordinate group for the first `centreGroups.length` coordinates: the loss is invariant
   * (up to a tiny L2) to shifting a group, so x is kept at mean 0 within each group.
   */
  centreGroups?: Int32Array;
  /** Stop when the largest Newton step is below this; default 1e-10. */
  tolerance?: number;
  maxIterations?: number;
}

export interface NewtonResult {
  x: Float64Array;
  iterations: number;
  converged: boolean;
}

/** Newton steps smaller than this (in every coordinate, log-odds) are taken without a line search. */
const FULL_STEP_RADIUS = 0.1;

export function minimiseByNewton(problem: NewtonProblem, options: NewtonOptions = {}): NewtonResult {
  const n = problem.dimension;
  const groups = options.centreGroups;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 100;
  const x = options.initial ? Float64Array.from(options.initial) : new Float64Array(n);
  if (groups) centreWithinGroups(x, groups);
  const gradient = new Float64Array(n);
  const hessian = new Float64Array(n * n);
  const step = new Float64Array(n);
  const trial = new Float64Array(n);
  // Evaluated lazily: steps inside the trust radius skip the line search and so need no loss.
  let loss = Number.NaN;

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    problem.gradientAndHessian(x, gradient, hessian);
    if (groups) augmentTranslationDirections(hessian, groups, n);
    for (let i = 0; i < n; i++) step[i] = -gradient[i];
    choleskySolveInPlace(hessian, step, n);

    let largestStep = 0;
    for (let i = 0; i < n; i++) largestStep = Math.max(largestStep, Math.abs(step[i]));
    if (largestStep < tolerance) {
      // Converged: a line search here would only fight round-off.
      for (let i = 0; i < n; i++) x[i] += step[i];
      if (groups) centreWithinGroups(x, groups);
      return { x, iterations: iteration, converged: true };
    }

    if (largestStep < FULL_STEP_RADIUS) {
      // Near the optimum of these logistic losses the pure Newton step converges quadratically.
      for (let i = 0; i < n; i++) x[i] += step[i];
      if (groups) centreWithinGroups(x, groups);
      loss = Number.NaN;
      continue;
    }
    if (Number.isNaN(loss)) loss = problem.loss(x);
    let slope = 0;
    for (let i = 0; i < n; i++) slope += gradient[i] * step[i];
    let scale = 1;
    let accepted = false;
    for (let halving = 0; halving < 40 && !accepted; halving++) {
      for (let i = 0; i < n; i++) trial[i] = x[i] + scale * step[i];
      if (groups) centreWithinGroups(trial, groups);
      const trialLoss = problem.loss(trial);
      // The slack absorbs round-off in summing the loss, which near the optimum exceeds the decrease.
      if (trialLoss <= loss + 1e-4 * scale * slope + 1e-12 * (Math.abs(loss) + 1)) {
        x.set(trial);
        loss = trialLoss;
        accepted = true;
      } else {
        scale /= 2;
      }
    }
    if (!accepted) return { x, iterations: iteration, converged: false };
  }
  return { x, iterations: maxIterations, converged: false };
}

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Shifts the first `groups.length` coordinates so that each group has mean 0. */
export function centreWithinGroups(x: Float64Array, groups: Int32Array): void {
  const count = groups.length;
  const sum = new Float64Array(count);
  const size = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    sum[groups[i]] += x[i];
    size[groups[i]] += 1;
  }
  for (let i = 0; i < count; i++) x[i] -= sum[groups[i]] / size[groups[i]];
}

/**
 * Adds c·1_g1_gᵀ/|g| per group, with c the group's mean curvature. The Hessian is (nearly)
 * singular along each group's all-ones direction; since the gradient is orthogonal to it once
 * x is centred, this changes no step except to keep it centred and well conditioned.
 */
export function augmentTranslationDirections(hessian: Float64Array, groups: Int32Array, n: number): void {
  const count = groups.length;
  const size = new Float64Array(count);
  const trace = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    size[groups[i]] += 1;
    trace[groups[i]] += hessian[i * n + i];
  }
  for (let i = 0; i < count; i++) {
    const g = groups[i];
    const add = trace[g] / (size[g] * size[g]);
    for (let j = 0; j < count; j++) if (groups[j] === g) hessian[i * n + j] += add;
  }
}

/** Solves A·x = b for symmetric positive definite A (destroys A; b becomes x). */
function choleskySolveInPlace(a: Float64Array, b: Float64Array, n: number): void {
  choleskyFactorInPlace(a, n);
  choleskySolveFactored(a, b, n);
}

/** Overwrites the lower triangle of symmetric positive definite `a` with its Cholesky factor L (A = L·Lᵀ). */
export function choleskyFactorInPlace(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j];
    for (let k = 0; k < j; k++) diagonal -= a[j * n + k] * a[j * n + k];
    // Guards against round-off on a numerically semidefinite matrix.
    const pivot = Math.sqrt(Math.max(diagonal, 1e-300));
    a[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let value = a[i * n + j];
      for (let k = 0; k < j; k++) value -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = value / pivot;
    }
  }
}

/** Solves L·Lᵀ·x = b with L from choleskyFactorInPlace (b becomes x). */
export function choleskySolveFactored(a: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let value = b[i];
    for (let k = 0; k < i; k++) value -= a[i * n + k] * b[k];
    b[i] = value / a[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let value = b[i];
    for (let k = i + 1; k < n; k++) value -= a[k * n + i] * b[k];
    b[i] = value / a[i * n + i];
  }
}

/** Gauss–Jordan inverse with partial pivoting; null when singular. */
export function invertSymmetric(matrix: Float64Array, n: number): Float64Array | null {
  const a = matrix.slice();
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inverse[i * n + i] = 1;
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++) if (Math.abs(a[row * n + column]) > Math.abs(a[pivot * n + column])) pivot = row;
    const pivotValue = a[pivot * n + column];
    if (Math.abs(pivotValue) < 1e-12) return null;
    if (pivot !== column) {
      for (let k = 0; k < n; k++) {
        [a[pivot * n + k], a[column * n + k]] = [a[column * n + k], a[pivot * n + k]];
        [inverse[pivot * n + k], inverse[column * n + k]] = [inverse[column * n + k], inverse[pivot * n + k]];
      }
    }
    for (let k = 0; k < n; k++) {
      a[column * n + k] /= pivotValue;
      inverse[column * n + k] /= pivotValue;
    }
    for (let row = 0; row < n; row++) {
      if (row === column) continue;
      const factor = a[row * n + column];
      if (factor === 0) continue;
      for (let k = 0; k < n; k++) {
        a[row * n + k] -= factor * a[column * n + k];
        inverse[row * n + k] -= factor * inverse[column * n + k];
      }
    }
  }
  return inverse;
}
