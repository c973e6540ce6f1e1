/**
 * Format sniffing and dispatch for depth profiles.
 *
 * @module
 */
import { ParseError } from '../errors';
import type { DepthProfile } from '../profile';
import { type BrukerStageUnit, looksLikeBrukerSpx, parseBrukerSpxDepthProfile } from './bruker-spx';
import { looksLikeDepthProfileCsv, parseDepthProfileCsv } from './depth-profile-csv';
import { looksLikeEmsa, parseEmsaDepthProfile } from './emsa';
import { DEFAULT_FILE_NAME, quote, sniffHead } from './text';
import type { CalibrationOverride, DepthSeriesOptions, StageLengthUnit, TextInput } from './types';
import { looksLikeXmso } from './xmso';

/** Depth-profile formats recognised by {@link parseDepthProfileAuto}. */
export type DepthProfileFormat = 'csv' | 'emsa' | 'bruker-spx';

/** Options of {@link parseDepthProfileAuto}. */
export interface ParseDepthProfileAutoOptions extends DepthSeriesOptions {
  /** Bruker stage unit (see `ParseBrukerSpxOptions.stageUnit`; default per source). */
  stageUnit?: BrukerStageUnit;
  /** EMSA calibration override (see `ParseEmsaOptions.energyCalibration`). */
  energyCalibration?: CalibrationOverride;
  /** EMSA unit of positions without a suffix (see `ParseEmsaOptions.positionUnit`). */
  positionUnit?: StageLengthUnit;
}

/**
 * Which depth-profile format the text looks like, or `undefined`. Never throws.
 * @example
 * ```ts
 * sniffDepthProfileFormat('#FORMAT : EMSA/MAS Spectral Data File\n'); // 'emsa'
 * ```
 */
export function sniffDepthProfileFormat(input: TextInput): DepthProfileFormat | undefined {
  if (looksLikeDepthProfileCsv(input)) return 'csv';
  if (looksLikeEmsa(input)) return 'emsa';
  if (looksLikeBrukerSpx(input)) return 'bruker-spx';
  return undefined;
}

/**
 * Parses a depth profile in any supported format, chosen by sniffing the content (not the file
 * name): cmxrf CSV/TSV, EMSA/MSA series with stage positions, Bruker XML with several spectra.
 *
 * @throws {ParseError} if the format is not recognised (an `.xmso` file is a single simulated
 *   spectrum, not a profile: use `parseXmso`), or from the chosen parser.
 * @example
 * ```ts
 * const profile = parseDepthProfileAuto(text, { fileName: 'scan.csv' });
 * ```
 */
export function parseDepthProfileAuto(
  input: TextInput,
  options: ParseDepthProfileAutoOptions = {},
): DepthProfile {
  const format = sniffDepthProfileFormat(input);
  if (format === 'csv') return parseDepthProfileCsv(input, { fileName: options.fileName });
  if (format === 'emsa') return parseEmsaDepthProfile(input, options);
  if (format === 'bruker-spx') return parseBrukerSpxDepthProfile(input, options);
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  if (looksLikeXmso(input)) {
    throw new ParseError(
      { file: fileName, line: 1 },
      'a depth profile (an .xmso file is one simulated spectrum: use parseXmso)',
      'an XMI-MSIM results file',
    );
  }
  throw new ParseError(
    { file: fileName, line: 1 },
    'a depth profile as cmxrf CSV, EMSA/MSA or Bruker TRTSpectrum XML',
    quote(sniffHead(input, 60).split(/\r\n|\r|\n/, 1)[0] ?? ''),
  );
}
