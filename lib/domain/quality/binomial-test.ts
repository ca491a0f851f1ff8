/**
 * Exact two-sided binomial test of H0: p = 1/2 (a fair coin), computed in log space so it stays
 * accurate for thousands of trials. By symmetry the two-sided p-value is
 * min(1, 2·P(X ≤ min(k, n−k))). Invariants: result in [0, 1]; 1 when n = 0 or k = n/2; it
 * underflows to 0 only below ~1e-308 (e.g. 5000 of 5000).
 */
export function binomialTestHalf(successes: number, trials: number): number {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || trials < 0 || successes < 0 || successes > trials) {
    throw new RangeError(`Invalid binomial test input: ${successes} of ${trials}`);
  }
  if (trials === 0) return 1;
  const logFactorial = new Float64Array(trials + 1);
  for (let i = 1; i <= trials; i++) logFactorial[i] = logFactorial[i - 1] + Math.log(i);
  const tail = Math.min(successes, trials - successes);
  const logHalfPower = trials * Math.log(0.5);
  const logTerms: number[] = [];
  for (let i = 0; i <= tail; i++) logTerms.push(logFactorial[trials] - logFactorial[i] - logFactorial[trials - i] + logHalfPower);
  const largest = Math.max(...logTerms);
  const logTail = largest + Math.log(logTerms.reduce((sum, term) => sum + Math.exp(term - largest), 0));
  return Math.min(1, 2 * Math.exp(logTail));
}
