/**
 * Instrument descriptions (versioned JSON), their conversion to the simulator's instrument, and
 * randomization ranges for training data. Import from `cmxrf/instrument`.
 * @module instrument
 */
export {
  INSTRUMENT_SCHEMA_VERSION,
  instrumentDescriptionProblems,
  parseInstrumentDescription,
  parseInstrumentJson,
} from './description.js';
export type {
  BandPassOpticDescription,
  CalibrationDescription,
  DetectorDescription,
  ExcitationOpticDescription,
  GasPathDescription,
  GeometryDescription,
  InstrumentDescription,
  MeasuredOpticDescription,
  NoOpticDescription,
  TubeDescription,
} from './description.js';
export { InstrumentDescriptionError } from './errors.js';
export type { InstrumentProblem } from './errors.js';
export { NUMERIC_FIELDS, fanoLimitEv } from './fields.js';
export type { NumericField } from './fields.js';
export { descriptionFromInstrument, fitBandPass, instrumentFromDescription } from './convert.js';
export type { ConvertedInstrument, InstrumentFromDescriptionOptions } from './convert.js';
export {
  INSTRUMENT_RANGES_SCHEMA_VERSION,
  drawCalibrationDrift,
  drawInstrument,
  parseInstrumentRanges,
} from './ranges.js';
export type { CalibrationDrift, DrawnInstrument, InstrumentRanges, RangeSpec } from './ranges.js';
