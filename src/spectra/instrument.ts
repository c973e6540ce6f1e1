/**
 * Instrument description for the MXRF simulator, with defaults modelling a Bruker M4
 * Tornado-class laboratory spectrometer (Rh tube, polycapillary optics, SDD).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { EnergyCalibration } from '../profile.js';

/** X-ray tube (Ebel model). */
export interface XRayTube {
  /** Anode element. @default 'Rh' */
  anode: string;
  /** Acceleration voltage (kV). @default 50 */
  voltageKV: number;
  /** Tube current (mA). @default 1 */
  currentMA: number;
  /** Electron incidence angle to the anode surface (degrees). @default 90 */
  electronIncidenceDeg: number;
  /** Photon take-off angle from the anode surface (degrees). @default 45 */
  takeOffDeg: number;
  /** Be exit-window thickness (µm). @default 100 */
  beWindowUm: number;
  /** Width of the continuum bins of the tube spectrum (keV). @default 0.05 */
  binWidthKeV: number;
}

/**
 * Smooth band-pass transmission `amplitude · exp(−(E − centreKeV)² / (2 widthKeV²))`, the form
 * used for polycapillary optics.
 */
export interface BandPass {
  amplitude: number;
  centreKeV: number;
  widthKeV: number;
}

/** Silicon drift detector. */
export interface SddDetector {
  /** Be window (µm). @default 8 */
  beWindowUm: number;
  /** Si dead layer (µm). @default 0.1 */
  deadLayerUm: number;
  /** Active Si thickness (µm). @default 450 */
  siThicknessUm: number;
  /** FWHM at Mn Kα, 5.895 keV (eV); sets the electronic noise. @default 145 */
  fwhmAtMnKaEv: number;
  /** Fano factor. @default 0.114 */
  fanoFactor: number;
  /** Fraction of each peak's area in the low-energy exponential tail. @default 0.02 */
  tailFraction: number;
  /** Decay length of the tail in units of the peak σ. @default 2 */
  tailSlopeSigma: number;
  /** Fraction of each peak's area in the flat shelf from 0 to the peak. @default 0.003 */
  shelfFraction: number;
  /** Include Si Kα escape peaks. @default true */
  escapePeaks: boolean;
  /**
   * Pulse-pair resolution of the fast channel (µs): photons closer in time than this are
   * recorded as one event with the summed energy (unresolved pile-up); 0 disables pile-up.
   * @default 0.25
   */
  pulsePairResolutionUs: number;
  /**
   * Dead time of the pulse processor per event (µs): busy time after the last photon of an
   * event (taken as at least `pulsePairResolutionUs`). It sets the real time needed for the
   * live time, never the counts per live time. @default 1
   */
  deadTimeUs: number;
  /** Solid angle of the detection (sr) — with the confocal optic, its effective acceptance. @default 0.01 */
  solidAngleSr: number;
}

/** Complete instrument description. */
export interface Instrument {
  tube: XRayTube;
  /** Excitation polycapillary: transmission band-pass and captured solid angle. */
  excitationOptic: BandPass & {
    /** Solid angle of tube emission captured and focused onto the sample (sr). @default 0.002 */
    solidAngleSr: number;
  };
  /** Incidence angle of the beam to the sample surface (degrees). @default 50 */
  incidenceDeg: number;
  /** Exit (detection) angle to the sample surface (degrees). @default 50 */
  exitDeg: number;
  /** Scattering angle between incident and detected directions (degrees). @default incidenceDeg + exitDeg */
  scatterAngleDeg?: number;
  /** Air path tube → sample (mm). @default 3 */
  airPathInMm: number;
  /** Air path sample → detector (mm). @default 5 */
  airPathOutMm: number;
  detector: SddDetector;
  /** Energy calibration of the spectrum. @default 4096 channels × 10 eV from 0 keV */
  calibration: EnergyCalibration;
  /** Live time (s). @default 1 */
  liveTimeS: number;
}

/**
 * Default instrument: a Bruker M4 Tornado-class spectrometer (Rh, 50 kV, 1 mA, 45° take-off,
 * 100 µm Be; polycapillary; 50°/50° geometry; SDD 8 µm Be / 0.1 µm dead layer / 450 µm Si,
 * 145 eV at Mn Kα; 4096 × 10 eV; 1 s live time). Returns a fresh object each call.
 * @example
 * ```ts
 * const inst = defaultInstrument();
 * inst.tube.anode; // 'Rh' (50 kV, 1 mA)
 * createMxrfSimulator({ ...inst, liveTimeS: 100 });
 * ```
 */
export function defaultInstrument(): Instrument {
  return {
    tube: {
      anode: 'Rh',
      voltageKV: 50,
      currentMA: 1,
      electronIncidenceDeg: 90,
      takeOffDeg: 45,
      beWindowUm: 100,
      binWidthKeV: 0.05,
    },
    excitationOptic: { amplitude: 1, centreKeV: 14, widthKeV: 8, solidAngleSr: 0.002 },
    incidenceDeg: 50,
    exitDeg: 50,
    airPathInMm: 3,
    airPathOutMm: 5,
    detector: {
      beWindowUm: 8,
      deadLayerUm: 0.1,
      siThicknessUm: 450,
      fwhmAtMnKaEv: 145,
      fanoFactor: 0.114,
      tailFraction: 0.02,
      tailSlopeSigma: 2,
      shelfFraction: 0.003,
      escapePeaks: true,
      pulsePairResolutionUs: 0.25,
      deadTimeUs: 1,
      solidAngleSr: 0.01,
    },
    calibration: { offsetKeV: 0, gainKeVPerChannel: 0.01, nChannels: 4096 },
    liveTimeS: 1,
  };
}

/** A partial instrument: any field may be left out and takes its default. */
export interface InstrumentOverrides {
  tube?: Partial<XRayTube>;
  excitationOptic?: Partial<Instrument['excitationOptic']>;
  incidenceDeg?: number;
  exitDeg?: number;
  scatterAngleDeg?: number;
  airPathInMm?: number;
  airPathOutMm?: number;
  detector?: Partial<SddDetector>;
  calibration?: Partial<EnergyCalibration>;
  liveTimeS?: number;
}

function check(name: string, v: unknown, min: number, max = Infinity, exclusiveMin = false): void {
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    (exclusiveMin ? v <= min : v < min) ||
    v > max
  ) {
    throw new InvalidArgumentError(
      `instrument.${name} must be a finite number in ${exclusiveMin ? '(' : '['}${min}, ${max}]. Value: \`${String(v)}\`.`,
    );
  }
}

/**
 * Merges overrides into the defaults and validates every field.
 * @throws {@link InvalidArgumentError} naming the field and value.
 */
export function resolveInstrument(overrides: InstrumentOverrides | Instrument = {}): Instrument {
  const d = defaultInstrument();
  const i: Instrument = {
    ...d,
    ...overrides,
    tube: { ...d.tube, ...overrides.tube },
    excitationOptic: { ...d.excitationOptic, ...overrides.excitationOptic },
    detector: { ...d.detector, ...overrides.detector },
    calibration: { ...d.calibration, ...overrides.calibration },
  };
  check('tube.voltageKV', i.tube.voltageKV, 5, 100);
  check('tube.currentMA', i.tube.currentMA, 0, 10, true);
  check('tube.electronIncidenceDeg', i.tube.electronIncidenceDeg, 0, 90, true);
  check('tube.takeOffDeg', i.tube.takeOffDeg, 0, 90, true);
  check('tube.beWindowUm', i.tube.beWindowUm, 0, 1e4);
  check('tube.binWidthKeV', i.tube.binWidthKeV, 0.005, 1);
  check('excitationOptic.amplitude', i.excitationOptic.amplitude, 0, 10);
  check('excitationOptic.widthKeV', i.excitationOptic.widthKeV, 0, 1e3, true);
  check('excitationOptic.centreKeV', i.excitationOptic.centreKeV, 0, 100);
  check('excitationOptic.solidAngleSr', i.excitationOptic.solidAngleSr, 0, 4 * Math.PI, true);
  check('incidenceDeg', i.incidenceDeg, 0, 90, true);
  check('exitDeg', i.exitDeg, 0, 90, true);
  if (i.scatterAngleDeg !== undefined) check('scatterAngleDeg', i.scatterAngleDeg, 0, 180, true);
  check('airPathInMm', i.airPathInMm, 0, 1e4);
  check('airPathOutMm', i.airPathOutMm, 0, 1e4);
  check('detector.beWindowUm', i.detector.beWindowUm, 0, 1e4);
  check('detector.deadLayerUm', i.detector.deadLayerUm, 0, 1e3);
  check('detector.siThicknessUm', i.detector.siThicknessUm, 0, 1e5, true);
  check('detector.fwhmAtMnKaEv', i.detector.fwhmAtMnKaEv, 50, 1000);
  check('detector.fanoFactor', i.detector.fanoFactor, 0, 1, true);
  check('detector.tailFraction', i.detector.tailFraction, 0, 0.5);
  check('detector.tailSlopeSigma', i.detector.tailSlopeSigma, 0, 100, true);
  check('detector.shelfFraction', i.detector.shelfFraction, 0, 0.5);
  check('detector.pulsePairResolutionUs', i.detector.pulsePairResolutionUs, 0, 100);
  check('detector.deadTimeUs', i.detector.deadTimeUs, 0, 1000);
  check('detector.solidAngleSr', i.detector.solidAngleSr, 0, 4 * Math.PI, true);
  check('calibration.gainKeVPerChannel', i.calibration.gainKeVPerChannel, 0, 1, true);
  check('calibration.offsetKeV', i.calibration.offsetKeV, -10, 10);
  check('calibration.nChannels', i.calibration.nChannels, 16, 65536);
  if (!Number.isInteger(i.calibration.nChannels)) {
    throw new InvalidArgumentError(
      `instrument.calibration.nChannels must be an integer. Value: \`${i.calibration.nChannels}\`.`,
    );
  }
  check('liveTimeS', i.liveTimeS, 0, 1e6, true);
  // Fano broadening alone must not exceed the requested FWHM at Mn Kα.
  const fanoOnly = 2.3548 * Math.sqrt(i.detector.fanoFactor * 3.85 * 5895);
  if (fanoOnly >= i.detector.fwhmAtMnKaEv) {
    throw new InvalidArgumentError(
      `instrument.detector.fwhmAtMnKaEv (${i.detector.fwhmAtMnKaEv} eV) is below the Fano limit ${fanoOnly.toFixed(1)} eV.`,
    );
  }
  return i;
}

/** Air composition by mass (N, O, Ar) and density at ambient pressure. */
export const AIR = {
  massFractions: { N: 0.755, O: 0.232, Ar: 0.013 },
  densityGPerCm3: 1.2e-3,
} as const;

/** Band-pass transmission at `energyKeV`. */
export function bandPass(b: BandPass, energyKeV: number): number {
  const d = energyKeV - b.centreKeV;
  return b.amplitude * Math.exp(-(d * d) / (2 * b.widthKeV * b.widthKeV));
}
