/**
 * MXRF spectrum simulation (tube, optics, sample, detector).
 * @module spectra
 */
export { AIR, bandPass, defaultInstrument, resolveInstrument } from './instrument.js';
export type {
  BandPass,
  Instrument,
  InstrumentOverrides,
  SddDetector,
  XRayTube,
} from './instrument.js';
export { tubeSpectrum } from './tube.js';
export type { TubeLine, TubeSpectrum } from './tube.js';
export {
  detectorEfficiency,
  electronicNoiseEv,
  escapeFraction,
  fwhmEv,
  sigmaKeV,
  SI_KA_KEV,
  SI_PAIR_ENERGY_EV,
} from './detector.js';
export {
  createMxrfSimulator,
  DEFAULT_SIMULATOR_PHYSICS,
  LEGACY_SIMULATOR_PHYSICS,
  simulateMxrfSpectrum,
} from './mxrfSimulator.js';
export type {
  BulkSample,
  EmittedLine,
  MxrfSimulator,
  MxrfSimulatorOptions,
  MxrfSpectrum,
  SimulatorDerivation,
  SimulatorPhysics,
} from './mxrfSimulator.js';
export {
  confocalDepthProfile,
  confocalKernel,
  confocalProfileFactors,
  confocalSigmaUm,
  confocalTransmission,
  DEFAULT_CONFOCAL_STEP_UM,
  DEFAULT_CONFOCAL_STEPS,
  defaultConfocalDepthsUm,
} from './confocalTransform.js';
export type {
  ConfocalChannels,
  ConfocalDepthProfile,
  ConfocalDepthProfileOptions,
  ConfocalGridOptions,
  ConfocalNormalisation,
  ConfocalProfileFactorsOptions,
} from './confocalTransform.js';
export { erf, erfc, erfcx } from './erfc.js';
export {
  bulkSpectrumChannels,
  confocalProfileFromBulkSpectrum,
  confocalProfileFromSpectrum,
  spectrumConfocalChannels,
} from './confocalFromSpectrum.js';
export type {
  BulkConfocalDepthProfile,
  BulkSpectrumInput,
  BulkTransformOptions,
  ConfocalFromSpectrumOptions,
} from './confocalFromSpectrum.js';
export { rebinChannels } from './rebin.js';
