/**
 * Data shapes returned by the parsers in `src/io/`.
 *
 * @module
 */
import type { EnergyCalibration, ExcitationMetadata } from '../profile';

export type { ExcitationMetadata } from '../profile';

/** Text input of every parser: a decoded string, or the raw bytes of the file. */
export type TextInput = string | Uint8Array;

/** Options shared by every parser. */
export interface ParseOptions {
  /**
   * Name of the file (or a description of the source), quoted in error messages and stored
   * as `source`. No file is opened: the parsers work on text only, also in browsers.
   * @default '<input>'
   */
  fileName?: string;
}

/** Stage (specimen) position of a spectrum, converted to micrometres at the I/O boundary. */
export interface StagePositionUm {
  /** Stage X position (µm). */
  xUm?: number;
  /** Stage Y position (µm). */
  yUm?: number;
  /** Stage Z position (µm). */
  zUm?: number;
}

/** Length unit of stage coordinates as stored in a file. */
export type StageLengthUnit = 'm' | 'mm' | 'um' | 'nm';

/**
 * Where a stage position was read and in which unit the file's numbers were taken, so that a
 * reader's interpretation can be checked and, where it was a default, overridden.
 */
export interface StageUnitRecord {
  /** Unit of the numbers in the file (converted to µm in `stagePositionUm`). */
  unit: StageLengthUnit;
  /**
   * Why this unit: `'file'` (stated in the file), `'option'` (set by the caller) or `'default'`
   * (the reader's documented default for this source; see docs/formats.md for its evidence).
   */
  from: 'file' | 'option' | 'default';
  /** Field or block the position was read from (e.g. `#ZPOSITION`, `TRTSEMStageData`). */
  field: string;
}

/** One energy-dispersive spectrum with a linear energy calibration. */
export interface Spectrum {
  /**
   * Counts per channel (finite). Real files can hold small negative values (e.g. Bruker XRF
   * exports after zero-peak subtraction): they are kept as they are and listed in
   * {@link Spectrum.negativeCountChannels}.
   */
  counts: Float64Array;
  /**
   * 0-based channels whose count is negative, ascending; absent when there is none. Consumers
   * that need counts ≥ 0 (e.g. a model working above some energy) decide what to do with them.
   */
  negativeCountChannels?: Int32Array;
  /** Linear energy calibration; `calibration.nChannels === counts.length`. */
  calibration: EnergyCalibration;
  /** Live time (s, > 0). */
  liveTimeS: number;
  /** Real (clock) time (s), where the file gives it. */
  realTimeS?: number;
  /** Stage position, where the file gives it. */
  stagePositionUm?: StagePositionUm;
  /** Source and unit of `stagePositionUm` (present with it). */
  stageUnit?: StageUnitRecord;
  /**
   * Interpretation notes of the reader: defaults applied, repeated keywords, values taken from
   * options, anything a careful user should know. Absent when there is nothing to say.
   */
  notes?: string[];
  /** Excitation (tube anode, voltage, current) where the file states it. */
  excitation?: ExcitationMetadata;
  /** Raw header values of the file (keyword → text), for provenance. */
  metadata: Record<string, string>;
  /** Origin: the `fileName` option. */
  source?: string;
}

/** Axis of the stage position that is the depth-scan axis. */
export type ScanAxis = 'x' | 'y' | 'z';

/** Options of the parsers that assemble a {@link DepthProfile} from a series of spectra. */
export interface DepthSeriesOptions extends ParseOptions {
  /**
   * Stage axis whose position is the scan position of each step.
   * @default 'z'
   */
  scanAxis?: ScanAxis;
  /**
   * Negate the stage position, for stages whose axis points out of the sample (the scan
   * positions of a depth profile increase into the sample).
   * @default false
   */
  invertAxis?: boolean;
  /**
   * Scan positions (µm) to use instead of the stage positions stored in the file, one per
   * spectrum, strictly increasing.
   */
  depthsUm?: ArrayLike<number>;
  /**
   * Live time (s) to use for spectra whose file gives none. Without it such a file is a
   * {@link ParseError}: no live time is ever guessed.
   */
  liveTimeS?: number;
}

/** A linear energy calibration given by the caller (for files that store none). */
export interface CalibrationOverride {
  /** Energy of channel 0 (keV; the channel centre). */
  offsetKeV: number;
  /** Channel width (keV per channel, > 0). */
  gainKeVPerChannel: number;
}
