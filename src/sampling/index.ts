/**
 * Seeded sampling for cmxrf training data: random numbers, Poisson noise, compositions,
 * densities, confocal setups, surfaces and live times.
 *
 * @module
 */
export {
  createRng,
  deriveSeed,
  normal,
  uniform,
  logUniform,
  type Rng,
  type RngSeed,
  type RngState,
} from './rng.js';
export { samplePoisson, poissonNoise } from './poisson.js';
export {
  sampleComposition,
  withArchetypeWeights,
  validateCompositionPrior,
  type SampledComposition,
} from './composition.js';
export type {
  ArchetypeId,
  ArchetypePrior,
  BroadComponentPrior,
  CompositionPrior,
  MajorElementRange,
  TraceElementPrior,
  TraceTable,
} from './compositionPriorTypes.js';
export {
  DEFAULT_COMPOSITION_PRIOR,
  COMPOSITION_PRIOR_SOURCES,
  MIN_TRACE_MASS_FRACTION,
} from './data/compositionPrior.js';
export { sampleDensity, MIN_DENSITY_G_PER_CM3, MAX_DENSITY_G_PER_CM3 } from './density.js';
export {
  sampleSetup,
  sigmaUm,
  FWHM_PER_SIGMA,
  CU_K_ALPHA_KEV,
  type SampleSetupOptions,
} from './setup.js';
export {
  sampleSurfaceUm,
  sampleLiveTimeS,
  type SampleSurfaceOptions,
  type SampleLiveTimeOptions,
} from './scan.js';
