/**
 * Numerics of the confocal transform: the Gaussian ⊗ exponential kernel A·C evaluated without
 * overflow (via erfcx) and the fill loop behind `confocalProfileFactors` and
 * `confocalDepthProfile` (per-call scratch only, no allocation in the loops). Internal; the
 * public API lives in `confocalTransform.ts`.
 *
 * @module
 */

import { requireFinite } from '../errors';
import type { ConfocalSetup } from '../profile';
import { ERF_SERIES_LIMIT as L, erfOverXSmall, erfc, erfcx, erfcxAboveThreshold } from './erfc.js';

/** Below u = −6, erfc(−u)/2 < 1.1e-17: C = 1 to double precision. */
const U_FLAT = -6;
/** Below u = −4, erfc(−u)/2 < 7.8e-9, under half an ulp of float32: C = 1 for Float32 output. */
const U_FLAT_F32 = -4;
/** exp(−z²/2σ²) is treated as 0 (relative to E) once its exponent exceeds this. */
const GAUSS_EXP_MAX = 700;
/**
 * Float32 output: past the surface, depths with z²/2σ² above this (exp < 1.5e-290) drop the
 * Gaussian terms (see fillColumnF32).
 */
const GAUSS_EXP_TINY = 667;
const SQRT_2_GAUSS_EXP_TINY = Math.sqrt(2 * GAUSS_EXP_TINY);
/** E = exp(−μz + μ²σ²/2) below this ends a channel: every later value is < 2·TINY·Φ0·T·B. */
const TINY = 1e-290;
/** Recurrences are used while the grid step is at most this many √2σ (ratios stay < e²¹²). */
const MAX_STEP_PER_SQRT2_SIGMA = 4;

/** Node spacing of the erfcx table used for Float32 output. */
const TAB_STEP = 1 / 32;
const TAB_INV_STEP = 32;
/** Above this argument the table hands over to the asymptotic series. */
const TAB_MAX = 12;
/** TAB_MAX as a table position (TAB_MAX − L)/TAB_STEP. */
const PT_MAX = (TAB_MAX - L) * TAB_INV_STEP;
const INV_SQRT_PI = 0.5641895835477563;

/**
 * Piecewise cubic Hermite interpolation of f on the nodes x0 + i·step, i = 0 … n, from the value
 * and exact derivative at each node (`valueAndSlope(x)` → [f(x), f′(x)]): four coefficients per
 * interval, c0 + t·(c1 + t·(c2 + t·c3)) with t ∈ [0, 1) the position within interval i.
 */
function hermiteTable(
  x0: number,
  step: number,
  n: number,
  valueAndSlope: (x: number) => [number, number],
): Float64Array {
  const f = new Float64Array(n + 1);
  const d = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const [v, slope] = valueAndSlope(x0 + i * step);
    f[i] = v;
    d[i] = slope * step;
  }
  const t = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    t[4 * i] = f[i];
    t[4 * i + 1] = d[i];
    t[4 * i + 2] = 3 * (f[i + 1] - f[i]) - 2 * d[i] - d[i + 1];
    t[4 * i + 3] = 2 * (f[i] - f[i + 1]) + d[i] + d[i + 1];
  }
  return t;
}

/**
 * Value of a {@link hermiteTable} at table position p = (x − x0)/step (0 ≤ p < n): interval
 * ⌊p⌋, Horner in the fraction. The fill loops inline the same arithmetic.
 */
function hermiteAt(c: Float64Array, p: number): number {
  const i = p | 0;
  const t = p - i;
  const o = 4 * i;
  return c[o] + t * (c[o + 1] + t * (c[o + 2] + t * c[o + 3]));
}

/**
 * erfcx on [0.46875, 12) as piecewise cubic Hermite polynomials (value and exact derivative
 * erfcx′(x) = 2x·erfcx(x) − 2/√π at nodes 1/32 apart), four coefficients per interval. Relative
 * error ≤ 2e-8 (below half a float32 ulp), checked in the tests against the full evaluation.
 * Built once from {@link erfcx}; read-only.
 */
const ERFCX_TABLE: Float64Array = hermiteTable(
  L,
  TAB_STEP,
  Math.ceil((TAB_MAX - L) / TAB_STEP) + 1,
  (x) => {
    const f = erfcx(x);
    return [f, 2 * x * f - 2 * INV_SQRT_PI];
  },
);

/**
 * erfcx(x) for x ≥ 0.46875 to float32 accuracy (relative error ≤ 2e-8): table above, and for
 * x ≥ 12 the asymptotic series (1/(x√π))·(1 − 1/(2x²) + 3/(4x⁴) − 15/(8x⁶)), whose first
 * omitted term is < 1.6e-8 there.
 * @internal
 */
export function erfcxFloat32(x: number): number {
  if (x < TAB_MAX) return hermiteAt(ERFCX_TABLE, (x - L) * TAB_INV_STEP);
  const r = 1 / (x * x);
  return (INV_SQRT_PI / x) * (1 - r * (0.5 - r * (0.75 - r * 1.875)));
}

/** Node spacing of the erfc table of the Float32 path (on [U_FLAT_F32, L]). */
const ERFC_TAB_STEP = 1 / 64;
const ERFC_TAB_INV_STEP = 64;
const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * erfc on [U_FLAT_F32, L] = [−4, 0.46875] as piecewise cubic Hermite polynomials (value and exact
 * derivative erfc′(u) = −2/√π·exp(−u²) at nodes 1/64 apart, one spare interval above L), four
 * coefficients per interval. erfc lies in [0.5, 2) there; relative error ≤ 2e-9 (the interpolation
 * bound h⁴·max|erfc⁽⁴⁾|/384 over the range), checked in the tests. Built once from {@link erfc};
 * read-only.
 */
const ERFC_TABLE: Float64Array = hermiteTable(
  U_FLAT_F32,
  ERFC_TAB_STEP,
  Math.round((L - U_FLAT_F32) * ERFC_TAB_INV_STEP) + 1,
  (u) => [erfc(u), -TWO_OVER_SQRT_PI * Math.exp(-u * u)],
);

/**
 * erfc(u) for U_FLAT_F32 ≤ u ≤ L from the table of the Float32 path (relative error ≤ 2e-9).
 * @internal
 */
export function erfcFloat32Band(u: number): number {
  return hermiteAt(ERFC_TABLE, (u - U_FLAT_F32) * ERFC_TAB_INV_STEP);
}

/** 2^(j/32), j = 0…31, correctly rounded. */
const EXP2_FRAC = Float64Array.of(
  1.0,
  1.0218971486541166,
  1.0442737824274138,
  1.0671404006768237,
  1.0905077326652577,
  1.1143867425958924,
  1.1387886347566916,
  1.1637248587775775,
  1.189207115002721,
  1.215247359980469,
  1.241857812073484,
  1.2690509571917332,
  1.2968395546510096,
  1.3252366431597413,
  1.3542555469368927,
  1.383909881963832,
  1.4142135623730951,
  1.4451808069770467,
  1.4768261459394993,
  1.5091644275934228,
  1.5422108254079407,
  1.5759808451078865,
  1.6104903319492543,
  1.645755478153965,
  1.681792830507429,
  1.718619298122478,
  1.7562521603732995,
  1.7947090750031072,
  1.8340080864093424,
  1.8741676341103,
  1.9152065613971474,
  1.9571441241754002,
);
/** Arguments of {@link expTable} are clamped to ±EXP_CLAMP (exp(−800) = 0, exp(800) = ∞). */
const EXP_CLAMP = 800;
/** POW2[i] = 2^(i − POW2_BIAS − 1) for the exponents that |x| ≤ EXP_CLAMP can reach. */
const POW2_BIAS = 1160;
/** Exact powers of two 2^(i − POW2_BIAS − 1), subnormals included (0 below 2⁻¹⁰⁷⁴). */
const POW2: Float64Array = (() => {
  const t = new Float64Array(2 * POW2_BIAS + 1);
  let v = 0.5;
  for (let i = POW2_BIAS; i < t.length; i++, v *= 2) t[i] = v;
  v = 0.5;
  for (let i = POW2_BIAS; i >= 0; i--, v /= 2) t[i] = v;
  return t;
})();
/** 32/ln 2. */
const EXP_M_PER_UNIT = 46.16624130844683;
/** ln2/32 split so that m·EXP_LN2_32_HI is exact for |m| < 2²¹ (fdlibm's ln2_hi/32). */
const EXP_LN2_32_HI = 0.02166084938653512;
const EXP_LN2_32_LO = 5.9631716539705866e-12;

/**
 * exp(x) without a call into the runtime (Math.exp is a C call that costs as much as a few dozen
 * kernel elements): x = (32m′ + j)·ln2/32 + r with |r| ≤ ln2/64, exp(x) = 2^m′ · 2^(j/32) · e^r,
 * e^r − 1 by its degree-6 Taylor polynomial (truncation < 4e-18). Relative error ≤ 4e-16
 * wherever the result is a normal double, one rounding for subnormal results (but 0 below
 * 2⁻¹⁰⁷³ ≈ 1e-323, where Math.exp still returns one or two units of 2⁻¹⁰⁷⁴), ∞ above x ≈ 709.78 like Math.exp. Used for
 * the Float32 output path.
 * @internal
 */
export function expTable(x: number): number {
  const y = x < -EXP_CLAMP ? -EXP_CLAMP : x > EXP_CLAMP ? EXP_CLAMP : x;
  const m = Math.round(y * EXP_M_PER_UNIT);
  const r = y - m * EXP_LN2_32_HI - m * EXP_LN2_32_LO;
  const pr = r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))));
  const f = EXP2_FRAC[m & 31];
  return POW2[(m >> 5) + POW2_BIAS] * ((f + f * pr) * 2);
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

/** Channels per block of {@link fillConfocal}. */
const BLOCK = 256;
/**
 * Padding of the block buffer's rows (values): a row length that is not a multiple of a large
 * power of two spreads a column over many cache sets.
 */
const ROW_PAD = 16;
/** Exponentials per channel in the second batch: q, sFac, Gaussian seed and ratio, E seed. */
const N_SEEDS = 5;

/** Column modes of a channel within a block. */
const MODE_ZERO = 0;
const MODE_DIRECT = 1;
const MODE_RUNS = 2;

/** Per-call scratch of {@link fillConfocal}: the per-channel constants of one block of channels. */
interface BlockScratch {
  /**
   * Float32 output on uniformly spaced channel energies: their spacing (keV), and T(E), σ(E)
   * then follow by recurrences along each block; NaN otherwise.
   */
  energyStepKeV: number;
  /** Channels per block (slot stride of the arrays below). */
  w: number;
  /** Arguments, then values, of the exponentials of the block: T and σ (2·w). */
  ts: Float64Array;
  /** Arguments, then values, of the seeds (N_SEEDS·w, seed-major). */
  seeds: Float64Array;
  k2: Float64Array;
  mu: Float64Array;
  a: Float64Array;
  inv: Float64Array;
  c2: Float64Array;
  mode: Int32Array;
  /**
   * First depth whose Gaussian is representable, the end n1 of the Gaussian·erfcx run and the
   * end n3 ≥ n1 of the E·erfc run.
   */
  n0: Int32Array;
  n1: Int32Array;
  n3: Int32Array;
  /** Float32 output: first depth past the surface whose Gaussian is below e^−GAUSS_EXP_TINY. */
  nT: Int32Array;
}

/**
 * Replaces x[i] by exp(x[i]) for i < n: {@link expTable} written out, so that no runtime call
 * remains. Unused slots hold 0 and skip the evaluation (exp(0) = 1).
 */
function expAll(x: Float64Array, n: number): void {
  const frac = EXP2_FRAC;
  const pow2 = POW2;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v === 0) {
      x[i] = 1;
      continue;
    }
    const y = v < -EXP_CLAMP ? -EXP_CLAMP : v > EXP_CLAMP ? EXP_CLAMP : v;
    const m = Math.round(y * EXP_M_PER_UNIT);
    const r = y - m * EXP_LN2_32_HI - m * EXP_LN2_32_LO;
    const pr = r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))));
    const f = frac[m & 31];
    x[i] = pow2[(m >> 5) + POW2_BIAS] * ((f + f * pr) * 2);
  }
}

/**
 * Spacing of `e` if its values lie on e[0] + k·step to 1e-14 of their magnitude (a calibration's
 * channel energies), else NaN.
 */
function uniformStep(e: ArrayLike<number>): number {
  const n = e.length;
  if (n < 2) return NaN;
  const e0 = e[0];
  const step = (e[n - 1] - e0) / (n - 1);
  const tol = 1e-14 * Math.max(Math.abs(e0), Math.abs(e[n - 1]));
  for (let k = 1; k < n - 1; k++) if (!(Math.abs(e[k] - (e0 + k * step)) <= tol)) return NaN;
  return step;
}

/**
 * Fills `p.out[n·nChannels + k]` with Φ0·B·A·C·T (Φ0 = 1 when `p.phi0` is null). On a uniform
 * grid E_n and exp(−z_n²/2σ²) advance by exact-ratio recurrences within contiguous runs of
 * depth per branch of {@link twoAC}, so the depth loops call no exponential; otherwise each
 * value is {@link twoAC}.
 *
 * Float64 output: one pass per channel (σ, T, seeds by Math.exp), written straight into the
 * column of `out`. Float32 output: channels in blocks of {@link BLOCK}; the block's per-channel
 * constants and run boundaries first, its exponentials in batches by {@link expTable} (no
 * runtime call), then one pass over the depths per channel into a block buffer whose rows are
 * copied into `out` (contiguous writes; a column of `out` with a power-of-two stride hits the
 * same cache set at every depth). Float32 values agree with the Float64 evaluation within one
 * float32 rounding. Allocates only per-call scratch (for Float32 output: the block buffer, its
 * row views and the per-channel constants of one block).
 *
 * @internal
 */
export function fillConfocal(p: ConfocalFillParams): void {
  const { nSteps, out } = p;
  const nCh = p.nChannels;
  if (!(out instanceof Float32Array)) {
    for (let k = 0; k < nCh; k++) fillChannelF64(p, k, out);
    return;
  }
  const width0 = Math.min(BLOCK, nCh);
  const stride = width0 + ROW_PAD;
  // Block buffer, and views of its rows (full blocks, and the last block if it is narrower)
  // made once per call so that the row copies allocate nothing.
  const buf = new Float32Array(stride * nSteps);
  const rows = (width: number): Float32Array[] =>
    Array.from({ length: nSteps }, (_, n) => buf.subarray(n * stride, n * stride + width));
  const fullRows = rows(width0);
  const lastWidth = nCh - width0 * Math.floor((nCh - 1) / width0);
  const lastRows = lastWidth === width0 ? fullRows : rows(lastWidth);
  // Per-channel constants: views of two arrays (one allocation each).
  const w = width0;
  const f0 = 2 + N_SEEDS;
  const fs = new Float64Array((f0 + 5) * w);
  const is = new Int32Array(5 * w);
  const s: BlockScratch = {
    w,
    energyStepKeV: uniformStep(p.energyKeV),
    ts: fs.subarray(0, 2 * w),
    seeds: fs.subarray(2 * w, f0 * w),
    k2: fs.subarray(f0 * w, (f0 + 1) * w),
    mu: fs.subarray((f0 + 1) * w, (f0 + 2) * w),
    a: fs.subarray((f0 + 2) * w, (f0 + 3) * w),
    inv: fs.subarray((f0 + 3) * w, (f0 + 4) * w),
    c2: fs.subarray((f0 + 4) * w, (f0 + 5) * w),
    mode: is.subarray(0, w),
    n0: is.subarray(w, 2 * w),
    n1: is.subarray(2 * w, 3 * w),
    n3: is.subarray(3 * w, 4 * w),
    nT: is.subarray(4 * w, 5 * w),
  };
  for (let k0 = 0; k0 < nCh; k0 += width0) {
    const width = Math.min(width0, nCh - k0);
    blockConstants(p, k0, width, s);
    for (let j = 0; j < width; j++) fillColumnF32(p, s, buf, j, stride);
    const r = width === width0 ? fullRows : lastRows;
    for (let n = 0; n < nSteps; n++) out.set(r[n], n * nCh + k0);
  }
}

/**
 * exp(−(E − tM)²/2tB²) and exp(−sigmaExpPerKeV·E) of the block's channels into s.ts[j] and
 * s.ts[w + j]: one exponential each, or, on uniformly spaced energies (Float32 output only)
 * and where the Gaussian stays above e^−600 over the block, by the recurrences
 * G_{j+1} = G_j·R_j, R_{j+1} = R_j·exp(−h²) (h = ΔE/tB) and X_{j+1} = X_j·exp(−sigmaExpPerKeV·ΔE)
 * from three exponentials at the block's first channel (relative error ≤ j²·2⁻⁵³ ≤ 4e-12).
 */
function blockTransmissionSigma(
  p: ConfocalFillParams,
  k0: number,
  width: number,
  s: BlockScratch,
): void {
  const w = s.w;
  const { setup } = p;
  const ts = s.ts;
  const step = s.energyStepKeV;
  if (step === step) {
    const d0 = (p.energyKeV[k0] - setup.tM) / setup.tB;
    const h = step / setup.tB;
    const d1 = d0 + (width - 1) * h;
    if (0.5 * d0 * d0 <= 600 && 0.5 * d1 * d1 <= 600) {
      ts[0] = -0.5 * d0 * d0;
      ts[1] = -(d0 * h + 0.5 * h * h);
      ts[2] = -h * h;
      ts[3] = -setup.sigmaExpPerKeV * p.energyKeV[k0];
      ts[4] = -setup.sigmaExpPerKeV * step;
      expAll(ts, 5);
      let gT = ts[0];
      let rT = ts[1];
      const sT = ts[2];
      let x = ts[3];
      const rho = ts[4];
      for (let j = 0; j < width; j++) {
        ts[j] = gT;
        ts[w + j] = x;
        gT *= rT;
        rT *= sT;
        x *= rho;
      }
      return;
    }
  }
  for (let j = 0; j < width; j++) {
    const e = p.energyKeV[k0 + j];
    const de = (e - setup.tM) / setup.tB;
    ts[j] = -0.5 * de * de;
    ts[w + j] = -setup.sigmaExpPerKeV * e;
  }
  expAll(ts, w + width);
}

/**
 * Float32 output: per-channel constants, run boundaries and exponential seeds of channels
 * k0 … k0 + width − 1.
 */
function blockConstants(p: ConfocalFillParams, k0: number, width: number, s: BlockScratch): void {
  const w = s.w;
  const { phi0, setup, x0Um, depthsUm, nSteps } = p;
  const g = p.gridUm;
  const ts = s.ts;
  const seeds = s.seeds;
  blockTransmissionSigma(p, k0, width, s);
  const uFlat = U_FLAT_F32;
  const z0 = depthsUm[0] - x0Um;
  const rg = 1 / g;
  for (let j = 0; j < width; j++) {
    const k = k0 + j;
    const f0 = phi0 === null ? 1 : phi0[k];
    const mu = p.muLinPerUm[k];
    let k2 = f0 === 0 ? 0 : 0.5 * f0 * setup.tA * ts[j];
    if (p.normalise) k2 *= mu * p.stepUm;
    const sigma = setup.sigmaMaxUm * ts[w + j] + setup.sigmaOffUm;
    const s2 = sigma * sigma;
    const a = mu * s2;
    const inv = 1 / (Math.SQRT2 * sigma);
    const c2 = 0.5 / s2;
    const du = g * inv;
    s.k2[j] = k2;
    s.mu[j] = mu;
    s.a[j] = a;
    s.inv[j] = inv;
    s.c2[j] = c2;
    // Exponents of q, sFac, the Gaussian and its ratio where run 1 starts, E where run 2
    // starts; unused ones stay 0 (exp(0) = 1).
    let xq = 0;
    let xs = 0;
    let xg1 = 0;
    let xr1 = 0;
    let xe = 0;
    if (k2 === 0) s.mode[j] = MODE_ZERO;
    else if (!(du <= MAX_STEP_PER_SQRT2_SIGMA)) s.mode[j] = MODE_DIRECT;
    else {
      s.mode[j] = MODE_RUNS;
      // u_n = (a − z_n)/(√2σ) falls linearly with n, so the Float32 forms of twoAC occupy
      // contiguous runs of depths: [u ≥ L] Gaussian·erfcx(u); [uFlat < u < L] E·erfc(u) from
      // the erfc table; [u ≤ uFlat] 2E. First n with u_n < L (resp. ≤ uFlat) from
      // u_n = u0 − n·du, then exact checks on each side with the expression used in the loops
      // (rounding at the boundaries).
      const u0 = (a - z0) * inv;
      const rdu = 1 / du;
      let n1 = u0 < L ? 0 : Math.min(Math.floor((u0 - L) * rdu) + 1, nSteps);
      while (n1 > 0 && (a - (depthsUm[n1 - 1] - x0Um)) * inv < L) n1--;
      while (n1 < nSteps && (a - (depthsUm[n1] - x0Um)) * inv >= L) n1++;
      let n3 =
        u0 <= uFlat ? n1 : Math.max(Math.min(Math.floor((u0 - uFlat) * rdu) + 1, nSteps), n1);
      while (n3 > n1 && (a - (depthsUm[n3 - 1] - x0Um)) * inv <= uFlat) n3--;
      while (n3 < nSteps && (a - (depthsUm[n3] - x0Um)) * inv > uFlat) n3++;
      // Depths of run 1 whose Gaussian is not representable (far above the surface) are zeros.
      let n0 = 0;
      while (n0 < n1) {
        const z = depthsUm[n0] - x0Um;
        if (z * z * c2 < GAUSS_EXP_MAX) break;
        n0++;
      }
      s.n0[j] = n0;
      s.n1[j] = n1;
      s.n3[j] = n3;
      if (n0 < n1) {
        // First n with z_n > zT = σ·√(2·GAUSS_EXP_TINY) (z_n = z0 + n·g up to rounding).
        const zT = sigma * SQRT_2_GAUSS_EXP_TINY;
        let nT = z0 > zT ? 0 : Math.min(Math.floor((zT - z0) * rg) + 1, nSteps);
        while (nT > 0 && depthsUm[nT - 1] - x0Um > zT) nT--;
        while (nT < nSteps && !(depthsUm[nT] - x0Um > zT)) nT++;
        s.nT[j] = nT;
        xs = -2 * du * du;
        const zs = depthsUm[n0] - x0Um;
        xg1 = -zs * zs * c2;
        xr1 = -(2 * zs + g) * g * c2;
      }
      if (n1 < nSteps) {
        xq = -mu * g;
        xe = mu * (0.5 * a - (depthsUm[n1] - x0Um));
      }
    }
    seeds[j] = xq;
    seeds[w + j] = xs;
    seeds[2 * w + j] = xg1;
    seeds[3 * w + j] = xr1;
    seeds[4 * w + j] = xe;
  }
  expAll(seeds, N_SEEDS * w);
}

/**
 * Float64 output: channel k's profile straight into the column col[k + n·nChannels], with
 * Math.exp for σ, T and the seeds of each run and Cody's erfcx at every value.
 */
function fillChannelF64(p: ConfocalFillParams, k: number, col: Float64Array): void {
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
  const uFlat = U_FLAT;
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
    for (; n < n3; n++) {
      const u = (a - (depthsUm[n] - x0Um)) * inv;
      col[offset + n * stride] = k2 * (2 * eVal - gVal * erfcxAboveThreshold(-u));
      eVal *= q;
      gVal *= gRatio;
      gRatio *= sFac;
      if (gVal < TINY) gVal = gRatio = 0;
    }
  }
  // Run 4: u ≤ uFlat: 2E, until E is negligible.
  for (; n < nSteps && eVal >= TINY; n++) {
    col[offset + n * stride] = 2 * k2 * eVal;
    eVal *= q;
  }
  for (; n < nSteps; n++) col[offset + n * stride] = 0;
}

/**
 * Column j of the block for Float32 output, into col[j + n·stride]: above and just below the
 * surface (u ≥ L) exp(−z²/2σ²)·erfcx(u) with the float32-accurate erfcx table; then
 * E·erfc(u) with the erfc table while u > U_FLAT_F32 (erfc ∈ (0.5, 2) there: no overflow, no
 * cancellation, no Gaussian); then 2E. Table positions advance by a constant step per depth, E
 * and the Gaussian by exact-ratio recurrences. Past the surface, from the depth nT where
 * exp(−z²/2σ²) < e^−GAUSS_EXP_TINY on, the first run gives 0 (values below ~1e-280·Φ0·T·B,
 * zeros in float32). The loops hold no calls and no rarely taken branches.
 */
function fillColumnF32(
  p: ConfocalFillParams,
  s: BlockScratch,
  col: Float32Array,
  j: number,
  stride: number,
): void {
  const w = s.w;
  const { x0Um, depthsUm, nSteps } = p;
  const mode = s.mode[j];
  const end = j + nSteps * stride;
  if (mode === MODE_ZERO) {
    for (let i = j; i < end; i += stride) col[i] = 0;
    return;
  }
  const k2 = s.k2[j];
  const mu = s.mu[j];
  const a = s.a[j];
  const inv = s.inv[j];
  const c2 = s.c2[j];
  if (mode === MODE_DIRECT) {
    for (let n = 0, i = j; n < nSteps; n++, i += stride)
      col[i] = k2 * twoAC(depthsUm[n] - x0Um, mu, a, inv, c2);
    return;
  }
  const g = p.gridUm;
  const seeds = s.seeds;
  const n1 = s.n1[j];
  const n3 = s.n3[j];
  const nT = s.nT[j];
  const n0 = s.n0[j];
  // The loops run over the output index i = j + n·stride alone.
  let i = j | 0;
  for (const i0 = j + n0 * stride; i < i0; i += stride) col[i] = 0;
  // Run 1: u ≥ L (above or just below the surface): exp(−z²/2σ²)·erfcx(u).
  if (n0 < n1) {
    const tab = ERFCX_TABLE;
    // Table positions (u − L)/TAB_STEP fall by dpt per depth.
    const dpt = g * inv * TAB_INV_STEP;
    const sFac = seeds[w + j];
    let gVal = seeds[2 * w + j];
    let gRatio = seeds[3 * w + j];
    const iE1 = j + Math.min(n1, nT) * stride;
    let pt = ((a - (depthsUm[n0] - x0Um)) * inv - L) * TAB_INV_STEP;
    // u ≥ TAB_MAX: erfcxFloat32's asymptotic series.
    for (; i < iE1 && pt >= PT_MAX; i += stride) {
      const u = L + pt * TAB_STEP;
      const r = 1 / (u * u);
      const ex = (INV_SQRT_PI / u) * (1 - r * (0.5 - r * (0.75 - r * 1.875)));
      col[i] = k2 * gVal * ex;
      pt -= dpt;
      gVal *= gRatio;
      gRatio *= sFac;
    }
    // L ≤ u < TAB_MAX: erfcxFloat32's table, interval and Horner in t.
    for (; i < iE1; i += stride) {
      const m = pt | 0;
      const t = pt - m;
      const o = m << 2;
      const ex = tab[o] + t * (tab[(o + 1) | 0] + t * (tab[(o + 2) | 0] + t * tab[(o + 3) | 0]));
      col[i] = k2 * gVal * ex;
      pt -= dpt;
      gVal *= gRatio;
      gRatio *= sFac;
    }
    for (const i1 = j + n1 * stride; i < i1; i += stride) col[i] = 0;
  }
  if (n1 === nSteps) return;
  const q = seeds[j];
  let eVal = seeds[4 * w + j];
  // Run 2: U_FLAT_F32 < u < L: E·erfc(u) from the erfc table; positions fall by dpe per depth.
  if (n1 < n3) {
    const tab = ERFC_TABLE;
    const dpe = g * inv * ERFC_TAB_INV_STEP;
    let pe = ((a - (depthsUm[n1] - x0Um)) * inv - U_FLAT_F32) * ERFC_TAB_INV_STEP;
    for (const i3 = j + n3 * stride; i < i3; i += stride) {
      // Rounding can take the last position a hair below 0: clamp to the first interval.
      const m = pe > 0 ? pe | 0 : 0;
      const t = pe - m;
      const o = m << 2;
      const ec = tab[o] + t * (tab[(o + 1) | 0] + t * (tab[(o + 2) | 0] + t * tab[(o + 3) | 0]));
      col[i] = k2 * eVal * ec;
      pe -= dpe;
      eVal *= q;
    }
  }
  // Run 3: u ≤ U_FLAT_F32: 2E, until E is negligible; two depths per pass while both are.
  const k2x2 = 2 * k2;
  for (const stride2 = 2 * stride; i + stride < end && eVal * q >= TINY; i += stride2) {
    col[i] = k2x2 * eVal;
    eVal *= q;
    col[i + stride] = k2x2 * eVal;
    eVal *= q;
  }
  for (; i < end && eVal >= TINY; i += stride) {
    col[i] = k2x2 * eVal;
    eVal *= q;
  }
  for (; i < end; i += stride) col[i] = 0;
}
