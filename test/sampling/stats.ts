/** Small statistics helpers shared by the sampling tests (not a test file itself). */

/** ln k! by direct summation (independent of the library's Stirling series). */
export function logFactorialBySum(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

/** Exact Poisson pmf, computed in log space. */
export function poissonPmf(k: number, lambda: number): number {
  return Math.exp(k * Math.log(lambda) - lambda - logFactorialBySum(k));
}

/**
 * Upper quantile of χ²(df) at tail probability p ≈ 1e-4 (z = 3.719), Wilson–Hilferty
 * approximation (accurate to a few % for df ≥ 3).
 */
export function chiSquareCritical(df: number, z = 3.719): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

/**
 * χ² statistic of integer draws against a pmf. Bins are single values of k; the lower and upper
 * tails are pooled until each expected count is ≥ 10. Returns the statistic and the degrees of
 * freedom (bins − 1).
 */
export function chiSquareStatistic(
  draws: ArrayLike<number>,
  pmf: (k: number) => number,
  kMax: number,
): { chi2: number; df: number } {
  const n = draws.length;
  const observed = new Float64Array(kMax + 2);
  for (let i = 0; i < n; i++) observed[Math.min(draws[i], kMax + 1)]++;
  const expected = new Float64Array(kMax + 2);
  let cumulative = 0;
  for (let k = 0; k <= kMax; k++) {
    expected[k] = n * pmf(k);
    cumulative += expected[k];
  }
  expected[kMax + 1] = Math.max(n - cumulative, 0);
  // Pool into bins with expected ≥ 10.
  const bins: { o: number; e: number }[] = [];
  let o = 0;
  let e = 0;
  for (let k = 0; k <= kMax + 1; k++) {
    o += observed[k];
    e += expected[k];
    if (e >= 10) {
      bins.push({ o, e });
      o = 0;
      e = 0;
    }
  }
  if (e > 0 || o > 0) {
    const last = bins[bins.length - 1];
    last.o += o;
    last.e += e;
  }
  let chi2 = 0;
  for (const b of bins) chi2 += (b.o - b.e) ** 2 / b.e;
  return { chi2, df: bins.length - 1 };
}
