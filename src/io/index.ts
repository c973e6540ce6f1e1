/**
 * File formats of cmxrf: readers for EMSA/MSA (ISO 22029), Bruker Esprit `.spx`, XMI-MSIM
 * `.xmso`, ASCII `.spe` and the cmxrf depth-profile CSV; depth profiles from sets of files; writers and
 * format sniffers. Everything works on text (string or bytes), without `fs`, so it runs in
 * browsers too, except `readSpectrumFiles` / `readDepthProfileFromPaths`, which import `node:fs`
 * at run time. See docs/formats.md.
 *
 * @module
 */
export { CmxrfError, InvalidArgumentError, ParseError } from '../errors';
export type { CmxrfErrorCode, ParseErrorLocation } from '../errors';
export type {
  CalibrationOverride,
  DepthSeriesOptions,
  ExcitationMetadata,
  ParseOptions,
  ScanAxis,
  Spectrum,
  StageLengthUnit,
  StagePositionUm,
  StageUnitRecord,
  TextInput,
} from './types';
export {
  parseEmsa,
  parseEmsaAll,
  parseEmsaDepthProfile,
  looksLikeEmsa,
  EV_PER_KEV,
  UM_PER_MM,
} from './emsa';
export type { ParseEmsaOptions, ParseEmsaDepthProfileOptions } from './emsa';
export { spectrumToEmsa } from './emsa-writer';
export type { SpectrumToEmsaOptions } from './emsa-writer';
export { parseDepthProfileCsv, looksLikeDepthProfileCsv } from './depth-profile-csv';
export type { CsvDelimiter, ParseDepthProfileCsvOptions } from './depth-profile-csv';
export { depthProfileToCsv } from './depth-profile-csv-writer';
export type { DepthProfileToCsvOptions } from './depth-profile-csv-writer';
export {
  parseBrukerSpx,
  parseBrukerSpxAll,
  parseBrukerSpxDepthProfile,
  looksLikeBrukerSpx,
} from './bruker-spx';
export type {
  BrukerStageUnit,
  ParseBrukerSpxOptions,
  ParseBrukerSpxDepthProfileOptions,
} from './bruker-spx';
export { parseXmso, looksLikeXmso, UM_PER_CM } from './xmso';
export type { ParseXmsoOptions, XmsoLayer, XmsoLayerElement, XmsoSpectrum } from './xmso';
export { depthProfileFromSpectra } from './depth-profile-from-spectra';
export { depthProfileFromFiles } from './depth-profile-from-files';
export type { DepthProfileFromFilesOptions, SpectrumFile } from './depth-profile-from-files';
export { parseSpe, looksLikeSpe } from './spe';
export { anodeSymbol } from './excitation';
export type { ParseSpeOptions } from './spe';
export { parseSpectrumAuto, sniffSpectrumFormat } from './spectrum-auto';
export type { ParseSpectrumAutoOptions, SpectrumFormat } from './spectrum-auto';
export { readDepthProfileFromPaths, readSpectrumFiles } from './node';
export type { ReadSpectrumFilesResult } from './node';
export type { DepthProfileFromSpectraOptions } from './depth-profile-from-spectra';
export { parseDepthProfileAuto, sniffDepthProfileFormat } from './auto';
export type { DepthProfileFormat, ParseDepthProfileAutoOptions } from './auto';
export { resultsToCsv, resultsToJson } from './results';
export type { ResultsToCsvOptions, ResultsToJsonOptions } from './results';
export { spectrumToSvg } from './spectrum-svg.js';
export type { PlotLabel, SpectrumSvgOptions } from './spectrum-svg.js';
