/**
 * Neural-network quantification of CMXRF depth profiles with an ONNX model: runtime-agnostic
 * `createQuantifier` (pass onnxruntime-node or onnxruntime-web), model-card validation, the
 * preprocessing onto the model grid, and Node helpers that load models from disk.
 *
 * @module
 */
export type { OrtLike, OrtSessionLike, OrtTensorConstructorLike, OrtTensorLike } from './runtime';
export { parseModelCard, modelId, MODEL_OUTPUTS, SETUP_ORDER } from './card';
export type { ModelCard, ModelGrid, ModelNormalization, ModelOutputSpec } from './card';
export {
  ModelCardError,
  ModelIntegrityError,
  ModelNotAvailableError,
  ModelRuntimeError,
  ProfileNotRepresentableError,
} from './errors';
export type { ModelCardProblem, ProfileProblem, ProfileProblemDetail } from './errors';
export { preprocessProfile } from './preprocess';
export type { PreprocessOptions } from './preprocess';
export { energyRebinPlan, applyEnergyRebin, calibrationRangeKeV } from './energyRebin';
export type { EnergyRebinPlan } from './energyRebin';
export { depthResamplePlan } from './depthResample';
export type { DepthResamplePlan } from './depthResample';
export { createQuantifier } from './quantifier';
export type {
  CreateQuantifierOptions,
  Quantifier,
  QuantifyOptions,
  QuantifyProgress,
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
