/**
 * Fundamental-parameter refinement of a network quantification: fits mass fractions, density,
 * surface and the confocal setup to the measured depth profile by minimising the Poisson
 * deviance, and reports 1σ uncertainties, goodness of fit, residuals and warnings.
 *
 * @module refine
 */
export {
  refine,
  DEFAULT_LIGHT_MATRIX,
  REFINE_BOUNDS,
  REFINE_DETECTOR_BOUNDS,
  REFINE_INSTRUMENT_BOUNDS,
} from './refine.js';
export {
  DEFAULT_FIT_DETECTOR,
  DEFAULT_FIT_INSTRUMENT,
  DEFAULT_INSTRUMENT_PRIOR,
  DEFAULT_HELD_DENSITY_RELATIVE_SIGMA,
  DEFAULT_MATRIX_RELATIVE_SIGMA,
  DEFAULT_SURFACE_STATISTICAL_SIGMA_SCALE,
  DEFAULT_SURFACE_SYSTEMATIC_SIGMA_UM,
  DEFAULT_SYSTEMATIC_ABSOLUTE_SIGMA,
  DEFAULT_SYSTEMATIC_RELATIVE_SIGMA,
} from './validate.js';
export type {
  DetectorParameterName,
  InstrumentParameterName,
  RefineConvergence,
  RefinedElement,
  RefinedValue,
  RefineFitStatistics,
  RefineFreeParameters,
  RefineOptions,
  RefineProgress,
  RefineResiduals,
  RefineResult,
  RefineWarning,
  SetupParameterName,
} from './types.js';
export {
  calibrateIntensityScale,
  CALIBRATION_REFERENCE_SETUP,
  IntensityCalibrationError,
} from './calibrate.js';
export type {
  CalibrateIntensityScaleOptions,
  IntensityCalibration,
  IntensityCalibrationProblem,
  IntensityCalibrationWarning,
  IntensityReference,
} from './calibrate.js';
