/**
 * Format sniffing and dispatch for single spectra.
 *
 * @module
 */
import { ParseError } from '../errors';
import { type BrukerStageUnit, looksLikeBrukerSpx, parseBrukerSpx } from './bruker-spx';
import { looksLikeEmsa, parseEmsa } from './emsa';
import { looksLikeSpe, parseSpe } from './spe';
import { DEFAULT_FILE_NAME, quote, sniffHead } from './text';
import type {
  CalibrationOverride,
  ParseOptions,
  Spectrum,
  StageLengthUnit,
  TextInput,
} from './types';
import { looksLikeXmso, parseXmso } from './xmso';

/** Single-spectrum formats recognised by {@link parseSpectrumAuto}. */
export type SpectrumFormat = 'emsa' | 'bruker-spx' | 'xmso' | 'spe';

/** Options of {@link parseSpectrumAuto}: the union of the readers' options. */
export interface ParseSpectrumAutoOptions extends ParseOptions {
  /** Live time (s) for files that give none (EMSA, Bruker, XMI-MSIM). */
  liveTimeS?: number;
  /** Bruker stage unit (see `ParseBrukerSpxOptions.stageUnit`; default per source). */
  stageUnit?: BrukerStageUnit;
  /** EMSA unit of positions without a suffix (see `ParseEmsaOptions.positionUnit`). */
  positionUnit?: StageLengthUnit;
  /** Calibration override for EMSA and `.spe` files (see `ParseEmsaOptions.energyCalibration`). */
  energyCalibration?: CalibrationOverride;
}

/**
 * Which single-spectrum format the text looks like, or `undefined`. Never throws.
 *
 * @example
 * ```ts
 * import { sniffSpectrumFormat } from 'cmxrf/io';
 * sniffSpectrumFormat('#FORMAT : EMSA/MAS Spectral Data File\n'); // 'emsa'
 * sniffSpectrumFormat('not a spectrum'); // undefined
 * ```
 */
export function sniffSpectrumFormat(input: TextInput): SpectrumFormat | undefined {
  if (looksLikeEmsa(input)) return 'emsa';
  if (looksLikeBrukerSpx(input)) return 'bruker-spx';
  if (looksLikeXmso(input)) return 'xmso';
  if (looksLikeSpe(input)) return 'spe';
  return undefined;
}

/**
 * Reads one spectrum in any supported format, chosen by sniffing the content (not the file
 * name): EMSA/MSA, Bruker `.spx`, XMI-MSIM `.xmso`, ASCII `.spe`.
 *
 * @throws {ParseError} if the format is not recognised, or from the chosen reader (e.g. a file
 *   holding several spectra).
 * @example
 * ```ts
 * const s = parseSpectrumAuto(bytes, { fileName: 'point.spx' });
 * ```
 */
export function parseSpectrumAuto(
  input: TextInput,
  options: ParseSpectrumAutoOptions = {},
): Spectrum {
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  const format = sniffSpectrumFormat(input);
  if (format === 'emsa') {
    return parseEmsa(input, {
      fileName,
      liveTimeS: options.liveTimeS,
      positionUnit: options.positionUnit,
      energyCalibration: options.energyCalibration,
    });
  }
  if (format === 'bruker-spx') {
    return parseBrukerSpx(input, {
      fileName,
      liveTimeS: options.liveTimeS,
      stageUnit: options.stageUnit,
    });
  }
  if (format === 'xmso') return parseXmso(input, { fileName, liveTimeS: options.liveTimeS });
  if (format === 'spe') {
    return parseSpe(input, {
      fileName,
      liveTimeS: options.liveTimeS,
      energyCalibration: options.energyCalibration,
    });
  }
  throw new ParseError(
    { file: fileName, line: 1 },
    'a spectrum as EMSA/MSA, Bruker .spx, XMI-MSIM .xmso or ASCII .spe',
    quote(sniffHead(input, 60).split(/\r\n|\r|\n/, 1)[0] ?? ''),
  );
}
