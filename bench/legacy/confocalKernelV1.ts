/**
 * FROZEN COPY of the previous confocal-transform kernel (Cody erfcx at every element), kept so
 * that the confocal benchmark can time the current kernel against it in the same run. Not part
 * of the package; do not edit.
 *
 * Original description: numerics of the confocal transform: the Gaussian ⊗ exponential kernel A·C evaluated without
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
 * channel: σ, T, μ-derived constants once, then the depths. On a uniform grid E_n and
 * exp(−z_n²/2σ²) advance by exact-ratio recurrences, so the loop calls Math.exp only a few
 * times per channel; otherwise it evaluates {@link twoAC} directly. Allocation-free.
 *
 * @internal
 */
export function fillConfocal(p: ConfocalFillParams): void {
  const { nSteps, out } = p;
  const nCh = p.nChannels;
  // One small column buffer per call (BLOCK · nSteps values): no module-level state.
  const col = new Float64Array(BLOCK * nSteps);
  // Channels are computed in blocks into a column-major scratch and then copied row-wise:
  // writing a column of `out` directly hits the same cache set at every row (stride 2^k).
  for (let k0 = 0; k0 < nCh; k0 += BLOCK) {
    const kEnd = Math.min(k0 + BLOCK, nCh);
    for (let k = k0; k < kEnd; k++) fillChannel(p, k, col, (k - k0) * nSteps);
    const width = kEnd - k0;
    for (let n = 0; n < nSteps; n++) {
      const o = n * nCh + k0;
      for (let j = 0; j < width; j++) out[o + j] = col[j * nSteps + n];
    }
  }
}

/** Channels per block of {@link fillConfocal}. */
const BLOCK = 16;

/** Writes channel k's profile (all depths) to col[offset … offset + nSteps). */
function fillChannel(p: ConfocalFillParams, k: number, col: Float64Array, offset: number): void {
  const { phi0, setup, x0Um, depthsUm, nSteps } = p;
  const g = p.gridUm;
  const f0 = phi0 === null ? 1 : phi0[k];
  const mu = p.muLinPerUm[k];
  const e = p.energyKeV[k];
  const de = (e - setup.tM) / setup.tB;
  let k2 = f0 === 0 ? 0 : 0.5 * f0 * setup.tA * Math.exp(-0.5 * de * de);
  if (p.normalise) k2 *= mu * p.stepUm;
  if (k2 === 0) {
    for (let n = 0; n < nSteps; n++) col[offset + n] = 0;
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
      col[offset + n] = k2 * twoAC(depthsUm[n] - x0Um, mu, a, inv, c2);
    return;
  }
  const uFlat = p.out instanceof Float32Array ? U_FLAT_F32 : U_FLAT;
  const q = Math.exp(-mu * g);
  const sFac = Math.exp(-2 * du * du);
  // Locate where E and the Gaussian start to be needed, and seed them here: keeping every
  // Math.exp call out of the depth loop lets the register allocator keep its state in registers.
  let nE = nSteps; // first step with u < 0.46875 (u falls with n)
  let nG = nSteps; // first step with |u| ≥ 0.46875 and a representable exp(−z²/2σ²)
  for (let n = 0; n < nSteps && (nE === nSteps || nG === nSteps); n++) {
    const z = depthsUm[n] - x0Um;
    const u = (a - z) * inv;
    if (nE === nSteps && u < L) nE = n;
    if (nG === nSteps && (u >= L || u <= -L) && z * z * c2 < GAUSS_EXP_MAX) nG = n;
  }
  let eVal = nE < nSteps ? Math.exp(mu * (0.5 * a - (depthsUm[nE] - x0Um))) : 0;
  let g0 = 0;
  let r0 = 0;
  if (nG < nSteps) {
    const z = depthsUm[nG] - x0Um;
    g0 = Math.exp(-z * z * c2);
    r0 = Math.exp(-(2 * z + g) * g * c2);
  }
  let gVal = 0;
  let gRatio = 0;
  let n = 0;
  for (; n < nSteps; n++) {
    if (n === nG) {
      gVal = g0;
      gRatio = r0;
    }
    const z = depthsUm[n] - x0Um;
    const u = (a - z) * inv;
    let v: number;
    if (u >= L) {
      v = gVal === 0 ? 0 : gVal * erfcxAboveThreshold(u);
    } else {
      if (eVal < TINY) break;
      if (u > -L) v = eVal * (1 - u * erfOverXSmall(u * u));
      else if (u > uFlat) v = 2 * eVal - gVal * erfcxAboveThreshold(-u);
      else v = 2 * eVal;
      eVal *= q;
    }
    col[offset + n] = k2 * v;
    gVal *= gRatio;
    gRatio *= sFac;
    if (gVal < TINY && z > 0) {
      gVal = 0;
      gRatio = 0;
    }
  }
  for (; n < nSteps; n++) col[offset + n] = 0;
}
