/**
 * Intensity calibration of a measuring unit against the model's instrument from one reference
 * measurement: a depth scan of a material of known composition and density. The forward model
 * of the refinement (the simulator of the model's instrument and the library's confocal
 * transform) is fitted to the scan with the composition and density held at the reference
 * values; the free parameters are the intensity scale k (the amplitude of the detection
 * band-pass, whose nominal value is 1), the surface position and the depth resolution σ(E).
 * The fitted k is the factor by which the unit's count rates exceed (k > 1) or fall short of
 * (k < 1) those of the model's instrument for the same sample: `quantify` divides measured
 * rates by it (option `intensityScale`).
 *
 * @module
 */
import { CmxrfError, type CmxrfErrorCode, describeValue } from '../errors.js';
import { normalizedExposureProfile, tubeCurrentNormalization } from '../model/intensityScale.js';
import type { QuantificationResult } from '../model/result.js';
import { cellWidthsUm, surfaceEdge } from '../model/scan.js';
import { massFractions } from '../physics/material.js';
import type { ConfocalSetup, DepthProfile } from '../profile.js';
import {
  type Instrument,
  type InstrumentOverrides,
  resolveInstrument,
} from '../spectra/instrument.js';
import {
  type MxrfSimulator,
  type MxrfSimulatorOptions,
  createMxrfSimulator,
} from '../spectra/mxrfSimulator.js';
import { refine } from './refine.js';
import type { RefineResult } from './types.js';

/**
 * The confocal setup the intensity scale refers to: the centre of the setup ranges the network
 * was trained on (amplitude tA 1 of 0.5–1.5, band-pass centre tM 11 keV of 8–14 keV and width
 * tB 5.5 keV of 3–8 keV; σ(E) start values in the middle of theirs). With the band-pass held
 * here, k = fitted tA is the unit's intensity relative to the model's instrument at the
 * reference's line energies.
 */
export const CALIBRATION_REFERENCE_SETUP: Readonly<ConfocalSetup> = {
  tA: 1,
  tB: 5.5,
  tM: 11,
  sigmaMaxUm: 25,
  sigmaExpPerKeV: 0.175,
  sigmaOffUm: 7.5,
};

/** A reference material of known composition. */
export interface IntensityReference {
  /**
   * Mass fractions 0..1 by element symbol or formula (e.g. `{ Cu: 1 }`, `{ Fe: 0.7, Cr: 0.18,
   * Ni: 0.1, Mn: 0.02 }`). A sum below 1 is normalised (with a warning); fractions above 1 or
   * a sum above 1.001 are an error (percent instead of fractions?).
   */
  composition: Readonly<Record<string, number>>;
  /** Density (g/cm³). */
  densityGPerCm3: number;
  /** Name of the reference for the record (e.g. `'Cu foil'`). */
  name?: string;
}

/** Options of {@link calibrateIntensityScale}. */
export interface CalibrateIntensityScaleOptions {
  /** The model's instrument (the model card's). @default defaultInstrument() */
  instrument?: Instrument | InstrumentOverrides;
  /** Options of the forward simulator. */
  simulatorOptions?: MxrfSimulatorOptions;
  /** A prepared simulator of the model's instrument; `instrument` is then ignored. */
  simulator?: MxrfSimulator;
  /**
   * Scale the rates by the instrument's tube current over the one the profile states
   * (`profile.excitation.currentMA`), as `quantify` does, so that k describes the unit and not
   * the current it ran at. @default true
   */
  tubeCurrentNormalization?: boolean;
  /**
   * Also fit the band-pass centre tM and width tB (only meaningful for a reference with lines
   * spread over the energy range; with one element k and the band-pass are degenerate).
   * @default false
   */
  freeBandPass?: boolean;
  /** Energy window compared (keV). @default [2.9, 25.576] (the refinement's) */
  energyRangeKeV?: readonly [number, number];
  /** Maximum Levenberg–Marquardt iterations. @default 60 */
  maxIterations?: number;
}

/** A note on a calibration: a stable code and a message with the values. */
export interface IntensityCalibrationWarning {
  /**
   * `tube-current-normalized`, `tube-current-not-normalized`, `composition-normalized`, `fit-misfit` (the fit does not
   * describe the scan to within counting noise: the uncertainty is inflated by
   * √(deviance / expected)), `fit-not-converged`, `at-bound`, `unexplained-peak`.
   */
  code: string;
  /** What was found, with the values. */
  message: string;
}

/** Result of {@link calibrateIntensityScale}. */
export interface IntensityCalibration {
  /** Intensity scale k: measured ≈ k × simulated (model instrument, its tube current). */
  intensityScale: number;
  /**
   * 1σ of k: from the Fisher information of the fit, scaled by √max(1, deviance / expected
   * deviance). Does not include the uncertainty of the reference's composition, density and
   * thickness, nor of the band-pass held at its reference values.
   */
  intensityScaleSigma: number;
  /** 1σ of k from counting statistics alone. */
  intensityScaleSigmaStatistical: number;
  /** Fitted surface position on the scan axis (µm). */
  x0Um: number;
  /** 1σ of the surface position (µm). */
  x0SigmaUm: number;
  /** Fitted confocal setup (tA = k). */
  setup: ConfocalSetup;
  /** Poisson deviance per degree of freedom of the fit. */
  reducedDeviance: number;
  /** Deviance over the deviance expected under Poisson noise (≈ 1 for a fit within noise). */
  devianceRatio: number;
  /** Whether the fit describes the scan to within noise. */
  fitDescribesData: boolean;
  /** Instrument tube current over the profile's (1 when not normalised). */
  tubeCurrentRatio: number;
  /** Tube current the profile states (mA), where it states one. */
  fileCurrentMA?: number;
  /** Tube current of the instrument (mA). */
  modelCurrentMA: number;
  /** The reference as used: element mass fractions (sum 1), density, name. */
  reference: { composition: Record<string, number>; densityGPerCm3: number; name?: string };
  /** Notes and problems. */
  warnings: IntensityCalibrationWarning[];
  /** The underlying fit (residuals, correlation, convergence). */
  fit: RefineResult;
}

/** Why a calibration cannot be done. */
export type IntensityCalibrationProblem =
  'composition' | 'density' | 'profile' | 'no-signal' | 'no-surface';

/** The reference or the scan does not allow an intensity calibration. */
export class IntensityCalibrationError extends CmxrfError {
  /** The problem class. */
  readonly problem: IntensityCalibrationProblem;
  constructor(
    problem: IntensityCalibrationProblem,
    message: string,
    code: CmxrfErrorCode = 'INVALID_ARGUMENT',
    options?: { cause?: unknown },
  ) {
    super(code, `intensity calibration (${problem}): ${message}`, options);
    this.name = 'IntensityCalibrationError';
    this.problem = problem;
  }
}

const fmt = (v: number, d = 4): string => String(+v.toPrecision(d));

/** Element mass fractions of the reference, checked; warnings for a normalised sum. */
function referenceComposition(
  c: unknown,
  warnings: IntensityCalibrationWarning[],
): Record<string, number> {
  if (typeof c !== 'object' || c === null || Array.isArray(c) || Object.keys(c).length === 0)
    throw new IntensityCalibrationError(
      'composition',
      `the reference composition must be a non-empty record of mass fractions (e.g. { Cu: 1 }). Value: \`${describeValue(c)}\`.`,
    );
  let sum = 0;
  for (const [el, w] of Object.entries(c as Record<string, unknown>)) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0)
      throw new IntensityCalibrationError(
        'composition',
        `the mass fraction of ${el} must be a finite number ≥ 0. Value: \`${describeValue(w)}\`.`,
      );
    if (w > 1)
      throw new IntensityCalibrationError(
        'composition',
        `the mass fraction of ${el} is ${w}: mass fractions are 0..1, not percent (divide by 100).`,
      );
    sum += w;
  }
  if (sum > 1.001)
    throw new IntensityCalibrationError(
      'composition',
      `the mass fractions sum to ${fmt(sum, 6)}, more than 1 (expected ≤ 1; fractions are 0..1).`,
    );
  if (!(sum > 0))
    throw new IntensityCalibrationError('composition', 'the mass fractions sum to 0.');
  let w: Record<string, number>;
  try {
    w = { ...massFractions(c as Record<string, number>) };
  } catch (e) {
    if (e instanceof CmxrfError)
      throw new IntensityCalibrationError(
        'composition',
        `reference composition: ${e.message}`,
        e.code,
        {
          cause: e,
        },
      );
    throw e;
  }
  if (Math.abs(sum - 1) > 1e-3)
    warnings.push({
      code: 'composition-normalized',
      message: `the reference mass fractions sum to ${fmt(sum)}; they were scaled to sum 1. Name the rest of the material (e.g. its light elements) if it is known.`,
    });
  return w;
}

/**
 * Surface edge of the scan (the half-maximum edge of `quantify`'s windowing, {@link surfaceEdge},
 * on the total count rate per µm of scan), or a typed error for a scan without one.
 */
function surfaceStart(p: DepthProfile): number {
  const n = p.nSteps;
  const widths = cellWidthsUm(p.depthsUm, new Float64Array(n));
  const density = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    const o = j * p.nChannels;
    for (let c = 0; c < p.nChannels; c++) s += p.counts[o + c];
    density[j] = s / p.liveTimesS[j] / Math.abs(widths[j]);
  }
  const edge = surfaceEdge(p.depthsUm, density);
  const src = p.source ? `${p.source}: ` : '';
  if (!(edge.peak > 0))
    throw new IntensityCalibrationError('no-signal', `${src}the scan holds no counts.`);
  if (edge.peakIndex === 0 || edge.contrast < 1.1)
    throw new IntensityCalibrationError(
      'no-surface',
      `${src}no surface in the scan: the count rate ${edge.peakIndex === 0 ? 'is highest at the first position and falls from there' : `varies by only ${fmt((edge.contrast - 1) * 100, 2)} %`}. Scan the reference from air into the material, starting at least 20 µm in front of its surface.`,
    );
  return edge.edgeUm;
}

/**
 * Fits the intensity scale k of a measuring unit relative to the model's instrument from a
 * depth scan of a reference material of known composition and density: measured counts ≈ k ×
 * the simulated profile of the reference on the instrument (its tube current; the profile's
 * own current when it states one, see `tubeCurrentNormalization`), with the surface position
 * and the depth resolution σ(E) fitted and the detection band-pass held at
 * {@link CALIBRATION_REFERENCE_SETUP} (or fitted too, `freeBandPass`). Uses the refinement's
 * forward model and Poisson-deviance minimisation.
 *
 * A thick, homogeneous reference is assumed (thicker than the probing depth at its lines,
 * e.g. a metal foil of ≥ 20 µm for Cu K); a thinner one gives too small a k.
 *
 * Synchronous and pure; prepares a simulator unless one is given (about a second).
 *
 * @param profile - The measured depth scan of the reference (counts, live times, positions).
 * @param reference - Composition (mass fractions 0..1) and density of the reference.
 * @param options - Instrument, tube-current normalisation, band-pass, energy window.
 * @returns The scale k with its 1σ, the fitted surface and setup, fit statistics, warnings.
 * @throws {IntensityCalibrationError} for an invalid composition or density, a scan with no
 *   counts or no surface.
 * @throws {InvalidArgumentError} for an inconsistent profile (names the field, step, channel).
 * @example
 * ```ts
 * import { calibrateIntensityScale } from 'cmxrf/refine';
 * const cal = calibrateIntensityScale(cuScan, { composition: { Cu: 1 }, densityGPerCm3: 8.96 });
 * cal.intensityScale; // e.g. 0.2 ± cal.intensityScaleSigma
 * await quantifier.quantify(sampleScan, { intensityScale: cal.intensityScale });
 * ```
 */
export function calibrateIntensityScale(
  profile: DepthProfile,
  reference: IntensityReference,
  options: CalibrateIntensityScaleOptions = {},
): IntensityCalibration {
  const warnings: IntensityCalibrationWarning[] = [];
  if (typeof reference !== 'object' || reference === null)
    throw new IntensityCalibrationError(
      'composition',
      `the reference must be { composition, densityGPerCm3 }. Value: \`${describeValue(reference)}\`.`,
    );
  const composition = referenceComposition(reference.composition, warnings);
  const rho = reference.densityGPerCm3;
  if (typeof rho !== 'number' || !Number.isFinite(rho) || rho < 0.05 || rho > 25)
    throw new IntensityCalibrationError(
      'density',
      `the reference density must be a number in [0.05, 25] g/cm³. Value: \`${describeValue(rho)}\`.`,
    );
  if (
    typeof profile !== 'object' ||
    profile === null ||
    !Number.isInteger(profile.nSteps) ||
    profile.nSteps < 3 ||
    !profile.counts ||
    profile.counts.length !== profile.nSteps * profile.nChannels ||
    !profile.liveTimesS ||
    profile.liveTimesS.length !== profile.nSteps ||
    !profile.depthsUm ||
    profile.depthsUm.length !== profile.nSteps
  )
    throw new IntensityCalibrationError(
      'profile',
      `the scan must be a DepthProfile of at least 3 steps with counts, live times and positions for each. Value: \`${describeValue(profile?.nSteps)}\` steps.`,
    );

  const sim =
    options.simulator ??
    createMxrfSimulator(resolveInstrument(options.instrument ?? {}), options.simulatorOptions);
  const modelCurrentMA = sim.instrument.tube.currentMA;
  // The same tube-current rule as quantify, so that k means the same in both.
  const current = tubeCurrentNormalization(
    modelCurrentMA,
    profile,
    options.tubeCurrentNormalization ?? true,
    `so that k refers to ${fmt(modelCurrentMA)} mA`,
  );
  warnings.push(...current.warnings);
  const ratio = current.ratio;
  const fileCurrentMA = current.fileCurrentMA;
  // The exposure in units of the instrument: live time × current ratio (the counts unchanged).
  const scan = normalizedExposureProfile(profile, ratio);
  const x0 = surfaceStart(scan);

  const depths = profile.depthsUm;
  const first = depths[0];
  const last = depths[profile.nSteps - 1];
  const step = (last - first) / (profile.nSteps - 1);
  // A start "result" for the refinement: the reference, the surface edge, the reference setup.
  const start: QuantificationResult = {
    modelId: 'intensity-calibration',
    threshold: 0.5,
    elements: [],
    densityGPerCm3: rho,
    surfaceUm: x0 + 5,
    setup: { ...CALIBRATION_REFERENCE_SETUP },
    warnings: [],
    scan: {
      nSteps: profile.nSteps,
      firstUm: first,
      lastUm: last,
      medianStepUm: step,
      minStepUm: step,
      maxStepUm: step,
      surfaceEdgeUm: x0,
      peakTotalRateCps: 0,
    },
    window: {
      startUm: first,
      endUm: last,
      stepUm: step,
      nSteps: profile.nSteps,
      firstStep: 0,
      lastStep: profile.nSteps - 1,
      passes: 1,
    },
    intensityConvention: 'per-step',
  };
  const band = options.freeBandPass ?? false;
  const fit = refine(scan, start, {
    simulator: sim,
    elements: [],
    matrix: composition,
    free: {
      massFractions: false,
      density: false,
      matrixMix: false,
      surface: true,
      setup: {
        tA: true,
        tB: band,
        tM: band,
        sigmaMaxUm: true,
        sigmaExpPerKeV: true,
        sigmaOffUm: true,
      },
      // The optic band-pass scales a one-element reference like k does: held.
      instrument: false,
    },
    energyRangeKeV: options.energyRangeKeV,
    maxIterations: options.maxIterations ?? 60,
    systematicRelativeSigma: 0,
    matrixRelativeSigma: 0,
    surfaceSystematicSigmaUm: 0,
  });
  const tA = fit.setup.tA;
  const k = tA.value / CALIBRATION_REFERENCE_SETUP.tA;
  for (const w of fit.warnings) {
    const code =
      w.code === 'MISFIT'
        ? 'fit-misfit'
        : w.code === 'NOT_CONVERGED'
          ? 'fit-not-converged'
          : w.code === 'AT_BOUND'
            ? 'at-bound'
            : 'unexplained-peak';
    warnings.push({ code, message: w.message });
  }
  const setup = {} as ConfocalSetup;
  for (const [name, v] of Object.entries(fit.setup)) setup[name as keyof ConfocalSetup] = v.value;
  const result: IntensityCalibration = {
    intensityScale: k,
    intensityScaleSigma: tA.sigma / CALIBRATION_REFERENCE_SETUP.tA,
    intensityScaleSigmaStatistical: tA.sigmaStatistical / CALIBRATION_REFERENCE_SETUP.tA,
    x0Um: fit.surfaceUm.value,
    x0SigmaUm: fit.surfaceUm.sigma,
    setup,
    reducedDeviance: fit.fit.reducedDeviance,
    devianceRatio: fit.fit.devianceRatio,
    fitDescribesData: fit.fitDescribesData,
    tubeCurrentRatio: ratio,
    modelCurrentMA,
    reference: { composition, densityGPerCm3: rho },
    warnings,
    fit,
  };
  if (fileCurrentMA !== undefined) result.fileCurrentMA = fileCurrentMA;
  if (reference.name !== undefined) result.reference.name = reference.name;
  return result;
}
