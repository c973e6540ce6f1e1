/**
 * Neural-network quantification of CMXRF depth profiles with an ONNX model: runtime-agnostic
 * `createQuantifier` (pass onnxruntime-node or onnxruntime-web), model-card validation, the
 * preprocessing onto the model grid, and Node helpers that load models from disk.
 *
 * @module
 */
export type { OrtLike, OrtSessionLike, OrtTensorConstructorLike, OrtTensorLike } from './runtime';
export { parseModelCard, modelId, MODEL_OUTPUTS, SETUP_ORDER } from './card';
export type {
  ModelCard,
  ModelDepthMaskSpec,
  ModelGrid,
  ModelNormalization,
  ModelOutputSpec,
} from './card';
export {
  ModelCardError,
  ModelIntegrityError,
  ModelNotAvailableError,
  ModelRuntimeError,
  ProfileNotRepresentableError,
} from './errors';
export type { ModelCardProblem, ProfileProblem, ProfileProblemDetail } from './errors';
export { preprocessProfile } from './preprocess';
export type { PreprocessOptions, PreprocessReport } from './preprocess';
export {
  DEFAULT_MAX_STEPS,
  PLAUSIBLE_STEP_UM,
  TRAINING_PEAK_TOTAL_RATE_CPS,
  TRAINING_SETUP_RANGES,
  TRAINING_DENSITY_G_PER_CM3,
  trainingLiveTimeRangeS,
} from './guards';
export type { QuantifyWarning, QuantifyWarningCode } from './guards';
export { instrumentGuards, VOLTAGE_TOLERANCE_KV } from './instrumentGuards';
export type { InstrumentWarningCode, ModelInstrumentReport } from './instrumentGuards';
export {
  WINDOW_LEAD_UM,
  surfaceEdge,
  chooseWindowStartUm,
  chooseModelWindow,
  measuredModelSteps,
  stepStats,
} from './scan';
export type { ScanFacts, ModelWindow, ModelWindowChoice } from './scan';
export {
  energyRebinPlan,
  applyEnergyRebin,
  calibrationRangeKeV,
  energyRebinRuns,
  applyEnergyRebinRuns,
} from './energyRebin';
export type { EnergyRebinPlan, EnergyRebinRuns } from './energyRebin';
export { depthResamplePlan } from './depthResample';
export type { DepthResamplePlan, DepthResampleOptions, IntensityConvention } from './depthResample';
export {
  createQuantifier,
  outputGuards,
  DEFAULT_MIN_MATERIAL_BEHIND_SURFACE_UM,
} from './quantifier';
export type {
  CreateQuantifierOptions,
  OutputGuardOptions,
  Quantifier,
  QuantifyOptions,
  QuantifyProgress,
  QuantifySettledResult,
} from './quantifier';
export type { ElementQuantity, QuantificationResult, RawModelOutputs } from './result';
export {
  quantify,
  loadQuantifier,
  loadDefaultQuantifier,
  defaultModelCardPath,
  DEFAULT_MODEL_NAME,
} from './node';
export type { LoadQuantifierOptions } from './node';
export {
  PLAUSIBLE_TUBE_CURRENT_MA,
  checkIntensityScale,
  intensityNormalization,
  tubeCurrentNormalization,
  modelTubeCurrentMA,
  normalizedExposureProfile,
} from './intensityScale';
export type {
  IntensityNormalization,
  IntensityNormalizationCode,
  IntensityNormalizationOptions,
} from './intensityScale';
