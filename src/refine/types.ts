/**
 * Option and result types of the fundamental-parameter refinement ({@link refine}).
 *
 * @module
 */
import type { Material } from '../physics/material.js';
import type { ConfocalSetup, EnergyCalibration } from '../profile.js';
import type { Instrument, InstrumentOverrides } from '../spectra/instrument.js';
import type { MxrfSimulator, MxrfSimulatorOptions } from '../spectra/mxrfSimulator.js';

/** Names of the six confocal setup parameters. */
export type SetupParameterName = keyof ConfocalSetup;

/**
 * Names of the detector-response parameters: energy-calibration offset (keV) and relative gain
 * error (the recorded energy label is E·(1 + gainRelative) + offsetKeV), and the resolution as
 * FWHM at Mn Kα (eV; the Fano term is the instrument's).
 */
export type DetectorParameterName = 'offsetKeV' | 'gainRelative' | 'fwhmAtMnKaEv';

/**
 * Names of the instrument parameters that change the simulated spectrum and can be fitted
 * without preparing a new simulator: centre and width of the excitation optic's Gaussian
 * band-pass (keV), and the pulse-pair resolution of the pulse processor (µs; unresolved pile-up).
 */
export type InstrumentParameterName = 'opticCentreKeV' | 'opticWidthKeV' | 'pulsePairResolutionUs';

/** Which parameters the refinement varies; everything else stays at its start value. */
export interface RefineFreeParameters {
  /** Mass fractions of the fitted elements (and hence the light-matrix remainder). @default true */
  massFractions?: boolean;
  /**
   * Density. @default false: the profile measures ρ·μ(E), and with an approximate light matrix
   * a free density absorbs the matrix error and biases every mass fraction (median error 11.0 %
   * with a free density and its 5 % prior, 5.4 % with the density held at the network's value,
   * on 20 profiles with off-nominal instruments).
   */
  density?: boolean;
  /** Mixing fraction of the two light-matrix end members (when two are given). @default true */
  matrixMix?: boolean;
  /** Surface position x0. @default true */
  surface?: boolean;
  /** The six setup parameters, all (`true`/`false`) or one by one. @default true */
  setup?: boolean | Partial<Record<SetupParameterName, boolean>>;
  /**
   * The detector's energy calibration (offset, gain) and resolution (FWHM at Mn Kα), all or one
   * by one; bounds in `REFINE_DETECTOR_BOUNDS`. @default DEFAULT_FIT_DETECTOR
   */
  detector?: boolean | Partial<Record<DetectorParameterName, boolean>>;
  /**
   * The excitation optic's band-pass (centre, width) and the pulse-pair resolution, all or one
   * by one (the band-pass is fitted as the slope and curvature of its logarithm: `opticCentreKeV`
   * switches the slope, `opticWidthKeV` the curvature); start values the instrument's, bounds in
   * `REFINE_INSTRUMENT_BOUNDS`.
   * @default DEFAULT_FIT_INSTRUMENT
   */
  instrument?: boolean | Partial<Record<InstrumentParameterName, boolean>>;
}

/** Progress of a refinement, reported after each Levenberg–Marquardt iteration. */
export type RefineProgress =
  | {
      status: 'iteration';
      /** 1-based iteration number (over both phases). */
      iteration: number;
      /** `'geometry'`: density, surface and setup only; `'full'`: all free parameters. */
      phase: 'geometry' | 'full';
      /** Poisson deviance at the current parameters. */
      deviance: number;
      /** Marquardt damping. */
      lambda: number;
    }
  | { status: 'done'; iterations: number; deviance: number; converged: boolean };

/** Options of {@link refine}. */
export interface RefineOptions {
  /** Instrument of the forward model (the simulator's). @default defaultInstrument() */
  instrument?: Instrument | InstrumentOverrides;
  /** Options of the forward simulator. @default the simulator's defaults */
  simulatorOptions?: MxrfSimulatorOptions;
  /**
   * A prepared simulator (from `createMxrfSimulator`) to reuse across calls: preparing one
   * takes about as long as a whole refinement. When given, `instrument` and `simulatorOptions`
   * are ignored and `simulator.instrument` is the instrument of the fit.
   */
  simulator?: MxrfSimulator;
  /**
   * Elements whose mass fractions are fitted. @default the elements the network detected
   * (`massFraction > 0`); start values are the network's `massFractionRaw` for elements it did
   * not detect.
   */
  elements?: readonly string[];
  /**
   * The light matrix that makes up the remainder `1 − Σ fitted fractions` (its elements' lines
   * are not fitted): one composition (fixed), or two end members A, B mixed as
   * (1 − t)·A + t·B with the mixing fraction t fitted. @default DEFAULT_LIGHT_MATRIX (organic ↔ Si)
   */
  matrix?: Material | readonly [Material, Material];
  /**
   * Gaussian priors centred on the network's answer, i.e. the network's estimate used as one
   * more measurement (`Infinity` switches one off). The depth profile measures ρ·μ(E), so an
   * approximate light matrix trades density against composition; the network's density (held-out
   * median relative error 3.7–5.5 % for the shipped model on the evaluation sets of
   * docs/refinement.md) breaks that trade.
   */
  prior?: {
    /** Relative 1σ of the network's density. @default 0.05 */
    densityRelative?: number;
    /** 1σ of the network's surface position (µm). @default Infinity */
    surfaceUm?: number;
    /**
     * 1σ of the excitation optic's band-pass centre around the instrument's (keV).
     * @default DEFAULT_INSTRUMENT_PRIOR.opticCentreKeV (3)
     */
    opticCentreKeV?: number;
    /**
     * Relative 1σ of the excitation optic's band-pass width (σ of its logarithm).
     * @default DEFAULT_INSTRUMENT_PRIOR.opticWidthRelative (0.4)
     */
    opticWidthRelative?: number;
    /**
     * 1σ of the pulse-pair resolution around the instrument's (µs).
     * @default DEFAULT_INSTRUMENT_PRIOR.pulsePairResolutionUs (0.5)
     */
    pulsePairResolutionUs?: number;
  };
  /**
   * Relative 1σ of the forward model's own error for every element (instrument parameters known
   * only to within their tolerances), added in quadrature to each refined mass fraction's σ.
   * @default DEFAULT_SYSTEMATIC_RELATIVE_SIGMA (0.08), from calibration runs with off-nominal
   * instruments
   */
  systematicRelativeSigma?: number;
  /**
   * Relative 1σ from the light-matrix approximation, multiplied by the light-matrix mass fraction
   * and added in quadrature like `systematicRelativeSigma`.
   * @default DEFAULT_MATRIX_RELATIVE_SIGMA (0.17)
   */
  matrixRelativeSigma?: number;
  /**
   * Absolute 1σ floor (a mass fraction) of every refined mass fraction, added in quadrature
   * with the relative terms: the model error of traces does not shrink in proportion to them.
   * @default DEFAULT_SYSTEMATIC_ABSOLUTE_SIGMA (4e-4)
   */
  systematicAbsoluteSigma?: number;
  /**
   * Relative 1σ reported for a density that is held at the network's value (not free): the
   * network's own density error, since the fit does not measure it.
   * @default DEFAULT_HELD_DENSITY_RELATIVE_SIGMA (0.093)
   */
  heldDensityRelativeSigma?: number;
  /**
   * 1σ (µm) of the forward model's own error in the surface position (instrument parameters
   * known only to within their tolerances), added in quadrature to the refined surface's σ.
   * @default DEFAULT_SURFACE_SYSTEMATIC_SIGMA_UM (0.21), from calibration runs with off-nominal
   * instruments
   */
  surfaceSystematicSigmaUm?: number;
  /**
   * Factor (≥ 1) on the surface's Fisher σ before `surfaceSystematicSigmaUm` is added: the
   * surface's model error grows with how weakly the data constrain it.
   * @default DEFAULT_SURFACE_STATISTICAL_SIGMA_SCALE (1.75), from the same calibration runs
   */
  surfaceStatisticalSigmaScale?: number;
  /** Parameters to vary. @default all but density */
  free?: RefineFreeParameters;
  /**
   * Energy window compared (keV). The lower end excludes the lines of the light matrix
   * (Mg–Cl K, 1.25–2.8 keV). @default [2.9, 25.576]
   */
  energyRangeKeV?: readonly [number, number];
  /** Width of the comparison bins (keV). @default 0.024 (the model grid's) */
  binWidthKeV?: number;
  /** Maximum Levenberg–Marquardt iterations (both phases together). @default 20 */
  maxIterations?: number;
  /**
   * Convergence: stop when the Gauss–Newton decrement (the deviance decrease a full step would
   * bring) falls below this, times max(1, deviance / expected deviance). The decrement is the
   * squared distance to the quadratic model's optimum in Fisher σ: 1 stops within about one
   * statistical σ, a fraction of the reported σ (which adds the model error). @default 1
   */
  devianceTolerance?: number;
  /**
   * `fitDescribesData` is false when deviance / expected deviance exceeds this (the expected
   * deviance under Poisson noise, from the fitted model). @default 2
   */
  maxDevianceRatio?: number;
  /**
   * An unexplained peak: a window of one detector FWHM whose depth-summed counts exceed the
   * model by more than `unexplainedPeakSigma` standard deviations and more than
   * `unexplainedPeakFraction` of the modelled counts. @default 8
   */
  unexplainedPeakSigma?: number;
  /** See {@link RefineOptions.unexplainedPeakSigma}. @default 0.1 */
  unexplainedPeakFraction?: number;
  /** Called after each iteration and once at the end. */
  onProgress?: (p: RefineProgress) => void;
}

/** A fitted quantity. */
export interface RefinedValue {
  /** Refined value (in the unit of the field it belongs to). */
  value: number;
  /**
   * 1σ uncertainty: the Fisher-information σ scaled by √max(1, devianceRatio) (the excess
   * scatter of a fit that does not describe the data to within noise), and for mass fractions
   * combined in quadrature with (systematicRelativeSigma ⊕ matrixRelativeSigma · w_matrix) ×
   * value ⊕ systematicAbsoluteSigma; for the surface, that σ × surfaceStatisticalSigmaScale ⊕
   * surfaceSystematicSigmaUm. A density
   * held at the network's value gets heldDensityRelativeSigma × value (its sigmaStatistical is
   * 0); other fixed parameters 0.
   */
  sigma: number;
  /** 1σ from the Fisher information alone (Poisson noise of the counts). */
  sigmaStatistical: number;
  /** Start value (the network's answer). */
  start: number;
  /** Whether the parameter was varied. */
  free: boolean;
  /** Whether the value ended on one of its bounds (its σ is then unreliable). */
  atBound: boolean;
}

/** A refined mass fraction. */
export interface RefinedElement extends RefinedValue {
  /** Element symbol. */
  element: string;
}

/** A problem found with the fit or its input. */
export interface RefineWarning {
  /** Stable code. */
  code: 'MISFIT' | 'UNEXPLAINED_PEAK' | 'NOT_CONVERGED' | 'AT_BOUND';
  /** Human-readable description with numbers. */
  message: string;
}

/** Goodness of fit. */
export interface RefineFitStatistics {
  /** Poisson deviance 2 Σ [m ln(m/f) − (m − f)]. */
  deviance: number;
  /** Number of compared bins (steps × energy bins). */
  nBins: number;
  /** Number of free parameters. */
  nParameters: number;
  /** Degrees of freedom, nBins − nParameters. */
  degreesOfFreedom: number;
  /** deviance / degreesOfFreedom. Below 1 for sparse counts even for a perfect model. */
  reducedDeviance: number;
  /** Pearson χ² / degreesOfFreedom. */
  reducedChiSquare: number;
  /** Expected deviance of the fitted model under Poisson noise, minus nParameters. */
  expectedDeviance: number;
  /** deviance / expectedDeviance: ≈ 1 when the model describes the data to within noise. */
  devianceRatio: number;
  /** (deviance − expectedDeviance) / its standard deviation. */
  devianceZ: number;
}

/** Residuals of the fit on the comparison grid. */
export interface RefineResiduals {
  /** Bin centres of the comparison grid (keV). */
  energyKeV: Float64Array;
  /** Per energy bin, depth-summed Pearson residual (Σm − Σf)/√Σf. */
  perChannel: Float64Array;
  /** Scan positions (µm). */
  depthsUm: Float64Array;
  /** Per scan step, energy-summed Pearson residual (Σm − Σf)/√Σf. */
  perDepth: Float64Array;
  /** Measured counts rebinned onto the grid, row-major `[step][bin]`. */
  measured: Float64Array;
  /** Fitted expected counts, row-major `[step][bin]`. */
  fitted: Float64Array;
  /** The comparison grid as a calibration. */
  calibration: EnergyCalibration;
}

/** Convergence of the minimisation. */
export interface RefineConvergence {
  converged: boolean;
  /** Why it stopped. */
  reason: string;
  /** Levenberg–Marquardt iterations (Jacobian evaluations). */
  iterations: number;
  /** Forward simulations of a bulk spectrum. */
  simulations: number;
  /** Wall time (ms). */
  elapsedMs: number;
}

/** Result of {@link refine}. */
export interface RefineResult {
  /** Refined mass fractions of the fitted elements (0..1). */
  elements: RefinedElement[];
  /** Remainder 1 − Σ fitted fractions, assigned to the light matrix. */
  matrixMassFraction: RefinedValue;
  /** Mixing fraction t of the light-matrix end members, (1 − t)·A + t·B (0 for one matrix). */
  matrixMix: RefinedValue;
  /** Composition of the light matrix at the fitted t (normalised mass fractions). */
  matrix: Record<string, number>;
  /** Density (g/cm³). */
  densityGPerCm3: RefinedValue;
  /** Surface position on the profile's scan axis (µm). */
  surfaceUm: RefinedValue;
  /** The six confocal setup parameters. */
  setup: Record<SetupParameterName, RefinedValue>;
  /**
   * Detector response: calibration offset (keV) and relative gain error of the profile's energy
   * axis against the instrument's, and the FWHM at Mn Kα (eV). Start values: 0, 0 and the
   * instrument's FWHM; σ from the Fisher information (× √max(1, devianceRatio)).
   */
  detector: Record<DetectorParameterName, RefinedValue>;
  /**
   * Instrument parameters of the simulation: the excitation optic's band-pass centre and width
   * (keV) and the pulse-pair resolution (µs). Start values: the instrument's; σ from the Fisher
   * information (× √max(1, devianceRatio)).
   */
  instrument: Record<InstrumentParameterName, RefinedValue>;
  /** Names of the free parameters in the order of `correlation`. */
  parameterNames: string[];
  /** Correlation matrix of the free parameters (row-major, in the fit's parameterisation). */
  correlation: Float64Array;
  /** Goodness of fit. */
  fit: RefineFitStatistics;
  /** False when the fit does not describe the data (see `warnings`). */
  fitDescribesData: boolean;
  /** Problems found; `fitDescribesData` is false when one has code MISFIT or UNEXPLAINED_PEAK. */
  warnings: RefineWarning[];
  /** Residuals on the comparison grid. */
  residuals: RefineResiduals;
  /** Convergence information. */
  convergence: RefineConvergence;
}
