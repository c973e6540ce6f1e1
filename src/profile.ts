/**
 * Shared data shapes: energy calibration, spectra and confocal depth profiles.
 *
 * @module
 */

/** Linear energy calibration: `E(ch) = offsetKeV + gainKeVPerChannel · ch` (ch = 0-based channel, centre). */
export interface EnergyCalibration {
  /** Energy of channel 0 (keV). */
  offsetKeV: number;
  /** Channel width (keV per channel). */
  gainKeVPerChannel: number;
  /** Number of channels. */
  nChannels: number;
}

/** The six parameters of the confocal transform (see docs/physics.md §8). */
export interface ConfocalSetup {
  /** Amplitude of the detection-optic band-pass T(E) (dimensionless, ≥ 0). */
  tA: number;
  /** Width of T(E) (keV). */
  tB: number;
  /** Centre of T(E) (keV). */
  tM: number;
  /** σ(E) = sigmaMaxUm · exp(−sigmaExpPerKeV · E) + sigmaOffUm — amplitude (µm). */
  sigmaMaxUm: number;
  /** Decay constant of σ(E) (1/keV). */
  sigmaExpPerKeV: number;
  /** Energy-independent part of σ(E) (µm). */
  sigmaOffUm: number;
}

/**
 * A measured or simulated CMXRF depth profile: one spectrum per scan position, row-major
 * `counts[step * nChannels + channel]`.
 */
export interface DepthProfile {
  /** Counts, row-major `[step][channel]`. */
  counts: Float32Array | Float64Array;
  /** Number of scan positions (depth steps). */
  nSteps: number;
  /** Channels per spectrum. */
  nChannels: number;
  /** Scan position of each step on the scan axis (µm), increasing into the sample. */
  depthsUm: Float64Array;
  /** Energy calibration shared by all spectra of the profile. */
  calibration: EnergyCalibration;
  /** Live time of each step (s). */
  liveTimesS: Float64Array;
  /** Free-form origin (file name, simulator id). */
  source?: string;
  /**
   * 0-based channels holding a negative count in at least one step, ascending (real files can
   * hold small negative values, e.g. beside the zero peak); absent when there is none.
   */
  negativeCountChannels?: Int32Array;
  /** Reader notes (defaults applied, options used, …); absent when there is nothing to say. */
  notes?: string[];
}
