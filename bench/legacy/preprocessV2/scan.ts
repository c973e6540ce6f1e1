/**
 * FROZEN COPY of src/model/scan.ts before the fused preprocessing, kept so that the model
 * benchmark can time the current preprocessing against it in the same run. Not part of the
 * package; do not edit.
 */
/**
 * Scan analysis for quantification: the step size of a depth scan, the total count-rate density
 * along the scan, a robust estimate of where the surface lies, and the choice of the model window
 * (the `nDepth` model steps the network sees) so that the surface lies where the model was
 * trained.
 *
 * The network was trained on `nDepth = 40` steps of 5 µm with the surface x0 drawn uniformly in
 * the first half of that window, [0, 100) µm (`sampleSurfaceUm`). A scan of any length is
 * therefore cut to a 195 µm window that starts {@link WINDOW_LEAD_UM} before the estimated
 * surface, within the scan. Positions outside the window are not given to the network: in front
 * of it there is only air, behind it the signal of a thick homogeneous sample has decayed into the
 * background (at least 95 µm behind the surface, i.e. several attenuation lengths of every line
 * the model reads).
 *
 * @module
 */
import type { ModelGrid } from '../../../src/model/card';

/**
 * Distance (µm) the model window starts in front of the surface edge estimate. The edge estimate
 * (half maximum of the rising total count rate) lies between about 40 µm in front of the
 * surface (heavy matrices, peak-shaped profiles, wide probing volumes) and a few µm behind it
 * (light matrices, step-shaped profiles), so the surface lands 25–70 µm into the window, inside
 * the trained range [0, 100) µm with margin on both sides.
 */
export const WINDOW_LEAD_UM = 35;

/** Facts about the scan that the preprocessing found; copied to every result. */
export interface ScanFacts {
  /** Number of scan positions. */
  nSteps: number;
  /** First scan position (µm). */
  firstUm: number;
  /** Last scan position (µm). */
  lastUm: number;
  /** Median distance between successive positions (µm). */
  medianStepUm: number;
  /** Smallest and largest distance between successive positions (µm). */
  minStepUm: number;
  /** Largest distance between successive positions (µm). */
  maxStepUm: number;
  /**
   * Surface estimate from the scan alone (µm, on the scan axis): where the total count rate
   * (within the model's energy range, per µm of scan) first reaches half its maximum. Between
   * about 40 µm in front of the true surface and 5 µm behind it; the network's `surfaceUm` is the
   * accurate value.
   */
  surfaceEdgeUm: number;
  /** Maximum over the scan of the total count rate within the model's energy range (counts/s). */
  peakTotalRateCps: number;
}

/** The model window chosen for a profile; copied to every result. */
export interface ModelWindow {
  /** Scan position of model step 0 (µm). */
  startUm: number;
  /** Scan position of the last model step (µm). */
  endUm: number;
  /** Model step (µm). */
  stepUm: number;
  /** Number of model steps. */
  nSteps: number;
  /** First and last measured step that contribute to the window (0-based, inclusive). */
  firstStep: number;
  /** Last measured step that contributes to the window (0-based, inclusive). */
  lastStep: number;
  /**
   * How many model passes chose this window: 1 when the edge estimate placed the surface well
   * inside it, 2 when the network's first surface estimate was near the window edge and the
   * window was moved.
   */
  passes: number;
}

/** Median of a copy of the values. */
function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/**
 * Step statistics of strictly increasing positions (at least two).
 * @example
 * ```ts
 * import { stepStats } from 'cmxrf/model';
 * stepStats([0, 10, 20, 35, 45]); // { medianStepUm: 10, minStepUm: 10, maxStepUm: 15 }
 * ```
 */
export function stepStats(depthsUm: ArrayLike<number>): {
  medianStepUm: number;
  minStepUm: number;
  maxStepUm: number;
} {
  const n = depthsUm.length;
  if (n < 2) return { medianStepUm: NaN, minStepUm: NaN, maxStepUm: NaN };
  const d = new Float64Array(n - 1);
  let mn = Infinity;
  let mx = -Infinity;
  for (let j = 1; j < n; j++) {
    d[j - 1] = depthsUm[j] - depthsUm[j - 1];
    mn = Math.min(mn, d[j - 1]);
    mx = Math.max(mx, d[j - 1]);
  }
  return { medianStepUm: median(d), minStepUm: mn, maxStepUm: mx };
}

/**
 * Width (µm) of the scan cell of every position: half the distance to each neighbour, the full
 * distance to the one neighbour at either end. Written into `out`.
 */
export function cellWidthsUm(depthsUm: ArrayLike<number>, out: Float64Array): Float64Array {
  const n = depthsUm.length;
  if (n === 1) {
    out[0] = NaN;
    return out;
  }
  out[0] = depthsUm[1] - depthsUm[0];
  out[n - 1] = depthsUm[n - 1] - depthsUm[n - 2];
  for (let j = 1; j < n - 1; j++) out[j] = 0.5 * (depthsUm[j + 1] - depthsUm[j - 1]);
  return out;
}

/**
 * Surface edge estimate: the position where the density `density[j]` (total rate per µm of scan,
 * smoothed by a 3-point median) first reaches half its maximum, interpolated linearly between
 * positions. Returns the estimate, the index of the maximum, and the ratio of the maximum to the
 * smallest density anywhere on the scan (the contrast; 1 for a flat scan).
 * @example
 * ```ts
 * import { surfaceEdge } from 'cmxrf/model';
 * surfaceEdge([0, 10, 20, 30, 40, 50, 60], Float64Array.of(1, 1, 2, 10, 20, 18, 16));
 * // { edgeUm: 28.75, peakIndex: 4, peak: 18, contrast: 18 } (peak after the median smoothing)
 * ```
 */
export function surfaceEdge(
  depthsUm: ArrayLike<number>,
  density: Float64Array,
): { edgeUm: number; peakIndex: number; peak: number; contrast: number } {
  const n = density.length;
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (j === 0 || j === n - 1) s[j] = density[j];
    else {
      const a = density[j - 1];
      const b = density[j];
      const c = density[j + 1];
      s[j] = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
  }
  let peakIndex = 0;
  for (let j = 1; j < n; j++) if (s[j] > s[peakIndex]) peakIndex = j;
  const peak = s[peakIndex];
  let floor = Infinity;
  for (let j = 0; j < n; j++) floor = Math.min(floor, s[j]);
  const half = 0.5 * peak;
  let j = 0;
  while (j < peakIndex && s[j] < half) j++;
  let edgeUm = depthsUm[j];
  if (j > 0 && s[j] > s[j - 1]) {
    const f = (half - s[j - 1]) / (s[j] - s[j - 1]);
    edgeUm = depthsUm[j - 1] + f * (depthsUm[j] - depthsUm[j - 1]);
  }
  return { edgeUm, peakIndex, peak, contrast: floor > 0 ? peak / floor : Infinity };
}

/**
 * Chooses the start of the model window: {@link WINDOW_LEAD_UM} in front of `surfaceUm`,
 * moved onto the nearest scan position at or before it, and kept inside the scan (the window
 * must end at or before the last position). Returns the start position.
 * @example
 * ```ts
 * import { chooseWindowStartUm } from 'cmxrf/model';
 * const depthsUm = Array.from({ length: 41 }, (_, i) => 5 * i); // 0…200 µm
 * chooseWindowStartUm(depthsUm, 62, { nDepth: 20, depthStepUm: 5 }); // 25 (62 − 35, snapped)
 * ```
 */
export function chooseWindowStartUm(
  depthsUm: ArrayLike<number>,
  surfaceUm: number,
  grid: Pick<ModelGrid, 'nDepth' | 'depthStepUm'>,
  leadUm = WINDOW_LEAD_UM,
): number {
  const n = depthsUm.length;
  const span = (grid.nDepth - 1) * grid.depthStepUm;
  const latest = depthsUm[n - 1] - span;
  let target = Math.min(surfaceUm - leadUm, latest);
  target = Math.max(target, depthsUm[0]);
  // Snap onto a measured position, so that a scan at the model step is used without
  // interpolation; stay within the scan.
  let j = 0;
  while (j + 1 < n && depthsUm[j + 1] <= target + 1e-9) j++;
  const snapped = depthsUm[j];
  const tol = 1e-6 * grid.depthStepUm;
  if (snapped + span <= depthsUm[n - 1] + tol) return snapped;
  return Math.max(depthsUm[0], latest);
}
