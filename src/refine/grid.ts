/**
 * The comparison grid of the refinement: uniform energy bins inside the requested window and
 * inside what both the measured calibration and the simulator's calibration cover; the
 * measured profile is rebinned onto it with the same exact-overlap plan the network's
 * preprocessing uses.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { applyEnergyRebin, calibrationRangeKeV, energyRebinPlan } from '../model/energyRebin.js';
import type { DepthProfile, EnergyCalibration } from '../profile.js';

/** The grid and the measured counts on it. */
export interface ComparisonGrid {
  /** Bin centres as a calibration. */
  calibration: EnergyCalibration;
  /** Bin centres (keV). */
  energyKeV: Float64Array;
  /** Measured counts on the grid, row-major `[step][bin]`. */
  measured: Float64Array;
}

/**
 * Builds the grid `[lo, hi)` in bins of `binWidthKeV`, clipped to the ranges of `profile` and of
 * the simulator's calibration, and rebins the profile's counts onto it.
 * @throws {@link InvalidArgumentError} when fewer than 16 bins remain.
 */
export function comparisonGrid(
  profile: DepthProfile,
  simulatorCalibration: EnergyCalibration,
  energyRangeKeV: readonly [number, number],
  binWidthKeV: number,
): ComparisonGrid {
  const meas = calibrationRangeKeV(profile.calibration);
  const sim = calibrationRangeKeV(simulatorCalibration);
  const lo = Math.max(energyRangeKeV[0], meas.minKeV, sim.minKeV);
  const hi = Math.min(energyRangeKeV[1], meas.maxKeV, sim.maxKeV);
  const n = Math.floor((hi - lo) / binWidthKeV + 1e-9);
  if (!(n >= 16))
    throw new InvalidArgumentError(
      `refine: the energy window ${energyRangeKeV[0]}–${energyRangeKeV[1]} keV, the profile's ` +
        `${+meas.minKeV.toFixed(4)}–${+meas.maxKeV.toFixed(4)} keV and the simulator's ` +
        `${+sim.minKeV.toFixed(4)}–${+sim.maxKeV.toFixed(4)} keV overlap in fewer than 16 bins of ` +
        `${binWidthKeV} keV. Value: \`${Math.max(n, 0)}\`.`,
    );
  const grid = { startKeV: lo, binWidthKeV, nChannels: n };
  const plan = energyRebinPlan(profile.calibration, grid);
  if (!plan)
    throw new InvalidArgumentError(
      `refine: the profile's calibration does not cover ${lo}–${lo + n * binWidthKeV} keV.`,
    );
  const measured = new Float64Array(profile.nSteps * n);
  for (let j = 0; j < profile.nSteps; j++)
    applyEnergyRebin(plan, profile.counts, j * profile.nChannels, measured, j * n);
  const energyKeV = new Float64Array(n);
  for (let k = 0; k < n; k++) energyKeV[k] = lo + (k + 0.5) * binWidthKeV;
  return {
    calibration: { offsetKeV: lo + binWidthKeV / 2, gainKeVPerChannel: binWidthKeV, nChannels: n },
    energyKeV,
    measured,
  };
}
