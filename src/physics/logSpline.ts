/**
 * Evaluation of Elam's log–log cubic-spline tables exactly as the authors prescribe (Numerical
 * Recipes SPLINT on ln E with the stored second derivatives). No extrapolation: energies outside
 * the table throw {@link EnergyOutOfRangeError}.
 *
 * Edge convention: an absorption edge is stored as two points with the same ln E (below-edge
 * and above-edge values). An energy exactly at the edge is evaluated on the **above-edge** side,
 * i.e. a shell counts as ionisable for `energyKeV >= edgeEnergyKeV`.
 *
 * @see W. H. Press et al., Numerical Recipes (Cambridge Univ. Press, 1986), §3.3 (SPLINT).
 * @module
 */
import { EnergyOutOfRangeError, InvalidArgumentError, describeValue } from '../errors.js';
import type { LogSplineTable } from './elementData.js';

/** ln(1000): converts ln(keV) to ln(eV). */
export const LN_EV_PER_KEV = Math.log(1000);

/** Lowest and highest tabulated energy of a table (keV). */
export function tableRangeKeV(table: LogSplineTable): { minKeV: number; maxKeV: number } {
  const n = table.lnEnergyEv.length;
  return {
    minKeV: Math.exp(table.lnEnergyEv[0]) / 1000,
    maxKeV: Math.exp(table.lnEnergyEv[n - 1]) / 1000,
  };
}

/**
 * Tolerance in ln E within which an energy counts as "at the edge": the table stores ln E with 6
 * significant digits (e.g. the Fe K edge at 7112 eV is stored as 8.86954, i.e. 7112.0016 eV), so
 * an energy within 1e-5 below a stored edge abscissa is evaluated on the above-edge side.
 */
export const EDGE_SNAP_LN = 1e-5;

/** Evaluates the spline in segment k (x[k] ≤ x ≤ x[k+1]) and returns ln σ. */
function splintSegment(t: LogSplineTable, k: number, x: number): number {
  const xs = t.lnEnergyEv;
  if (k + 2 < xs.length && xs[k + 1] === xs[k + 2] && xs[k + 1] - x <= EDGE_SNAP_LN) {
    return t.lnValue[k + 2];
  }
  const h = xs[k + 1] - xs[k];
  if (h === 0) return t.lnValue[k + 1];
  const a = (xs[k + 1] - x) / h;
  const b = 1 - a;
  return (
    a * t.lnValue[k] +
    b * t.lnValue[k + 1] +
    ((a * a * a - a) * t.d2[k] + (b * b * b - b) * t.d2[k + 1]) * ((h * h) / 6)
  );
}

/** Largest k with x[k] ≤ x, limited to n − 2 (binary search). Assumes x within range. */
function segmentIndex(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  // lo is the largest index with xs[lo] <= x, unless x equals xs[n-1].
  if (x >= xs[xs.length - 1]) return xs.length - 2;
  return lo;
}

/** Throws unless `energyKeV` is a finite positive number. */
export function checkEnergyKeV(energyKeV: number, name = 'energyKeV'): void {
  if (typeof energyKeV !== 'number' || !Number.isFinite(energyKeV) || energyKeV <= 0) {
    throw new InvalidArgumentError(
      `${name} must be a finite positive number (keV). Value: \`${describeValue(energyKeV)}\`.`,
    );
  }
}

/**
 * Evaluates a log–log spline table at one energy (keV) and returns the value (cm²/g).
 *
 * @throws {@link EnergyOutOfRangeError} outside the table.
 */
export function evalLogSpline(t: LogSplineTable, energyKeV: number, z?: number): number {
  checkEnergyKeV(energyKeV);
  const x = Math.log(energyKeV) + LN_EV_PER_KEV;
  const xs = t.lnEnergyEv;
  // A relative tolerance of 1e-12 absorbs rounding in ln(1000·E) at the table ends.
  if (x < xs[0] - 1e-12 || x > xs[xs.length - 1] + 1e-12) {
    const r = tableRangeKeV(t);
    throw new EnergyOutOfRangeError(energyKeV, r.minKeV, r.maxKeV, z);
  }
  const xc = Math.min(Math.max(x, xs[0]), xs[xs.length - 1]);
  return Math.exp(splintSegment(t, segmentIndex(xs, xc), xc));
}

/**
 * Evaluates a table on a grid of ln(E/eV) values and adds `weight · σ(E)` to `out`
 * (`accumulate = true`) or writes it (`accumulate = false`). Ascending grids are walked in one
 * pass; other grids use a binary search per point. No allocation.
 *
 * @throws {@link EnergyOutOfRangeError} if any grid point lies outside the table.
 */
export function evalLogSplineGrid(
  t: LogSplineTable,
  lnEnergyEv: Float64Array,
  out: Float64Array,
  weight: number,
  accumulate: boolean,
  z?: number,
): void {
  const xs = t.lnEnergyEv;
  const n = xs.length;
  const m = lnEnergyEv.length;
  let k = 0;
  let prev = -Infinity;
  for (let i = 0; i < m; i++) {
    let x = lnEnergyEv[i];
    if (!(x >= xs[0] - 1e-12 && x <= xs[n - 1] + 1e-12)) {
      const r = tableRangeKeV(t);
      throw new EnergyOutOfRangeError(Math.exp(x) / 1000, r.minKeV, r.maxKeV, z);
    }
    if (x < xs[0]) x = xs[0];
    else if (x > xs[n - 1]) x = xs[n - 1];
    if (x >= prev) {
      while (k < n - 2 && xs[k + 1] <= x) k++;
    } else {
      k = segmentIndex(xs, x);
    }
    prev = x;
    const v = weight * Math.exp(splintSegment(t, k, x));
    out[i] = accumulate ? out[i] + v : v;
  }
}
