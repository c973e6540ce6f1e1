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
export { createMxrfSimulator, simulateMxrfSpectrum } from './mxrfSimulator.js';
export type {
  BulkSample,
  EmittedLine,
  MxrfSimulator,
  MxrfSimulatorOptions,
  MxrfSpectrum,
} from './mxrfSimulator.js';
