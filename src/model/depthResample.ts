/**
 * Depth resampling onto the model's scan positions by linear interpolation along the scan axis.
 *
 * The model sees `nDepth` steps `x_n = x_0 + n · depthStepUm`, with `x_0` the first scan position
 * of the profile. For each `x_n` the two measured steps `j`, `j + 1` with
 * `depthsUm[j] ≤ x_n ≤ depthsUm[j + 1]` are combined as `(1 − f) · rate_j + f · rate_{j+1}`,
 * where rates are counts per second of each step's own live time. Positions after the last
 * model step are ignored; a profile that ends before it cannot be represented (no
 * extrapolation).
 *
 * Interpolated rates are smoother than a measured profile at the model's step (they average two
 * Poisson draws), which the network did not see in training; for best results measure at the
 * model's step.
 *
 * @module
 */

/** Per model step n: lower measured step `lower[n]` and weight `upperWeight[n]` of step `lower[n] + 1`. */
export interface DepthResamplePlan {
  /** Index j of the lower measured step. */
  readonly lower: Int32Array;
  /** Weight f of step j + 1 (0 ≤ f ≤ 1; 0 when the positions coincide). */
  readonly upperWeight: Float64Array;
  /** Highest measured step index used. */
  readonly lastUsedStep: number;
}

/**
 * Plans the interpolation from the measured positions `depthsUm` (strictly increasing, finite)
 * onto `nDepth` model positions spaced by `stepUm` from `depthsUm[0]`. Returns a string that
 * describes the problem when the positions are not strictly increasing or do not reach the last
 * model position (within 1e-6 of a step).
 * @example
 * ```ts
 * const plan = depthResamplePlan([0, 10, 20, 30], 4, 5); // 10 µm steps onto 5 µm
 * if ('problem' in plan) throw new Error(plan.problem);
 * ```
 */
export function depthResamplePlan(
  depthsUm: ArrayLike<number>,
  nDepth: number,
  stepUm: number,
  out?: { lower: Int32Array; upperWeight: Float64Array },
): DepthResamplePlan | { problem: string; step?: number; value?: number } {
  const n = depthsUm.length;
  for (let j = 0; j < n; j++) {
    const d = depthsUm[j];
    if (!Number.isFinite(d)) return { problem: 'scan position is not finite', step: j, value: d };
    if (j > 0 && !(d > depthsUm[j - 1]))
      return { problem: 'scan positions must be strictly increasing', step: j, value: d };
  }
  const x0 = n > 0 ? depthsUm[0] : NaN;
  const needed = x0 + (nDepth - 1) * stepUm;
  const tol = 1e-6 * stepUm;
  if (n === 0 || depthsUm[n - 1] < needed - tol) {
    const covered = n > 0 ? depthsUm[n - 1] - x0 : 0;
    return {
      problem:
        `the model needs ${nDepth} steps of ${stepUm} µm, i.e. scan positions over ` +
        `${(nDepth - 1) * stepUm} µm from the first; the profile's ${n} positions span ` +
        `${covered} µm`,
      value: covered,
    };
  }
  const lower = out?.lower ?? new Int32Array(nDepth);
  const upperWeight = out?.upperWeight ?? new Float64Array(nDepth);
  let j = 0;
  let last = 0;
  for (let m = 0; m < nDepth; m++) {
    const x = Math.min(x0 + m * stepUm, depthsUm[n - 1]);
    while (j < n - 2 && depthsUm[j + 1] < x) j++;
    if (n === 1) {
      lower[m] = 0;
      upperWeight[m] = 0;
      continue;
    }
    const f = (x - depthsUm[j]) / (depthsUm[j + 1] - depthsUm[j]);
    lower[m] = j;
    upperWeight[m] = f <= 1e-12 ? 0 : Math.min(f, 1);
    last = Math.max(last, upperWeight[m] > 0 ? j + 1 : j);
  }
  return { lower, upperWeight, lastUsedStep: last };
}
