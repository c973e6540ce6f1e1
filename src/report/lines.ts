/**
 * Line-intensity depth curves of a measured profile: the net counts per second of one
 * fluorescence line at each scan position, from a fixed energy window with a linear background
 * taken from two side windows. No peak fitting: this is what the report plots as "measured".
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from '../errors';
import { edgeEnergyKeV, lineEnergyKeV } from '../physics/index';
import type { DepthProfile } from '../profile';

/** The line a curve follows: Kα1 for light elements, Lα1 for heavy ones. */
export type ReportLine = 'KA1' | 'LA1';

/** Net intensity of one fluorescence line at every scan position. */
export interface LineDepthCurve {
  /** Element symbol. */
  element: string;
  /** Line (Siegbahn-like id accepted by `lineEnergyKeV`). */
  line: ReportLine;
  /** Line energy (keV). */
  energyKeV: number;
  /** Scan positions (µm), as in the profile. */
  depthsUm: Float64Array;
  /** Net counts per second of live time in the line window, background subtracted. */
  countsPerS: Float64Array;
  /** Sum of `countsPerS` over the scan (used to rank lines). */
  totalCountsPerS: number;
}

/** Options of {@link lineDepthCurve} and {@link lineDepthCurves}. */
export interface LineDepthCurveOptions {
  /**
   * Half width of the integration window around the line energy (keV). Background windows of
   * the same width sit at ±2…3 half widths. @default 0.12
   */
  halfWidthKeV?: number;
  /** Highest excitation energy: K lines whose edge lies above it are not used. @default 40 */
  maxExcitationKeV?: number;
}

/** Options of {@link lineDepthCurves}. */
export interface LineDepthCurvesOptions extends LineDepthCurveOptions {
  /** Keep only the strongest curves. @default 6 */
  maxCurves?: number;
}

/**
 * The line cmxrf plots for an element: Kα1 when its K edge can be excited (below
 * `maxExcitationKeV`) and the line lies inside `[minKeV, maxKeV]`, else Lα1 when that lies
 * inside; `undefined` when neither does.
 *
 * @example
 * ```ts
 * reportLineFor('Fe', 1, 40); // 'KA1' (6.404 keV)
 * reportLineFor('Pb', 1, 40); // 'LA1' (10.55 keV; the Pb K edge is at 88 keV)
 * ```
 */
export function reportLineFor(
  element: string,
  minKeV: number,
  maxKeV: number,
  maxExcitationKeV = 40,
): ReportLine | undefined {
  const inside = (e: number): boolean => e >= minKeV && e <= maxKeV;
  try {
    if (edgeEnergyKeV(element, 'K') < maxExcitationKeV && inside(lineEnergyKeV(element, 'KA1')))
      return 'KA1';
  } catch {
    // no K data for this element: fall through to L
  }
  try {
    if (inside(lineEnergyKeV(element, 'LA1'))) return 'LA1';
  } catch {
    // no L data either
  }
  return undefined;
}

function channelOf(profile: DepthProfile, energyKeV: number): number {
  const { offsetKeV, gainKeVPerChannel } = profile.calibration;
  return (energyKeV - offsetKeV) / gainKeVPerChannel;
}

/** Sum of counts of one step over channels whose centres lie in [lo, hi] keV; also the count. */
function windowSum(
  profile: DepthProfile,
  step: number,
  loKeV: number,
  hiKeV: number,
): { sum: number; n: number } {
  const c0 = Math.max(0, Math.ceil(channelOf(profile, loKeV)));
  const c1 = Math.min(profile.nChannels - 1, Math.floor(channelOf(profile, hiKeV)));
  let sum = 0;
  const base = step * profile.nChannels;
  for (let c = c0; c <= c1; c++) sum += profile.counts[base + c];
  return { sum, n: Math.max(0, c1 - c0 + 1) };
}

/**
 * Net intensity of one line at each scan position: counts in `E ± halfWidthKeV` minus a linear
 * background (mean of the windows `[E − 3h, E − 2h]` and `[E + 2h, E + 3h]`, per channel, times
 * the channels of the peak window), divided by the live time of the step.
 *
 * @throws {InvalidArgumentError} when the line window is not inside the profile's energy range.
 * @example
 * ```ts
 * const fe = lineDepthCurve(profile, 'Fe', 'KA1');
 * fe.countsPerS; // net Fe Kα counts/s at each profile.depthsUm
 * ```
 */
export function lineDepthCurve(
  profile: DepthProfile,
  element: string,
  line: ReportLine,
  options: LineDepthCurveOptions = {},
): LineDepthCurve {
  const h = options.halfWidthKeV ?? 0.12;
  if (!(h > 0))
    throw new InvalidArgumentError(
      `halfWidthKeV must be > 0. Value: \`${describeValue(options.halfWidthKeV)}\`.`,
    );
  const energyKeV = lineEnergyKeV(element, line);
  const { offsetKeV, gainKeVPerChannel, nChannels } = profile.calibration;
  const maxKeV = offsetKeV + gainKeVPerChannel * (nChannels - 1);
  if (energyKeV - 3 * h < offsetKeV || energyKeV + 3 * h > maxKeV)
    throw new InvalidArgumentError(
      `${element} ${line} at ${energyKeV.toFixed(3)} keV (± ${(3 * h).toFixed(2)} keV) is outside ` +
        `the profile's energy range ${offsetKeV.toFixed(3)}–${maxKeV.toFixed(3)} keV.`,
    );
  const countsPerS = new Float64Array(profile.nSteps);
  let total = 0;
  for (let s = 0; s < profile.nSteps; s++) {
    const peak = windowSum(profile, s, energyKeV - h, energyKeV + h);
    const left = windowSum(profile, s, energyKeV - 3 * h, energyKeV - 2 * h);
    const right = windowSum(profile, s, energyKeV + 2 * h, energyKeV + 3 * h);
    const bgPerChannel = (left.sum + right.sum) / Math.max(1, left.n + right.n);
    const live = profile.liveTimesS[s] > 0 ? profile.liveTimesS[s] : 1;
    countsPerS[s] = (peak.sum - bgPerChannel * peak.n) / live;
    total += countsPerS[s];
  }
  return {
    element,
    line,
    energyKeV,
    depthsUm: Float64Array.from(profile.depthsUm),
    countsPerS,
    totalCountsPerS: total,
  };
}

/**
 * Depth curves of the strongest lines of `elements` (typically the detected ones): for each
 * element the line of {@link reportLineFor}, ranked by summed net intensity, at most
 * `maxCurves`, strongest first. Elements without a usable line are skipped.
 *
 * @example
 * ```ts
 * const detected = result.elements.filter((e) => e.detected).map((e) => e.element);
 * const curves = lineDepthCurves(profile, detected, { maxCurves: 4 });
 * curves.map((c) => `${c.element} ${c.line}`); // e.g. ['Pb LA1', 'Zn KA1', …]
 * ```
 */
export function lineDepthCurves(
  profile: DepthProfile,
  elements: readonly string[],
  options: LineDepthCurvesOptions = {},
): LineDepthCurve[] {
  const h = options.halfWidthKeV ?? 0.12;
  const { offsetKeV, gainKeVPerChannel, nChannels } = profile.calibration;
  const minKeV = offsetKeV + 3 * h;
  const maxKeV = offsetKeV + gainKeVPerChannel * (nChannels - 1) - 3 * h;
  const curves: LineDepthCurve[] = [];
  for (const el of elements) {
    const line = reportLineFor(el, minKeV, maxKeV, options.maxExcitationKeV);
    if (line !== undefined) curves.push(lineDepthCurve(profile, el, line, options));
  }
  curves.sort((a, b) => b.totalCountsPerS - a.totalCountsPerS);
  return curves.slice(0, options.maxCurves ?? 6);
}
