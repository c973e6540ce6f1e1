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
