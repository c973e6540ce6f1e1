/**
 * Fundamental-parameter forward model of a bulk (infinitely thick, homogeneous) MXRF spectrum,
 * composed from one module per physical process:
 *
 * - `excitation.ts` — tube spectrum × optic × air reaching the sample;
 * - `primaryFluorescence.ts` — Sherman equation for K, L and M lines;
 * - `secondaryFluorescence.ts` — enhancement by other elements' lines (Shiraiwa–Fujino);
 * - `scatter.ts` — Rayleigh and Compton scatter of the excitation, fluorescence excited by
 *   scattered photons, double scatter (and optionally higher orders);
 * - `throughput.ts` and `detectorResponse.ts` — pile-up and the SDD response.
 *
 * This module owns the per-instrument precomputation and the composition. The equations, data
 * sources and approximations are described in docs/physics.md.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import {
  createEnergyGrid,
  resolveMaterial,
  type Material,
  type ResolvedMaterial,
} from '../physics/index.js';
import type { EnergyCalibration } from '../profile.js';
import { detectorEfficiency } from './detector.js';
import { PeakList, prepareDetectorStage, renderSpectrum } from './detectorResponse.js';
import { materialOnGrid } from './gridSum.js';
import {
  airTransmission,
  prepareExcitation,
  reweighExcitation,
  type Excitation,
} from './excitation.js';
import {
  bandPass,
  resolveInstrument,
  type Instrument,
  type InstrumentOverrides,
} from './instrument.js';
import {
  prepareElement,
  prepareLineGrid,
  primaryLineFromSource,
  reweighElement,
  type ElementPrep,
} from './primaryFluorescence.js';
import {
  addDoubleScatter,
  addIsotropicDoubleScatter,
  addSingleScatter,
  prepareScatter,
  prepareSecondOrder,
  scatterExcitedFluorescence,
  type Arrival,
} from './scatter.js';
import {
  prepareSecondary,
  secondaryEnhancement,
  type PresentElement,
} from './secondaryFluorescence.js';
import { applyPileUp, MAX_PILE_UP_RT, preparePileUp } from './throughput.js';

/** A homogeneous bulk sample. */
export interface BulkSample {
  composition: Material;
  densityGPerCm3: number;
}

/** One emitted line in a simulated spectrum. */
export interface EmittedLine {
  element: string;
  z: number;
  /** IUPAC name. */
  line: string;
  siegbahn: string;
  energyKeV: number;
  /** Detected counts from primary excitation (all response parts: peak, escape, tail, shelf). */
  primaryCounts: number;
  /**
   * Detected counts from second-order excitation: enhancement by other elements' lines
   * (secondary fluorescence) plus excitation by singly scattered photons (`scatterExcitedCounts`).
   */
  secondaryCounts: number;
  /** The part of `secondaryCounts` excited by scattered (Rayleigh, Compton) photons. */
  scatterExcitedCounts: number;
  /** Effective incident mass attenuation for this line (cm²/g), see module doc. */
  muInCm2PerG: number;
  /** Sample mass attenuation at the line energy (cm²/g). */
  muOutCm2PerG: number;
}

/** Result of {@link simulateMxrfSpectrum}: the Φ0(E) input of the confocal transform. */
export interface MxrfSpectrum {
  /** Channel energies (keV), `offset + gain · ch`. */
  energyKeV: Float64Array;
  /** Expected (noise-free) counts per channel for the live time. */
  counts: Float64Array;
  calibration: EnergyCalibration;
  liveTimeS: number;
  /** Every line with counts > 0, strongest first. */
  lines: EmittedLine[];
  /** Per channel: count-weighted effective incident attenuation (cm²/g). */
  muInCm2PerG: Float64Array;
  /** Per channel: sample attenuation at the channel energy (cm²/g). */
  muOutCm2PerG: Float64Array;
  densityGPerCm3: number;
  incidenceDeg: number;
  exitDeg: number;
  /** Input count rate: photons reaching the detector per second (before pile-up). */
  countRatePerS: number;
  /** Real (clock) time needed to collect `liveTimeS` of live time (s). */
  realTimeS: number;
  /** Recorded events per second of real time (output count rate). */
  outputCountRatePerS: number;
  /** Share of recorded events that hold two or more unresolved photons. */
  pileUpFraction: number;
  /** Conditions outside the validated range of a model (empty when none). */
  warnings: string[];
}

/** Options of the simulator. */
export interface MxrfSimulatorOptions {
  /** Lines below this energy are not simulated (keV). @default 1.0 */
  minLineEnergyKeV?: number;
  /** Lower-level discriminator: channels below record nothing (keV). @default 0.5 */
  lowerLevelKeV?: number;
  /** Secondary fluorescence model. @default 'shiraiwa-fujino' */
  secondaryFluorescence?: 'none' | 'shiraiwa-fujino';
  /**
   * Minimum mass fraction of an enhancing element. An enhancer at mass fraction w changes
   * another element's line by ≲ w·ω/2 (< 0.25 % at the default). @default 5e-3
   */
  secondaryMinMassFraction?: number;
  /** Include Rayleigh/Compton scatter. @default true */
  scatter?: boolean;
  /** Include fluorescence excited by singly scattered photons. @default true */
  scatterExcitedFluorescence?: boolean;
  /** Include double scatter in the background. @default true */
  multipleScatter?: boolean;
  /**
   * Model of the double scatter: `'directional'` integrates both events' differential cross
   * sections over the intermediate direction (within 1 % of a photon Monte Carlo, the model the
   * shipped quantification model was trained on); `'isotropic'` treats both events as isotropic
   * point sources (2–42 % high; kept to reproduce spectra of models trained before). See
   * docs/physics.md. @default 'directional'
   */
  doubleScatter?: 'directional' | 'isotropic';
  /**
   * With `doubleScatter: 'directional'`, add an estimate of the third and higher scatter orders
   * (a geometric series per excitation group, see docs/physics.md). Matters in light matrices
   * only (cellulose: 8 % of single scatter at 12–18 keV). Ignored with `'isotropic'`.
   * @default true
   */
  higherScatterOrders?: boolean;
  /**
   * Shape of the Compton lines of tube lines. The default uses the sample's Compton profiles
   * (impulse approximation); a negative value −f replaces it by a Gaussian of σ = f · E′.
   * @default 0.01 (profiles)
   */
  dopplerFraction?: number;
  /**
   * Unresolved pile-up switch, kept for compatibility: 0 turns pile-up off; any other value
   * keeps it on (pile-up now combines every pair and triple of photons, not only the strongest
   * lines). @default 6
   */
  sumPeakLines?: number;
}

/**
 * The simulator options that change every simulated spectrum's background and that a trained
 * model depends on: recorded in dataset manifests and model cards (`simulator`), so that a
 * refinement uses the physics its model was trained on.
 */
export interface SimulatorPhysics {
  doubleScatter: 'directional' | 'isotropic';
  higherScatterOrders: boolean;
}

/** The simulator's default {@link SimulatorPhysics}. */
export const DEFAULT_SIMULATOR_PHYSICS: Readonly<SimulatorPhysics> = Object.freeze({
  doubleScatter: 'directional',
  higherScatterOrders: true,
});

/**
 * The {@link SimulatorPhysics} of every dataset and model made before they were recorded (the
 * isotropic double scatter without higher orders): what a model card without `simulator` was
 * trained on.
 */
export const LEGACY_SIMULATOR_PHYSICS: Readonly<SimulatorPhysics> = Object.freeze({
  doubleScatter: 'isotropic',
  higherScatterOrders: false,
});

/** A prepared simulator for one instrument (precomputes everything sample-independent). */
export interface MxrfSimulator {
  readonly instrument: Instrument;
  /** Simulates the bulk spectrum of `sample`. */
  simulate(sample: BulkSample): MxrfSpectrum;
  /** Photons per second reaching the sample: the excitation spectrum summed (lines included). */
  readonly excitationPhotonsPerS: number;
  /**
   * A simulator for this instrument with a different excitation optic band-pass or pulse-pair
   * resolution, sharing every prepared table (costs well under one spectrum, where a new
   * {@link createMxrfSimulator} costs about a hundred): for fitting these instrument parameters.
   * The excitation is this simulator's prepared one reweighted by the ratio of the band-passes,
   * so the coarse groups of the scatter and secondary terms keep their photon-weighted mean
   * energies (a second-order effect); with no change the spectra are identical.
   * @throws {@link InvalidArgumentError} for an invalid optic or resolution.
   */
  derive(change: SimulatorDerivation): MxrfSimulator;
}

/** Instrument changes a derived simulator applies without a new preparation. */
export interface SimulatorDerivation {
  /** Centre and width of the excitation optic's Gaussian band-pass (keV). */
  excitationOptic?: { centreKeV?: number; widthKeV?: number };
  /** Pulse-pair resolution of the pulse processor (µs). */
  pulsePairResolutionUs?: number;
}

const DEG = Math.PI / 180;

/**
 * Prepares a simulator for an instrument (defaults from {@link defaultInstrument} for every
 * field left out). Reuse it for many samples: preparation costs tens of ms, a spectrum ~ms.
 * @throws {@link InvalidArgumentError} for invalid instrument fields.
 * @example
 * ```ts
 * const sim = createMxrfSimulator({ liveTimeS: 60 });
 * const s = sim.simulate({ composition: { SiO2: 0.7, PbO: 0.3 }, densityGPerCm3: 3 });
 * s.counts; // Float64Array, one value per channel of sim's calibration
 * ```
 */
export function createMxrfSimulator(
  instrumentOverrides: InstrumentOverrides | Instrument = {},
  options: MxrfSimulatorOptions = {},
): MxrfSimulator {
  const inst = resolveInstrument(instrumentOverrides);
  const minLine = options.minLineEnergyKeV ?? 1.0;
  const lld = options.lowerLevelKeV ?? 0.5;
  const doSecondary = (options.secondaryFluorescence ?? 'shiraiwa-fujino') !== 'none';
  const secMinW = options.secondaryMinMassFraction ?? 5e-3;
  const doScatter = options.scatter ?? true;
  const doScatterFluo = options.scatterExcitedFluorescence ?? true;
  const doMultiple = options.multipleScatter ?? true;
  const doHigherOrders =
    options.higherScatterOrders ?? DEFAULT_SIMULATOR_PHYSICS.higherScatterOrders;
  const directional =
    (options.doubleScatter ?? DEFAULT_SIMULATOR_PHYSICS.doubleScatter) === 'directional';
  const doppler = options.dopplerFraction ?? 0.01;
  const nSum = options.sumPeakLines ?? 6;
  const sin1 = Math.sin(inst.incidenceDeg * DEG);
  const sin2 = Math.sin(inst.exitDeg * DEG);
  const theta = inst.scatterAngleDeg ?? inst.incidenceDeg + inst.exitDeg;
  const cal = inst.calibration;
  const nCh = cal.nChannels;
  const e0 = inst.tube.voltageKV;
  const liveTime = inst.liveTimeS;
  const det = inst.detector;
  const gFluo = (det.solidAngleSr / (4 * Math.PI)) * liveTime;
  const gScatter = det.solidAngleSr * liveTime;
  const detectionAt = (e: number) =>
    e < 0.1 ? 0 : detectorEfficiency(det, e) * airTransmission(e, inst.airPathOutMm);

  // Per-instrument precomputation of every stage.
  const baseExc = prepareExcitation(inst, minLine);
  const lineGrid = prepareLineGrid(minLine, e0);
  const scatter = prepareScatter(baseExc, theta, cal, detectionAt);
  const secondOrder = prepareSecondOrder(baseExc, cal, detectionAt, sin1, sin2);
  const chE = new Float64Array(nCh);
  const chEval = new Float64Array(nCh);
  for (let c = 0; c < nCh; c++) {
    chE[c] = cal.offsetKeV + cal.gainKeVPerChannel * c;
    // Channels below the discriminator use μ at the discriminator.
    chEval[c] = Math.max(chE[c], lld);
  }
  const chGrid = createEnergyGrid(chEval);
  const stage = prepareDetectorStage(det, cal, lld, Math.max(e0, chE[nCh - 1]) + 1);
  const pileUpScratch = preparePileUp(chE[nCh - 1] + cal.gainKeVPerChannel);
  const basePrep: (ElementPrep | undefined)[] = [];
  const prepBase = (z: number): ElementPrep =>
    (basePrep[z] ??= prepareElement(z, baseExc, lineGrid, e0, detectionAt));

  // A simulator over one excitation spectrum (the instrument's, or a reweighted one that shares
  // every other table) and one pulse-pair resolution.
  const build = (derivedInst: Instrument, exc: Excitation, pulsePairUs: number): MxrfSimulator => {
    const prepCache: (ElementPrep | undefined)[] = [];
    const prep =
      exc === baseExc
        ? prepBase
        : (z: number): ElementPrep => (prepCache[z] ??= reweighElement(prepBase(z), exc));
    const secondary = prepareSecondary(exc);
    const nExc = exc.energyKeV.length;

    // Scratch owned by this simulator.
    const mu0 = new Float64Array(nExc);
    const aExc = new Float64Array(nExc);
    const muLines = new Float64Array(lineGrid.energyKeV.length);
    const lineOut = new Float64Array(2);
    const peaks = new PeakList();

    const simulate = (sample: BulkSample): MxrfSpectrum => {
      const rho = sample?.densityGPerCm3;
      if (typeof rho !== 'number' || !Number.isFinite(rho) || rho <= 0) {
        throw new InvalidArgumentError(
          `sample.densityGPerCm3 must be a finite positive number. Value: \`${String(rho)}\`.`,
        );
      }
      const m: ResolvedMaterial = resolveMaterial(sample.composition);
      materialOnGrid(exc.grid, m, 'total', mu0);
      for (let j = 0; j < nExc; j++) aExc[j] = mu0[j] / sin1;
      materialOnGrid(lineGrid.grid, m, 'total', muLines);
      const muOut = materialOnGrid(chGrid, m, 'total', new Float64Array(nCh));
      const emitted: EmittedLine[] = [];
      peaks.clear();

      // Primary fluorescence.
      const present: PresentElement[] = [];
      for (let k = 0; k < m.z.length; k++) {
        const p = prep(m.z[k]);
        if (p.lines.length > 0) present.push({ p, w: m.massFraction[k] });
      }
      const lineStart: number[] = [];
      for (const { p, w } of present) {
        lineStart.push(emitted.length);
        for (const l of p.lines) {
          const muI = muLines[l.gridIndex];
          const sh = p.shells[l.shellIndex];
          primaryLineFromSource(
            sh.sourceExc,
            sh.excStart,
            sh.excEnd,
            aExc,
            muI / sin2,
            sin1,
            lineOut,
          );
          emitted.push({
            element: p.symbol,
            z: p.z,
            line: l.iupac,
            siegbahn: l.siegbahn,
            energyKeV: l.energyKeV,
            primaryCounts: (gFluo / sin1) * w * l.omegaP * lineOut[0] * l.detection || 0,
            secondaryCounts: 0,
            scatterExcitedCounts: 0,
            muInCm2PerG: lineOut[1],
            muOutCm2PerG: muI,
          });
        }
      }

      // Secondary fluorescence.
      if (doSecondary) {
        const v = secondaryEnhancement(secondary, exc, m, present, muLines, sin1, sin2, secMinW);
        present.forEach(({ p, w }, pi) => {
          p.lines.forEach((l, li) => {
            const vs = v[pi][l.shellIndex];
            if (vs === 0) return;
            emitted[lineStart[pi] + li].secondaryCounts =
              (gFluo / sin1) * w * l.omegaP * vs * l.detection;
          });
        });
      }
      // Fluorescence excited by singly scattered photons.
      if (doScatterFluo) {
        const v = scatterExcitedFluorescence(secondOrder, exc, m, present, muLines, sin1, sin2);
        present.forEach(({ p, w }, pi) => {
          p.lines.forEach((l, li) => {
            const vs = v[pi][l.shellIndex];
            if (vs === 0) return;
            const e = emitted[lineStart[pi] + li];
            e.scatterExcitedCounts = (gFluo / sin1) * w * l.omegaP * vs * l.detection;
            e.secondaryCounts += e.scatterExcitedCounts;
          });
        });
      }
      for (const e of emitted) {
        const total = e.primaryCounts + e.secondaryCounts;
        if (total > 0) peaks.push(e.energyKeV, total, e.muInCm2PerG, 0);
      }

      // Scatter of the excitation.
      const arrival: Arrival = { counts: new Float64Array(nCh), weighted: new Float64Array(nCh) };
      if (doScatter) {
        addSingleScatter(scatter, exc, m, mu0, aExc, sin1, sin2, gScatter, doppler, peaks, arrival);
        if (doMultiple && directional) {
          addDoubleScatter(secondOrder, exc, m, sin1, sin2, gFluo, arrival, peaks, doHigherOrders);
        } else if (doMultiple) {
          addIsotropicDoubleScatter(secondOrder, exc, m, sin1, sin2, gFluo, arrival);
        }
      }

      // Detector throughput (pile-up, dead time) and response.
      const t = applyPileUp(
        pileUpScratch,
        peaks,
        arrival,
        chE,
        liveTime,
        pulsePairUs * 1e-6,
        det.deadTimeUs * 1e-6,
        nSum > 0,
      );
      const counts = new Float64Array(nCh);
      const weighted = new Float64Array(nCh);
      const muIn = new Float64Array(nCh);
      renderSpectrum(stage, peaks, arrival, counts, weighted, muIn, muOut);
      const warnings: string[] = [];
      const x = t.inputRatePerS * pulsePairUs * 1e-6;
      if (nSum > 0 && x > MAX_PILE_UP_RT) {
        warnings.push(
          `input count rate ${(t.inputRatePerS / 1000).toFixed(0)} kcps × pulse-pair resolution ${pulsePairUs} µs = ${x.toFixed(2)} exceeds ${MAX_PILE_UP_RT}: pile-up beyond triples (${(100 * (-Math.expm1(-x)) ** 3).toFixed(1)} % of events) is dropped.`,
        );
      }
      emitted.sort(
        (a, b) => b.primaryCounts + b.secondaryCounts - (a.primaryCounts + a.secondaryCounts),
      );
      return {
        energyKeV: chE.slice(),
        counts,
        calibration: { ...cal },
        liveTimeS: liveTime,
        lines: emitted.filter((e) => e.primaryCounts + e.secondaryCounts > 0),
        muInCm2PerG: muIn,
        muOutCm2PerG: muOut,
        densityGPerCm3: rho,
        incidenceDeg: derivedInst.incidenceDeg,
        exitDeg: derivedInst.exitDeg,
        countRatePerS: t.inputRatePerS,
        realTimeS: liveTime * t.realPerLive,
        outputCountRatePerS: t.outputRatePerS,
        pileUpFraction: t.pileUpFraction,
        warnings,
      };
    };

    const derive = (change: SimulatorDerivation): MxrfSimulator => {
      const next = derivedInstrument(derivedInst, change);
      let excNext = exc;
      const oc = change.excitationOptic;
      if (oc !== undefined) {
        // Band-pass of the new optic relative to the prepared one, per excitation entry.
        const factor = new Float64Array(baseExc.energyKeV.length);
        for (let j = 0; j < factor.length; j++) {
          const e = baseExc.energyKeV[j];
          const f = bandPass(next.excitationOptic, e) / bandPass(inst.excitationOptic, e);
          factor[j] = Number.isFinite(f) ? f : 0;
        }
        excNext = reweighExcitation(baseExc, factor);
      }
      return build(next, excNext, next.detector.pulsePairResolutionUs);
    };
    let excitationPhotonsPerS = 0;
    for (let j = 0; j < nExc; j++) excitationPhotonsPerS += exc.photonsPerS[j];
    return { instrument: derivedInst, simulate, derive, excitationPhotonsPerS };
  };
  return build(inst, baseExc, det.pulsePairResolutionUs);
}

/** The instrument after a {@link SimulatorDerivation}, validated like any instrument. */
function derivedInstrument(from: Instrument, change: SimulatorDerivation): Instrument {
  return resolveInstrument({
    ...from,
    excitationOptic: { ...from.excitationOptic, ...change.excitationOptic },
    detector: {
      ...from.detector,
      pulsePairResolutionUs: change.pulsePairResolutionUs ?? from.detector.pulsePairResolutionUs,
    },
  });
}

/**
 * Simulates the bulk MXRF spectrum of a homogeneous, infinitely thick sample.
 * Convenience wrapper: prepares a simulator for `instrument` on every call — for many samples
 * use {@link createMxrfSimulator} once.
 * @example
 * const s = simulateMxrfSpectrum({ composition: { SiO2: 0.7, Na2O: 0.2, CaO: 0.1 }, densityGPerCm3: 2.5 });
 * s.lines[0]; // strongest line
 */
export function simulateMxrfSpectrum(
  sample: BulkSample,
  instrument: InstrumentOverrides | Instrument = {},
  options: MxrfSimulatorOptions = {},
): MxrfSpectrum {
  return createMxrfSimulator(instrument, options).simulate(sample);
}
