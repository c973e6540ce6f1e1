/**
 * FROZEN COPY of the column-write confocal-transform kernel (contiguous branch runs per channel,
 * float32 erfcx table, each channel written straight into its column of the output), kept so
 * that the confocal benchmark and the kernel equivalence test can compare the current kernel
 * with it in the same run. Not part of the package; do not edit.
 *
 * Original description:
 * Numerics of the confocal transform: the Gaussian ⊗ exponential kernel A·C evaluated without
 * overflow (via erfcx) and the allocation-free fill loop behind `confocalProfileFactors` and
 * `confocalDepthProfile`. Internal; the public API lives in `confocalTransform.ts`.
 *
 * @module
 */

import { requireFinite } from '../../src/errors';
import type { ConfocalSetup } from '../../src/profile';
import {
  ERF_SERIES_LIMIT as L,
  erfOverXSmall,
  erfcx,
  erfcxAboveThreshold,
} from '../../src/spectra/erfc.js';

/** Below u = −6, erfc(−u)/2 < 1.1e-17: C = 1 to double precision. */
const U_FLAT = -6;
/** Below u = −4, erfc(−u)/2 < 7.8e-9, under half an ulp of float32: C = 1 for Float32 output. */
const U_FLAT_F32 = -4;
/** exp(−z²/2σ²) is treated as 0 (relative to E) once its exponent exceeds this. */
const GAUSS_EXP_MAX = 700;
/** E = exp(−μz + μ²σ²/2) below this ends a channel: every later value is < 2·TINY·Φ0·T·B. */
const TINY = 1e-290;
/** Recurrences are used while the grid step is at most this many √2σ (ratios stay < e²¹²). */
const MAX_STEP_PER_SQRT2_SIGMA = 4;

/** Node spacing of the erfcx table used for Float32 output. */
const TAB_STEP = 1 / 32;
const TAB_INV_STEP = 32;
/** Above this argument the table hands over to the asymptotic series. */
const TAB_MAX = 12;
const INV_SQRT_PI = 0.5641895835477563;

/**
 * erfcx on [0.46875, 12) as piecewise cubic Hermite polynomials (value and exact derivative
 * erfcx′(x) = 2x·erfcx(x) − 2/√π at nodes 1/32 apart), four coefficients per interval. Relative
 * error ≤ 2e-8 (below half a float32 ulp), checked in the tests against the full evaluation.
 * Built once from {@link erfcx}; read-only.
 */
const ERFCX_TABLE: Float64Array = (() => {
  const n = Math.ceil((TAB_MAX - L) / TAB_STEP) + 1;
  const f = new Float64Array(n + 1);
  const d = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const x = L + i * TAB_STEP;
    f[i] = erfcx(x);
    d[i] = (2 * x * f[i] - 2 * INV_SQRT_PI) * TAB_STEP;
  }
  const t = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    t[4 * i] = f[i];
    t[4 * i + 1] = d[i];
    t[4 * i + 2] = 3 * (f[i + 1] - f[i]) - 2 * d[i] - d[i + 1];
    t[4 * i + 3] = 2 * (f[i] - f[i + 1]) + d[i] + d[i + 1];
  }
  return t;
})();

/**
 * erfcx(x) for x ≥ 0.46875 to float32 accuracy (relative error ≤ 2e-8): table above, and for
 * x ≥ 12 the asymptotic series (1/(x√π))·(1 − 1/(2x²) + 3/(4x⁴) − 15/(8x⁶)), whose first
 * omitted term is < 1.6e-8 there.
 * @internal
 */
export function erfcxFloat32(x: number): number {
  if (x < TAB_MAX) {
    const p = (x - L) * TAB_INV_STEP;
    const i = p | 0;
    const t = p - i;
    const o = 4 * i;
    const c = ERFCX_TABLE;
    return c[o] + t * (c[o + 1] + t * (c[o + 2] + t * c[o + 3]));
  }
  const r = 1 / (x * x);
  return (INV_SQRT_PI / x) * (1 - r * (0.5 - r * (0.75 - r * 1.875)));
}

/** Resolved, validated inputs of {@link fillConfocal}. @internal */
export interface ConfocalFillParams {
  phi0: ArrayLike<number> | null;
  muLinPerUm: ArrayLike<number>;
  energyKeV: ArrayLike<number>;
  setup: ConfocalSetup;
  x0Um: number;
  depthsUm: ArrayLike<number>;
  nSteps: number;
  nChannels: number;
  /** Uniform spacing of depthsUm (µm), NaN if not uniform. */
  gridUm: number;
  stepUm: number;
  normalise: boolean;
  out: Float32Array | Float64Array;
}

/**
 * 2·A·C for depth z below the surface, with a = μσ², inv = 1/(√2σ), c2 = 1/(2σ²).
 * Branches on u = (μσ² − z)/(√2σ):
 *  - u ≥ 0.46875: exp(−z²/2σ²)·erfcx(u)                 (no exp overflow × erfc underflow);
 *  - |u| < 0.46875: E·erfc(u), E = exp(μ(μσ²/2 − z)) ≤ e^0.22;
 *  - u ≤ −0.46875: 2E − exp(−z²/2σ²)·erfcx(−u)           (= E·erfc(u), no cancellation);
 *  - u ≤ −6: 2E.
 */
function twoAC(z: number, mu: number, a: number, inv: number, c2: number): number {
  const u = (a - z) * inv;
  if (u >= L) return Math.exp(-z * z * c2) * erfcxAboveThreshold(u);
  const e = Math.exp(mu * (0.5 * a - z));
  if (u > -L) return e * (1 - u * erfOverXSmall(u * u));
  if (u > U_FLAT) return 2 * e - Math.exp(-z * z * c2) * erfcxAboveThreshold(-u);
  return 2 * e;
}

/**
 * The depth kernel A·C = ½·exp(−μz + μ²σ²/2)·erfc((μσ² − z)/(√2σ)) (dimensionless, in [0, 1]):
 * the Gaussian depth sensitivity of width σ convolved with exp(−μ_lin z')·[z' ≥ 0]. Stable for
 * any μσ (no exp overflow times erfc underflow) and any z; μ = 0 gives Φ_normal(z/σ) exactly.
 *
 * @param zUm - Depth below the surface z = x − x0 (µm; negative above the surface).
 * @param sigmaUm - Gaussian width σ of the depth sensitivity (µm, > 0).
 * @param muLinPerUm - Effective linear attenuation μ_lin (1/µm, ≥ 0).
 * @returns A·C; ∫A·C dz = 1/μ_lin.
 * @throws InvalidArgumentError for non-finite arguments, σ ≤ 0 or μ < 0.
 * @see doi:10.1016/j.sab.2005.08.002
 * @example
 * ```ts
 * confocalKernel(0, 10, 0); // returns 0.5 (half the probing volume is inside the sample)
 * confocalKernel(1e4, 40, 10); // returns 0 (no overflow)
 * ```
 */
export function confocalKernel(zUm: number, sigmaUm: number, muLinPerUm: number): number {
  requireFinite('zUm', zUm);
  requireFinite('sigmaUm', sigmaUm, { min: 0, exclusiveMin: true });
  requireFinite('muLinPerUm', muLinPerUm, { min: 0 });
  const s2 = sigmaUm * sigmaUm;
  return 0.5 * twoAC(zUm, muLinPerUm, muLinPerUm * s2, 1 / (Math.SQRT2 * sigmaUm), 0.5 / s2);
}

/**
 * Fills `p.out[n·nChannels + k]` with Φ0·B·A·C·T (Φ0 = 1 when `p.phi0` is null). One pass per
 * channel: σ, T, μ-derived constants once, then the depths, written straight into the column of
 * `out` (no intermediate buffer). On a uniform grid E_n and exp(−z_n²/2σ²) advance by
 * exact-ratio recurrences, so the loop calls Math.exp only a few times per channel; otherwise it
 * evaluates {@link twoAC} directly. Allocation-free.
 *
 * @internal
 */
export function fillConfocal(p: ConfocalFillParams): void {
  const nCh = p.nChannels;
  const out = p.out;
  const f32 = out instanceof Float32Array;
  for (let k = 0; k < nCh; k++) fillChannel(p, k, out, f32);
}

/** Writes channel k's profile (depth n) to col[k + n·nChannels]. */
function fillChannel(
  p: ConfocalFillParams,
  k: number,
  col: Float32Array | Float64Array,
  f32: boolean,
): void {
  const { phi0, setup, x0Um, depthsUm, nSteps } = p;
  const offset = k;
  const stride = p.nChannels;
  const g = p.gridUm;
  const f0 = phi0 === null ? 1 : phi0[k];
  const mu = p.muLinPerUm[k];
  const e = p.energyKeV[k];
  const de = (e - setup.tM) / setup.tB;
  let k2 = f0 === 0 ? 0 : 0.5 * f0 * setup.tA * Math.exp(-0.5 * de * de);
  if (p.normalise) k2 *= mu * p.stepUm;
  if (k2 === 0) {
    for (let n = 0; n < nSteps; n++) col[offset + n * stride] = 0;
    return;
  }
  const sigma = setup.sigmaMaxUm * Math.exp(-setup.sigmaExpPerKeV * e) + setup.sigmaOffUm;
  const s2 = sigma * sigma;
  const a = mu * s2;
  const inv = 1 / (Math.SQRT2 * sigma);
  const c2 = 0.5 / s2;
  const du = g * inv;
  if (!(du <= MAX_STEP_PER_SQRT2_SIGMA)) {
    for (let n = 0; n < nSteps; n++)
      col[offset + n * stride] = k2 * twoAC(depthsUm[n] - x0Um, mu, a, inv, c2);
    return;
  }
  const tab = ERFCX_TABLE;
  const uFlat = f32 ? U_FLAT_F32 : U_FLAT;
  // u_n = (a − z_n)/(√2σ) falls linearly with n, so the branches of twoAC occupy contiguous
  // runs of depths: [u ≥ L] Gaussian·erfcx(u); [|u| < L] E·erfc(u) by the series;
  // [uFlat < u ≤ −L] 2E − Gaussian·erfcx(−u); [u ≤ uFlat] 2E. Each run is a tight loop; E and
  // the Gaussian advance by exact-ratio recurrences and are (re)seeded with one Math.exp each
  // where a run starts, so Math.exp stays out of the depth loops.
  const z0 = depthsUm[0] - x0Um;
  const u0 = (a - z0) * inv;
  // First n with u_n < L (resp. ≤ −L, ≤ uFlat) from u_n = u0 − n·du, then one exact check on
  // each side with the expression used in the loops (rounding at the boundaries).
  let n1 = u0 < L ? 0 : Math.min(Math.floor((u0 - L) / du) + 1, nSteps);
  if (n1 > 0 && (a - (depthsUm[n1 - 1] - x0Um)) * inv < L) n1--;
  else if (n1 < nSteps && (a - (depthsUm[n1] - x0Um)) * inv >= L) n1++;
  let n2 = u0 <= -L ? n1 : Math.max(Math.min(Math.floor((u0 + L) / du) + 1, nSteps), n1);
  if (n2 > n1 && (a - (depthsUm[n2 - 1] - x0Um)) * inv <= -L) n2--;
  else if (n2 < nSteps && (a - (depthsUm[n2] - x0Um)) * inv > -L) n2++;
  let n3 = u0 <= uFlat ? n2 : Math.max(Math.min(Math.floor((u0 - uFlat) / du) + 1, nSteps), n2);
  if (n3 > n2 && (a - (depthsUm[n3 - 1] - x0Um)) * inv <= uFlat) n3--;
  else if (n3 < nSteps && (a - (depthsUm[n3] - x0Um)) * inv > uFlat) n3++;
  const q = Math.exp(-mu * g);
  const sFac = Math.exp(-2 * du * du);
  let n = 0;
  // Run 1: u ≥ L (above or just below the surface): exp(−z²/2σ²)·erfcx(u).
  if (n1 > 0) {
    // Skip depths whose Gaussian is not representable (far above the surface).
    while (n < n1) {
      const z = depthsUm[n] - x0Um;
      if (z * z * c2 < GAUSS_EXP_MAX) break;
      col[offset + n * stride] = 0;
      n++;
    }
    if (n < n1) {
      const zs = depthsUm[n] - x0Um;
      let gVal = Math.exp(-zs * zs * c2);
      let gRatio = Math.exp(-(2 * zs + g) * g * c2);
      if (f32) {
        for (; n < n1; n++) {
          const u = (a - (depthsUm[n] - x0Um)) * inv;
          let ex: number;
          if (u < TAB_MAX) {
            // erfcxFloat32 inlined: table interval and Horner in t.
            const pt = (u - L) * TAB_INV_STEP;
            const i = pt | 0;
            const t = pt - i;
            const o = 4 * i;
            ex = tab[o] + t * (tab[o + 1] + t * (tab[o + 2] + t * tab[o + 3]));
          } else ex = erfcxFloat32(u);
          col[offset + n * stride] = k2 * gVal * ex;
          gVal *= gRatio;
          gRatio *= sFac;
          // Past the surface the Gaussian only falls: stop before it turns subnormal.
          if (gVal < TINY && z0 + n * g > 0) gVal = gRatio = 0;
        }
      } else {
        for (; n < n1; n++) {
          const u = (a - (depthsUm[n] - x0Um)) * inv;
          col[offset + n * stride] = k2 * gVal * erfcxAboveThreshold(u);
          gVal *= gRatio;
          gRatio *= sFac;
          // Past the surface the Gaussian only falls: stop before it turns subnormal.
          if (gVal < TINY && z0 + n * g > 0) gVal = gRatio = 0;
        }
      }
    }
  }
  if (n === nSteps) return;
  let eVal = Math.exp(mu * (0.5 * a - (depthsUm[n] - x0Um)));
  // Run 2: |u| < L: E·erfc(u) = E·(1 − u·erf(u)/u).
  for (; n < n2; n++) {
    const u = (a - (depthsUm[n] - x0Um)) * inv;
    col[offset + n * stride] = k2 * eVal * (1 - u * erfOverXSmall(u * u));
    eVal *= q;
  }
  // Run 3: uFlat < u ≤ −L: 2E − exp(−z²/2σ²)·erfcx(−u) (no cancellation: the second term ≤ E/2).
  if (n < n3) {
    const zs = depthsUm[n] - x0Um;
    let gVal = Math.exp(-zs * zs * c2);
    let gRatio = Math.exp(-(2 * zs + g) * g * c2);
    if (f32) {
      for (; n < n3; n++) {
        const u = (a - (depthsUm[n] - x0Um)) * inv;
        const w = -u;
        let ex: number;
        if (w < TAB_MAX) {
          const pt = (w - L) * TAB_INV_STEP;
          const i = pt | 0;
          const t = pt - i;
          const o = 4 * i;
          ex = tab[o] + t * (tab[o + 1] + t * (tab[o + 2] + t * tab[o + 3]));
        } else ex = erfcxFloat32(w);
        col[offset + n * stride] = k2 * (2 * eVal - gVal * ex);
        eVal *= q;
        gVal *= gRatio;
        gRatio *= sFac;
        if (gVal < TINY) gVal = gRatio = 0;
      }
    } else {
      for (; n < n3; n++) {
        const u = (a - (depthsUm[n] - x0Um)) * inv;
        col[offset + n * stride] = k2 * (2 * eVal - gVal * erfcxAboveThreshold(-u));
        eVal *= q;
        gVal *= gRatio;
        gRatio *= sFac;
        if (gVal < TINY) gVal = gRatio = 0;
      }
    }
  }
  // Run 4: u ≤ uFlat: 2E, until E is negligible.
  for (; n < nSteps && eVal >= TINY; n++) {
    col[offset + n * stride] = 2 * k2 * eVal;
    eVal *= q;
  }
  for (; n < nSteps; n++) col[offset + n * stride] = 0;
}
