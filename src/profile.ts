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
 * The excitation of a measurement as its file states it (tube anode, voltage, current), read
 * at the I/O boundary where the format carries it. Every field is optional: a file that states
 * nothing gives no `excitation` at all.
 */
export interface ExcitationMetadata {
  /**
   * `'x-ray-tube'` (X-ray fluorescence) or `'electron-beam'` (an electron microscope or
   * microprobe EDS spectrum); absent when the file does not say.
   */
  kind?: 'x-ray-tube' | 'electron-beam';
  /** Element symbol of the tube anode, e.g. `'Rh'`. */
  anode?: string;
  /**
   * Tube voltage (kV); for an electron beam, or where the kind is not stated, the beam's
   * accelerating voltage as the file gives it (e.g. EMSA `#BEAMKV`).
   */
  voltageKV?: number;
  /** Tube or probe current (mA). */
  currentMA?: number;
  /** Where the values were read, e.g. `['TRTXrfHeader Anode', 'TRTXrfHeader Voltage']`. */
  fields: string[];
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
  /**
   * Excitation (tube anode, voltage, current) as the files state it, shared by every step;
   * absent when the files state none.
   */
  excitation?: ExcitationMetadata;
}
