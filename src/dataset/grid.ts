/**
 * The model grid: depth steps and energy bins every dataset, model and preprocessing step uses
 * (docs/dataset-format.md).
 *
 * @module
 */
import type { EnergyCalibration } from '../profile.js';

/** Model input grid (format version 1). */
export const MODEL_GRID = {
  nDepth: 40,
  depthStepUm: 5,
  nChannels: 1024,
  /** Lower edge of bin 0 (keV). */
  startKeV: 1.0,
  binWidthKeV: 0.024,
} as const;

/**
 * The energy grid as a calibration (channel centres: offset = start + width/2).
 * @example
 * ```ts
 * modelCalibration(); // { offsetKeV: 1.012, gainKeVPerChannel: 0.024, nChannels: 1024 }
 * ```
 */
export function modelCalibration(): EnergyCalibration {
  return {
    offsetKeV: MODEL_GRID.startKeV + MODEL_GRID.binWidthKeV / 2,
    gainKeVPerChannel: MODEL_GRID.binWidthKeV,
    nChannels: MODEL_GRID.nChannels,
  };
}

/**
 * Scan positions of the model grid (µm): 0, 5, …, 195.
 * @example
 * ```ts
 * modelDepthsUm(); // Float64Array [0, 5, 10, …, 195]
 * ```
 */
export function modelDepthsUm(): Float64Array {
  return Float64Array.from({ length: MODEL_GRID.nDepth }, (_, i) => i * MODEL_GRID.depthStepUm);
}
