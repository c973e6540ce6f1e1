/**
 * Input checks of {@link refine}: typed errors naming the field, step or channel and the value.
 *
 * @module
 */
import { CmxrfError, describeValue, InvalidArgumentError } from '../errors.js';
import { atomicNumber } from '../physics/elementData.js';
import type { DepthProfile } from '../profile.js';
import type { QuantificationResult } from '../model/result.js';
import type {
  DetectorParameterName,
  InstrumentParameterName,
  RefineOptions,
  SetupParameterName,
} from './types.js';

/** Options after defaults and checks. */
export interface CheckedRefineOptions {
  elements: string[];
  startFractions: number[];
  free: {
    massFractions: boolean;
    density: boolean;
    matrixMix: boolean;
    surface: boolean;
    setup: Record<SetupParameterName, boolean>;
    detector: Record<DetectorParameterName, boolean>;
    instrument: Record<InstrumentParameterName, boolean>;
  };
  energyRangeKeV: [number, number];
  binWidthKeV: number;
  maxIterations: number;
  devianceTolerance: number;
  maxDevianceRatio: number;
  unexplainedPeakSigma: number;
  unexplainedPeakFraction: number;
  prior: {
    densityRelative: number;
    surfaceUm: number;
    opticCentreKeV: number;
    opticWidthRelative: number;
    pulsePairResolutionUs: number;
  };
  systematicRelative: number;
  matrixRelative: number;
  absolute: number;
  surfaceSystematicUm: number;
  surfaceStatisticalScale: number;
  heldDensityRelative: number;
}

/*
 * The systematic σ constants below were derived on the calibration sets only: profiles 0–59 of
 * `npm run eval:refine` with the seeds `refine-calibration` and `refine-calibration-2` … `-5`
 * (300 profiles, disjoint from the acceptance seeds `refine-eval` and `refine-confirm`), the
 * instrument drawn from the training ranges with calibration drift
 * (`--ranges instruments/m4-tornado.ranges.json --drift`), run with the systematic terms set to 0
 * (the surface's Fisher-σ factor to 1), the refinement's defaults otherwise (detector and
 * instrument fitted), and `--json` records, then
 * `npx tsx scripts/calibrate-refine-sigma.ts <records…>` (docs/refinement.md, "Deriving the
 * systematic terms").
 * Mass fractions: a grid over (relative, matrix-relative, absolute floor) minimising the largest
 * departure of the ±1σ coverage from 68 % over three concentration levels (0.1–1, 1–10,
 * ≥ 10 wt%) and over light (w_matrix > 0.5) and metal matrices, on the training-ranges records
 * (the declared ranges of the model card; the tolerance records are then over-covered): 0.08,
 * 0.17, 4e-4 give 68.1 % overall, 70.0 / 64.4 / 72.3 % by level and 68.6 / 66.4 % light / metal
 * (1173 pairs). One calibration seed alone (60 profiles) was not enough: its constants (0.04,
 * 0.23) under-covered the main elements of the acceptance sets (33–46 % at ≥ 10 wt%), and the
 * five seeds alone give constants from (0.04, 0.24) to (0.13, 0.12).
 * A single relative term cannot: the best, ε = 0.17, gives 68.1 % overall but 87.0 % at ≥ 10 wt%
 * and 61.0 % at 0.1–1 wt% (traces and minors in light matrices carry most of the error).
 */

/**
 * Default relative 1σ of the forward model's element sensitivities for an instrument known
 * to within the ranges of docs/refinement.md, for every element (calibration sets
 * 'refine-calibration', 'refine-calibration-2' … '-5', see the derivation above).
 */
export const DEFAULT_SYSTEMATIC_RELATIVE_SIGMA = 0.08;

/**
 * Whether the detector's energy calibration (offset, gain) and resolution are fitted by
 * default: on the acceptance profiles the median error of mass fractions ≥ 0.1 wt% falls from
 * 13.1 % to 10.4 % with it, and on a real M4 Cu-foil scan the reduced deviance from 18.2 to 2.7
 * (docs/refinement.md).
 */
export const DEFAULT_FIT_DETECTOR = true;

/**
 * Whether the excitation optic's band-pass (centre, width) and the pulse-pair resolution are
 * fitted by default (see docs/refinement.md for the measurements behind the choice).
 */
export const DEFAULT_FIT_INSTRUMENT = true;

/**
 * Default 1σ of the Gaussian priors of the fitted instrument parameters around the
 * instrument's values: how far a real unit may be from its description (see
 * docs/refinement.md). `Infinity` switches a prior off.
 */
export const DEFAULT_INSTRUMENT_PRIOR = {
  /** Excitation optic band-pass centre (keV). */
  opticCentreKeV: 3,
  /** Excitation optic band-pass width, relative (a σ of ln width). */
  opticWidthRelative: 0.4,
  /** Pulse-pair resolution (µs). */
  pulsePairResolutionUs: 0.5,
} as const;

/**
 * Default relative 1σ from the light-matrix approximation, multiplied by the light-matrix mass
 * fraction (same calibration, see above).
 */
export const DEFAULT_MATRIX_RELATIVE_SIGMA = 0.17;

/**
 * Default absolute 1σ floor of every refined mass fraction (a mass fraction, 0.04 wt%), added in
 * quadrature (same calibration, see above).
 */
export const DEFAULT_SYSTEMATIC_ABSOLUTE_SIGMA = 4e-4;

/**
 * Default 1σ (µm) of the forward model's own error in the surface position for an instrument
 * known to within the ranges of docs/refinement.md (same calibration set), added in quadrature
 * to the scaled Fisher σ ({@link DEFAULT_SURFACE_STATISTICAL_SIGMA_SCALE}): the nominal
 * instrument's depth response differs slightly from the real one and shifts the fitted surface
 * by a few tenths of a micrometre, far more than counting noise does.
 */
export const DEFAULT_SURFACE_SYSTEMATIC_SIGMA_UM = 0.21;

/**
 * Default factor on the surface's Fisher σ (× √max(1, deviance ratio)). The surface error grows
 * with the Fisher σ (weakly constrained surfaces of light, low-density samples), so a constant
 * term alone over-covers the best-measured third of the profiles and under-covers the worst
 * (74.0 / 72.0 / 58.0 % by Fisher-σ tercile with 0.27 µm alone). The pair (factor, constant)
 * minimising the largest departure from 68 % over the three terciles (grid 1–8 by 0.25,
 * 0–0.4 µm by 0.01) on the 300 training-ranges calibration records: 1.75 and 0.21 µm, 68.0 %
 * overall, 67.0 / 69.0 / 68.0 % by tercile.
 */
export const DEFAULT_SURFACE_STATISTICAL_SIGMA_SCALE = 1.75;

/**
 * Default relative 1σ of a density held at the network's value (the default: the fit does not
 * vary it): the network's own density error, the smallest value on a 0.001 grid with
 * |ρ_network − ρ| ≤ σ · ρ_network for ≥ 68 % of the 300 training-ranges calibration profiles
 * (68.0 %).
 */
export const DEFAULT_HELD_DENSITY_RELATIVE_SIGMA = 0.093;

const SETUP_NAMES: readonly SetupParameterName[] = [
  'tA',
  'tB',
  'tM',
  'sigmaMaxUm',
  'sigmaExpPerKeV',
  'sigmaOffUm',
];

const bad = (what: string, expected: string, value: unknown): never => {
  throw new InvalidArgumentError(
    `refine: ${what} must be ${expected}. Value: \`${describeValue(value)}\`.`,
  );
};

const finite = (what: string, v: unknown, min = -Infinity, max = Infinity): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    bad(what, `a finite number in [${min}, ${max}]`, v);
  return v as number;
};

const positiveOrInfinity = (what: string, v: unknown): number => {
  if (typeof v !== 'number' || !(v > 0)) bad(what, 'a positive number or Infinity', v);
  return v as number;
};

function checkProfile(p: DepthProfile): void {
  if (typeof p !== 'object' || p === null) bad('profile', 'a DepthProfile object', p);
  const { nSteps, nChannels, counts } = p;
  if (!Number.isInteger(nSteps) || nSteps < 2) bad('profile.nSteps', 'an integer ≥ 2', nSteps);
  if (!Number.isInteger(nChannels) || nChannels < 16)
    bad('profile.nChannels', 'an integer ≥ 16', nChannels);
  if (!(counts instanceof Float32Array || counts instanceof Float64Array))
    bad('profile.counts', 'a Float32Array or Float64Array', counts);
  if (counts.length !== nSteps * nChannels)
    bad('profile.counts.length', `nSteps · nChannels = ${nSteps * nChannels}`, counts.length);
  const cal = p.calibration;
  if (typeof cal !== 'object' || cal === null) bad('profile.calibration', 'an object', cal);
  finite('profile.calibration.offsetKeV', cal.offsetKeV);
  if (!(cal.gainKeVPerChannel > 0))
    bad('profile.calibration.gainKeVPerChannel', 'a positive number', cal.gainKeVPerChannel);
  if (cal.nChannels !== nChannels)
    bad('profile.calibration.nChannels', `equal to nChannels = ${nChannels}`, cal.nChannels);
  if (!p.depthsUm || p.depthsUm.length !== nSteps)
    bad('profile.depthsUm', `${nSteps} scan positions`, p.depthsUm?.length);
  if (!p.liveTimesS || p.liveTimesS.length !== nSteps)
    bad('profile.liveTimesS', `${nSteps} live times`, p.liveTimesS?.length);
  for (let j = 0; j < nSteps; j++) {
    finite(`profile.depthsUm[${j}]`, p.depthsUm[j]);
    if (j > 0 && !(p.depthsUm[j] > p.depthsUm[j - 1]))
      bad(
        `profile.depthsUm[${j}]`,
        `greater than depthsUm[${j - 1}] = ${p.depthsUm[j - 1]} (strictly increasing)`,
        p.depthsUm[j],
      );
    const t = p.liveTimesS[j];
    if (!(t > 0) || !Number.isFinite(t)) bad(`profile.liveTimesS[${j}]`, 'finite and > 0 s', t);
  }
  for (let i = 0; i < counts.length; i++) {
    const v = counts[i];
    if (v >= 0 && v !== Infinity) continue;
    const step = Math.floor(i / nChannels);
    bad(`profile.counts at step ${step}, channel ${i - step * nChannels}`, 'finite and ≥ 0', v);
  }
}

function checkResult(r: QuantificationResult): void {
  if (typeof r !== 'object' || r === null || !Array.isArray(r.elements))
    bad('result', 'a QuantificationResult with an elements array', r);
  finite('result.densityGPerCm3', r.densityGPerCm3, Number.MIN_VALUE);
  finite('result.surfaceUm', r.surfaceUm);
  if (typeof r.setup !== 'object' || r.setup === null) bad('result.setup', 'an object', r.setup);
  for (const n of SETUP_NAMES) finite(`result.setup.${n}`, r.setup[n]);
  if (!(r.setup.tB > 0)) bad('result.setup.tB', 'a positive number', r.setup.tB);
  r.elements.forEach((e, i) => {
    finite(`result.elements[${i}].massFraction`, e.massFraction, 0);
    finite(`result.elements[${i}].massFractionRaw`, e.massFractionRaw, 0);
  });
}

/** Checks the inputs of `refine` and resolves its defaults. */
export function checkRefineInput(
  profile: DepthProfile,
  result: QuantificationResult,
  options: RefineOptions,
): CheckedRefineOptions {
  checkProfile(profile);
  checkResult(result);
  if (typeof options !== 'object' || options === null) bad('options', 'an object', options);
  if (Array.isArray(options.matrix) && options.matrix.length !== 2)
    bad('options.matrix', 'one material or a pair of end members', options.matrix);

  let elements: string[];
  if (options.elements !== undefined) {
    if (!Array.isArray(options.elements))
      bad('options.elements', 'an array of symbols', options.elements);
    elements = [...options.elements];
  } else elements = result.elements.filter((e) => e.massFraction > 0).map((e) => e.element);
  const seen = new Set<string>();
  for (const el of elements) {
    try {
      atomicNumber(el);
    } catch (e) {
      if (e instanceof CmxrfError) bad('options.elements', 'element symbols (e.g. "Fe")', el);
      throw e;
    }
    if (seen.has(el)) bad('options.elements', 'free of duplicates', el);
    seen.add(el);
  }
  const startFractions = elements.map((el) => {
    const q = result.elements.find((e) => e.element === el);
    const w = q ? (q.massFraction > 0 ? q.massFraction : q.massFractionRaw) : 0;
    return Math.min(Math.max(w, 1e-6), 0.99);
  });

  const fr = options.free ?? {};
  const setupFree = freeFlags(SETUP_NAMES, fr.setup, true);
  const detectorFree = freeFlags(
    ['offsetKeV', 'gainRelative', 'fwhmAtMnKaEv'] as const,
    fr.detector,
    DEFAULT_FIT_DETECTOR,
  );
  const instrumentFree = freeFlags(
    ['opticCentreKeV', 'opticWidthKeV', 'pulsePairResolutionUs'] as const,
    fr.instrument,
    DEFAULT_FIT_INSTRUMENT,
  );
  const range = options.energyRangeKeV ?? [2.9, 25.576];
  if (!Array.isArray(range) || range.length !== 2)
    bad('options.energyRangeKeV', 'a pair [lowKeV, highKeV]', range);
  finite('options.energyRangeKeV[0]', range[0], 0);
  finite('options.energyRangeKeV[1]', range[1], range[0]);
  return {
    elements,
    startFractions,
    free: {
      massFractions: fr.massFractions ?? true,
      density: fr.density ?? false,
      matrixMix: fr.matrixMix ?? true,
      surface: fr.surface ?? true,
      setup: setupFree,
      detector: detectorFree,
      instrument: instrumentFree,
    },
    energyRangeKeV: [range[0], range[1]],
    binWidthKeV: finite('options.binWidthKeV', options.binWidthKeV ?? 0.024, 1e-4, 1),
    maxIterations: Math.floor(finite('options.maxIterations', options.maxIterations ?? 20, 1, 1e4)),
    devianceTolerance: finite('options.devianceTolerance', options.devianceTolerance ?? 1, 0),
    maxDevianceRatio: finite('options.maxDevianceRatio', options.maxDevianceRatio ?? 2, 1),
    systematicRelative: finite(
      'options.systematicRelativeSigma',
      options.systematicRelativeSigma ?? DEFAULT_SYSTEMATIC_RELATIVE_SIGMA,
      0,
      10,
    ),
    matrixRelative: finite(
      'options.matrixRelativeSigma',
      options.matrixRelativeSigma ?? DEFAULT_MATRIX_RELATIVE_SIGMA,
      0,
      10,
    ),
    absolute: finite(
      'options.systematicAbsoluteSigma',
      options.systematicAbsoluteSigma ?? DEFAULT_SYSTEMATIC_ABSOLUTE_SIGMA,
      0,
      1,
    ),
    heldDensityRelative: finite(
      'options.heldDensityRelativeSigma',
      options.heldDensityRelativeSigma ?? DEFAULT_HELD_DENSITY_RELATIVE_SIGMA,
      0,
      10,
    ),
    surfaceStatisticalScale: finite(
      'options.surfaceStatisticalSigmaScale',
      options.surfaceStatisticalSigmaScale ?? DEFAULT_SURFACE_STATISTICAL_SIGMA_SCALE,
      1,
      100,
    ),
    surfaceSystematicUm: finite(
      'options.surfaceSystematicSigmaUm',
      options.surfaceSystematicSigmaUm ?? DEFAULT_SURFACE_SYSTEMATIC_SIGMA_UM,
      0,
      1000,
    ),
    prior: {
      densityRelative: positiveOrInfinity(
        'options.prior.densityRelative',
        options.prior?.densityRelative ?? 0.05,
      ),
      surfaceUm: positiveOrInfinity(
        'options.prior.surfaceUm',
        options.prior?.surfaceUm ?? Infinity,
      ),
      opticCentreKeV: positiveOrInfinity(
        'options.prior.opticCentreKeV',
        options.prior?.opticCentreKeV ?? DEFAULT_INSTRUMENT_PRIOR.opticCentreKeV,
      ),
      opticWidthRelative: positiveOrInfinity(
        'options.prior.opticWidthRelative',
        options.prior?.opticWidthRelative ?? DEFAULT_INSTRUMENT_PRIOR.opticWidthRelative,
      ),
      pulsePairResolutionUs: positiveOrInfinity(
        'options.prior.pulsePairResolutionUs',
        options.prior?.pulsePairResolutionUs ?? DEFAULT_INSTRUMENT_PRIOR.pulsePairResolutionUs,
      ),
    },
    unexplainedPeakSigma: finite(
      'options.unexplainedPeakSigma',
      options.unexplainedPeakSigma ?? 8,
      0,
    ),
    unexplainedPeakFraction: finite(
      'options.unexplainedPeakFraction',
      options.unexplainedPeakFraction ?? 0.1,
      0,
    ),
  };
}

/** Per-parameter free flags from `true`/`false` for the group or a partial record. */
function freeFlags<N extends string>(
  names: readonly N[],
  spec: boolean | Partial<Record<N, boolean>> | undefined,
  dflt: boolean,
): Record<N, boolean> {
  const out = {} as Record<N, boolean>;
  for (const n of names)
    out[n] = spec === undefined ? dflt : typeof spec === 'boolean' ? spec : (spec[n] ?? dflt);
  return out;
}
