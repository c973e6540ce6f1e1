/**
 * FROZEN COPY of src/model/depthResample.ts before the fused preprocessing, kept so that the model
 * benchmark can time the current preprocessing against it in the same run. Not part of the
 * package; do not edit.
 */
/**
 * Depth resampling of a measured scan onto the model's steps, under the library's intensity
 * convention (docs/quantify.md, "Intensity convention").
 *
 * **Convention** (`'per-step'`, the default): the counts of scan position `j`, divided by its
 * live time, are the count rate of one scan *step*: they grow in proportion to the step length
 * `Δ_j`, exactly as the confocal transform writes them (`B = μ_lin · Δ`, so that the rates of a
 * scan that covers the profile sum to the bulk rate). `rate_j / Δ_j` is then a rate per µm of
 * scan that does not depend on the step, and the model input at model step `m` (position
 * `X_m`, model step `δ` = 5 µm) is `δ ×` that density at `X_m`: the rate a scan at the model's
 * step would have recorded.
 *
 * With `'per-position'` the rate of a position is taken as the rate of a 5 µm step whatever the
 * step of the scan (an instrument that reports rates per position, independent of the step).
 *
 * The density at `X_m` is
 * - for scans finer than the model step (`x_{j+1} − x_j < δ` around `X_m`): the average over the
 *   model cell `[X_m − δ/2, X_m + δ/2]` of the piecewise-constant density of the scan cells
 *   (each position owns the half-way cell to its neighbours). Summing finer steps this way gives
 *   the Poisson statistics of one 5 µm step with the same live time per step, which the network
 *   was trained on;
 * - for scans at or coarser than the model step: linear interpolation of the density between
 *   the two positions that bracket `X_m` (a scan at exactly 5 µm whose positions coincide with
 *   the model steps is used as is).
 *
 * @module
 */

/** How the counts of a scan position scale with the step length. See the module docs. */
export type IntensityConvention = 'per-step' | 'per-position';

/**
 * Sparse resampling plan: model step `m` is `Σ weights[i] · rate[steps[i]]` over
 * `i ∈ [offsets[m], offsets[m + 1])`, with `rate` the count rate (counts / live time) of each
 * measured step.
 */
export interface DepthResamplePlan {
  /** `nDepth + 1` offsets into `steps` / `weights`. */
  readonly offsets: Int32Array;
  /** Measured step of each term. */
  readonly steps: Int32Array;
  /** Weight of each term. */
  readonly weights: Float64Array;
  /** First measured step used. */
  readonly firstStep: number;
  /** Last measured step used. */
  readonly lastStep: number;
}

/** Window and convention of {@link depthResamplePlan}. */
export interface DepthResampleOptions {
  /** Scan position of model step 0 (µm). */
  startUm: number;
  /** Number of model steps. */
  nDepth: number;
  /** Model step δ (µm). */
  stepUm: number;
  /** @default 'per-step' */
  convention?: IntensityConvention;
}

/**
 * Plans the resampling of the measured positions `depthsUm` (strictly increasing, finite, at
 * least two) onto `nDepth` model positions `startUm + m · stepUm`. Returns a string describing
 * the problem when the positions are not strictly increasing or the window does not lie within
 * the scan (within 1e-6 of a step).
 * @example
 * ```ts
 * // 10 µm steps onto four 5 µm model positions starting at 0 µm
 * const plan = depthResamplePlan([0, 10, 20, 30, 40], { startUm: 0, nDepth: 4, stepUm: 5 });
 * if ('problem' in plan) throw new Error(plan.problem);
 * ```
 */
export function depthResamplePlan(
  depthsUm: ArrayLike<number>,
  options: DepthResampleOptions,
): DepthResamplePlan | { problem: string; step?: number; value?: number } {
  const { startUm, nDepth, stepUm } = options;
  const perStep = (options.convention ?? 'per-step') === 'per-step';
  const n = depthsUm.length;
  for (let j = 0; j < n; j++) {
    const d = depthsUm[j];
    if (!Number.isFinite(d)) return { problem: 'scan position is not finite', step: j, value: d };
    if (j > 0 && !(d > depthsUm[j - 1]))
      return { problem: 'scan positions must be strictly increasing', step: j, value: d };
  }
  const tol = 1e-6 * stepUm;
  const endUm = startUm + (nDepth - 1) * stepUm;
  if (n < 2 || startUm < depthsUm[0] - tol || endUm > depthsUm[n - 1] + tol) {
    const covered = n > 0 ? depthsUm[n - 1] - depthsUm[0] : 0;
    return {
      problem:
        `the model window ${startUm}–${endUm} µm (${nDepth} steps of ${stepUm} µm) does not lie ` +
        `within the scan (${n} positions spanning ${covered} µm)`,
      value: covered,
    };
  }
  // Density factor c_j: rate_j · c_j is a rate per µm of scan.
  const c = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const w =
      j === 0
        ? depthsUm[1] - depthsUm[0]
        : j === n - 1
          ? depthsUm[n - 1] - depthsUm[n - 2]
          : 0.5 * (depthsUm[j + 1] - depthsUm[j - 1]);
    c[j] = perStep ? 1 / w : 1 / stepUm;
  }
  const cellLo = (j: number): number =>
    j === 0
      ? depthsUm[0] - 0.5 * (depthsUm[1] - depthsUm[0])
      : 0.5 * (depthsUm[j - 1] + depthsUm[j]);
  const cellHi = (j: number): number =>
    j === n - 1
      ? depthsUm[n - 1] + 0.5 * (depthsUm[n - 1] - depthsUm[n - 2])
      : 0.5 * (depthsUm[j] + depthsUm[j + 1]);

  const offsets = new Int32Array(nDepth + 1);
  let steps = new Int32Array(4 * nDepth);
  let weights = new Float64Array(4 * nDepth);
  let k = 0;
  const push = (j: number, w: number): void => {
    if (k === steps.length) {
      const s2 = new Int32Array(2 * k);
      s2.set(steps);
      steps = s2;
      const w2 = new Float64Array(2 * k);
      w2.set(weights);
      weights = w2;
    }
    steps[k] = j;
    weights[k] = w;
    k++;
  };
  let first = n;
  let last = 0;
  let j = 0;
  for (let m = 0; m < nDepth; m++) {
    offsets[m] = k;
    const x = Math.min(Math.max(startUm + m * stepUm, depthsUm[0]), depthsUm[n - 1]);
    while (j < n - 2 && depthsUm[j + 1] < x) j++;
    const gap = depthsUm[j + 1] - depthsUm[j];
    if (gap >= stepUm * (1 - 1e-9)) {
      // Coarse scan: linear interpolation of the density.
      const f = (x - depthsUm[j]) / gap;
      if (f <= 1e-12) push(j, stepUm * c[j]);
      else if (f >= 1 - 1e-12) push(j + 1, stepUm * c[j + 1]);
      else {
        push(j, stepUm * (1 - f) * c[j]);
        push(j + 1, stepUm * f * c[j + 1]);
      }
    } else {
      // Fine scan: average of the cell densities over the model cell.
      const lo = x - 0.5 * stepUm;
      const hi = x + 0.5 * stepUm;
      let i = j;
      while (i > 0 && cellHi(i - 1) > lo) i--;
      const start = k;
      let covered = 0;
      for (; i < n && cellLo(i) < hi; i++) {
        const ov = Math.min(hi, cellHi(i)) - Math.max(lo, cellLo(i));
        if (ov > 1e-9 * stepUm) {
          push(i, ov * c[i]);
          covered += ov;
        }
      }
      // Partly covered cells at the ends of the scan: average over the covered part.
      const scale = stepUm / covered;
      for (let t = start; t < k; t++) weights[t] *= scale;
    }
    for (let t = offsets[m]; t < k; t++) {
      first = Math.min(first, steps[t]);
      last = Math.max(last, steps[t]);
    }
  }
  offsets[nDepth] = k;
  return {
    offsets,
    steps: steps.slice(0, k),
    weights: weights.slice(0, k),
    firstStep: first,
    lastStep: last,
  };
}
