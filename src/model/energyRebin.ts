/**
 * Exact bin-overlap rebinning of a spectrum with a linear energy calibration onto the model's
 * energy grid. Counts are conserved: each source channel's counts are split over the target bins
 * in proportion to the overlap of the bin intervals (counts uniformly distributed within a
 * channel). Counts outside the model's energy range are not part of the model input.
 *
 * @module
 */
import type { EnergyCalibration } from '../profile';
import type { ModelGrid } from './card';

/**
 * A precomputed rebinning: `out[dst[i]] += src[srcIndex[i]] · weight[i]` for every segment i.
 * Segments are ordered by source and target channel.
 */
export interface EnergyRebinPlan {
  /** Source channel of each segment. */
  readonly srcIndex: Int32Array;
  /** Target bin of each segment. */
  readonly dstIndex: Int32Array;
  /** Fraction of the source channel that falls in the target bin (0..1]. */
  readonly weight: Float64Array;
  /** Number of target bins. */
  readonly nOut: number;
}

/** Energy range `[minKeV, maxKeV]` covered by the channels of a calibration (bin edges). */
export function calibrationRangeKeV(c: EnergyCalibration): { minKeV: number; maxKeV: number } {
  return {
    minKeV: c.offsetKeV - 0.5 * c.gainKeVPerChannel,
    maxKeV: c.offsetKeV + (c.nChannels - 0.5) * c.gainKeVPerChannel,
  };
}

/**
 * Builds the exact-overlap plan from a linear calibration (channel ch centred at
 * `offsetKeV + gain · ch`, covering ± gain/2) onto the grid's bins. Returns `undefined` when the
 * calibration does not cover the grid's range (within 1e-6 of a bin width) or its gain is not > 0;
 * the caller reports that as a typed error.
 * @example
 * ```ts
 * const plan = energyRebinPlan(
 *   { offsetKeV: 0, gainKeVPerChannel: 0.02, nChannels: 2048 },
 *   { startKeV: 1, binWidthKeV: 0.024, nChannels: 1024 },
 * ); // undefined when the calibration does not cover the grid
 * ```
 */
export function energyRebinPlan(
  c: EnergyCalibration,
  grid: Pick<ModelGrid, 'startKeV' | 'binWidthKeV' | 'nChannels'>,
): EnergyRebinPlan | undefined {
  const gain = c.gainKeVPerChannel;
  const n = c.nChannels;
  const w = grid.binWidthKeV;
  const nOut = grid.nChannels;
  if (!(gain > 0) || !Number.isFinite(c.offsetKeV) || !(n > 0)) return undefined;
  const tol = 1e-6 * Math.min(gain, w);
  const { minKeV, maxKeV } = calibrationRangeKeV(c);
  const gridMax = grid.startKeV + nOut * w;
  if (minKeV > grid.startKeV + tol || maxKeV < gridMax - tol) return undefined;

  const srcLo = (ch: number): number => c.offsetKeV + (ch - 0.5) * gain;
  const dstLo = (k: number): number => grid.startKeV + k * w;
  const cap = n + nOut + 2;
  const srcIndex = new Int32Array(cap);
  const dstIndex = new Int32Array(cap);
  const weight = new Float64Array(cap);
  let m = 0;
  let ch = Math.max(0, Math.floor((grid.startKeV - minKeV) / gain) - 1);
  let k = 0;
  while (ch < n && k < nOut) {
    const sLo = srcLo(ch);
    const sHi = srcLo(ch + 1);
    const tLo = dstLo(k);
    const tHi = dstLo(k + 1);
    const overlap = Math.min(sHi, tHi) - Math.max(sLo, tLo);
    // Slivers below 1e-9 of a channel come from rounding of coinciding edges.
    if (overlap > 1e-9 * gain) {
      srcIndex[m] = ch;
      dstIndex[m] = k;
      weight[m] = overlap / gain;
      m++;
    }
    if (sHi < tHi) ch++;
    else if (tHi < sHi) k++;
    else {
      ch++;
      k++;
    }
  }
  return {
    srcIndex: srcIndex.slice(0, m),
    dstIndex: dstIndex.slice(0, m),
    weight: weight.slice(0, m),
    nOut,
  };
}

/**
 * Applies a plan to one spectrum (`src` from `srcOffset`), writing `scale ·` rebinned counts to
 * `out` from `outOffset` (overwrites `nOut` values). Allocation-free.
 */
export function applyEnergyRebin(
  plan: EnergyRebinPlan,
  src: ArrayLike<number>,
  srcOffset: number,
  out: Float64Array,
  outOffset: number,
  scale = 1,
): void {
  out.fill(0, outOffset, outOffset + plan.nOut);
  const { srcIndex, dstIndex, weight } = plan;
  for (let i = 0; i < srcIndex.length; i++) {
    out[outOffset + dstIndex[i]] += src[srcOffset + srcIndex[i]] * weight[i];
  }
  if (scale !== 1) for (let k = 0; k < plan.nOut; k++) out[outOffset + k] *= scale;
}

/**
 * The same rebinning as an {@link EnergyRebinPlan}, arranged per target bin for speed: the bin
 * sums the source channels `[runStart[k], runEnd[k])` whole, plus `leftWeight[k]` of channel
 * `leftChannel[k]` and `rightWeight[k]` of channel `rightChannel[k]` (weights 0 where there is
 * no partial channel).
 */
export interface EnergyRebinRuns {
  /** Number of target bins. */
  readonly nOut: number;
  /** First whole source channel of each bin. */
  readonly runStart: Int32Array;
  /** One past the last whole source channel of each bin. */
  readonly runEnd: Int32Array;
  /** Partial channel at the low end of each bin. */
  readonly leftChannel: Int32Array;
  /** Its weight (0..1). */
  readonly leftWeight: Float64Array;
  /** Partial channel at the high end of each bin. */
  readonly rightChannel: Int32Array;
  /** Its weight (0..1). */
  readonly rightWeight: Float64Array;
  /** First source channel the plan reads. */
  readonly firstChannel: number;
  /** One past the last source channel the plan reads. */
  readonly endChannel: number;
}

/**
 * Rearranges a plan per target bin ({@link EnergyRebinRuns}).
 * @example
 * ```ts
 * import { energyRebinPlan, energyRebinRuns } from 'cmxrf/model';
 * const plan = energyRebinPlan(
 *   { offsetKeV: 0, gainKeVPerChannel: 0.01, nChannels: 8 },
 *   { startKeV: 0.01, binWidthKeV: 0.02, nChannels: 3 },
 * );
 * const runs = energyRebinRuns(plan!);
 * runs.runStart; // Int32Array [2, 4, 6]; half of channels 1, 3, 5 on the left of each bin
 * ```
 */
export function energyRebinRuns(plan: EnergyRebinPlan): EnergyRebinRuns {
  const n = plan.nOut;
  const runStart = new Int32Array(n);
  const runEnd = new Int32Array(n);
  const leftChannel = new Int32Array(n);
  const leftWeight = new Float64Array(n);
  const rightChannel = new Int32Array(n);
  const rightWeight = new Float64Array(n);
  const { srcIndex, dstIndex, weight } = plan;
  let i = 0;
  for (let k = 0; k < n; k++) {
    let a = i;
    while (i < dstIndex.length && dstIndex[i] === k) i++;
    let b = i; // segments [a, b) belong to bin k, ordered by source channel
    if (b > a && weight[a] < 1 - 1e-12) {
      leftChannel[k] = srcIndex[a];
      leftWeight[k] = weight[a];
      a++;
    }
    if (b > a && weight[b - 1] < 1 - 1e-12) {
      rightChannel[k] = srcIndex[b - 1];
      rightWeight[k] = weight[b - 1];
      b--;
    }
    runStart[k] = b > a ? srcIndex[a] : 0;
    runEnd[k] = b > a ? srcIndex[b - 1] + 1 : 0;
  }
  const firstChannel = srcIndex.length > 0 ? srcIndex[0] : 0;
  const endChannel = srcIndex.length > 0 ? srcIndex[srcIndex.length - 1] + 1 : 0;
  return {
    nOut: n,
    runStart,
    runEnd,
    leftChannel,
    leftWeight,
    rightChannel,
    rightWeight,
    firstChannel,
    endChannel,
  };
}

/**
 * Applies {@link EnergyRebinRuns} to one spectrum (`src` from `srcOffset`), writing `scale ·`
 * the rebinned counts to `out` from `outOffset`. Equal to {@link applyEnergyRebin} up to
 * rounding; allocation-free. `src` must be finite (a NaN in a partial channel of weight 0 would
 * propagate).
 * @example
 * ```ts
 * import { applyEnergyRebinRuns, energyRebinPlan, energyRebinRuns } from 'cmxrf/model';
 * const plan = energyRebinPlan(
 *   { offsetKeV: 0, gainKeVPerChannel: 0.01, nChannels: 8 },
 *   { startKeV: 0.01, binWidthKeV: 0.02, nChannels: 3 },
 * );
 * const out = new Float64Array(3);
 * applyEnergyRebinRuns(energyRebinRuns(plan!), [1, 2, 3, 4, 5, 6, 7, 8], 0, out, 0);
 * out; // ≈ [6, 10, 14]
 * ```
 */
export function applyEnergyRebinRuns(
  r: EnergyRebinRuns,
  src: ArrayLike<number>,
  srcOffset: number,
  out: Float64Array,
  outOffset: number,
  scale = 1,
): void {
  const { runStart, runEnd, leftChannel, leftWeight, rightChannel, rightWeight } = r;
  for (let k = 0; k < r.nOut; k++) {
    let s = 0;
    const e = srcOffset + runEnd[k];
    for (let i = srcOffset + runStart[k]; i < e; i++) s += src[i];
    s +=
      leftWeight[k] * src[srcOffset + leftChannel[k]] +
      rightWeight[k] * src[srcOffset + rightChannel[k]];
    out[outOffset + k] = s * scale;
  }
}

/**
 * {@link applyEnergyRebinRuns} that also reports, in `stats`, the sum of the written values
 * (`stats[0]`) and the smallest source count the plan reads (`stats[1]`, 0 when none is
 * negative): one pass over the counts for the rebinning and the checks.
 */
export function applyEnergyRebinRunsWithStats(
  r: EnergyRebinRuns,
  src: ArrayLike<number>,
  srcOffset: number,
  out: Float64Array,
  outOffset: number,
  scale: number,
  stats: Float64Array,
): void {
  const { runStart, runEnd, leftChannel, leftWeight, rightChannel, rightWeight } = r;
  let total = 0;
  let mn = 0;
  for (let k = 0; k < r.nOut; k++) {
    let s = 0;
    const e = srcOffset + runEnd[k];
    for (let i = srcOffset + runStart[k]; i < e; i++) {
      const v = src[i];
      s += v;
      if (v < mn) mn = v;
    }
    const a = src[srcOffset + leftChannel[k]];
    const b = src[srcOffset + rightChannel[k]];
    if (leftWeight[k] > 0 && a < mn) mn = a;
    if (rightWeight[k] > 0 && b < mn) mn = b;
    s += leftWeight[k] * a + rightWeight[k] * b;
    const v = s * scale;
    out[outOffset + k] = v;
    total += v;
  }
  stats[0] = total;
  stats[1] = mn;
}

/**
 * {@link applyEnergyRebinRunsWithStats} of two spectra (`src` from `srcOffset0` and from
 * `srcOffset1`, written to `out` from `outOffset0` and `outOffset1` with their scales) in one
 * pass over the plan: the same additions in the same order for each spectrum, so the same values
 * and stats (`stats[0]`, `stats[1]` of the first spectrum, `stats[2]`, `stats[3]` of the second)
 * as two calls, with the plan read and the loops run once.
 */
export function applyEnergyRebinRunsWithStats2(
  r: EnergyRebinRuns,
  src: ArrayLike<number>,
  srcOffset0: number,
  srcOffset1: number,
  out: Float64Array,
  outOffset0: number,
  outOffset1: number,
  scale0: number,
  scale1: number,
  stats: Float64Array,
): void {
  const { runStart, runEnd, leftChannel, leftWeight, rightChannel, rightWeight } = r;
  const d = srcOffset1 - srcOffset0;
  let total0 = 0;
  let total1 = 0;
  let mn0 = 0;
  let mn1 = 0;
  for (let k = 0; k < r.nOut; k++) {
    let s0 = 0;
    let s1 = 0;
    const e = srcOffset0 + runEnd[k];
    for (let i = srcOffset0 + runStart[k]; i < e; i++) {
      const v0 = src[i];
      const v1 = src[i + d];
      s0 += v0;
      s1 += v1;
      if (v0 < mn0) mn0 = v0;
      if (v1 < mn1) mn1 = v1;
    }
    const lc = leftChannel[k];
    const rc = rightChannel[k];
    const lw = leftWeight[k];
    const rw = rightWeight[k];
    const a0 = src[srcOffset0 + lc];
    const b0 = src[srcOffset0 + rc];
    const a1 = src[srcOffset1 + lc];
    const b1 = src[srcOffset1 + rc];
    if (lw > 0) {
      if (a0 < mn0) mn0 = a0;
      if (a1 < mn1) mn1 = a1;
    }
    if (rw > 0) {
      if (b0 < mn0) mn0 = b0;
      if (b1 < mn1) mn1 = b1;
    }
    s0 += lw * a0 + rw * b0;
    s1 += lw * a1 + rw * b1;
    const v0 = s0 * scale0;
    const v1 = s1 * scale1;
    out[outOffset0 + k] = v0;
    out[outOffset1 + k] = v1;
    total0 += v0;
    total1 += v1;
  }
  stats[0] = total0;
  stats[1] = mn0;
  stats[2] = total1;
  stats[3] = mn1;
}
