/**
 * The six-parameter confocal transform (docs/physics.md §8): turns a bulk MXRF spectrum Φ0(E) of a
 * homogeneous thick sample into the depth profile a confocal setup records,
 *
 *   I(E, x_n) = Φ0(E) · B(E) · A(E, x_n) · C(E, x_n) · T(E),   B = μ_lin·Δ,
 *   A·C = ½ · exp(−μ_lin z + μ_lin² σ²/2) · erfc((μ_lin σ² − z) / (√2 σ)),   z = x_n − x0,
 *   σ(E) = sigmaMaxUm · exp(−sigmaExpPerKeV · E) + sigmaOffUm,
 *   T(E) = tA · exp(−(E − tM)² / (2 tB²)).
 *
 * A·C is the convolution of the Gaussian depth sensitivity (width σ) with exp(−μ_lin z)·[z ≥ 0],
 * so ∫A·C dx = 1/μ_lin and, on a scan that covers the profile, Σ_n I(E, x_n) = Φ0(E)·T(E).
 * Everything is per channel: the caller supplies Φ0, μ_lin and E as arrays (no physics here).
 *
 * @see B. Kanngießer, W. Malzer, I. Reiche, "A new 3D micro X-ray fluorescence analysis set-up",
 *   Nucl. Instrum. Methods B 211 (2003) 259–264, doi:10.1016/S0168-583X(03)01321-1
 * @see W. Malzer, B. Kanngießer, "A model for the confocal volume of 3D micro X-ray fluorescence
 *   spectrometer", Spectrochim. Acta B 60 (2005) 1334–1341, doi:10.1016/j.sab.2005.08.002
 * @module
 */

import { InvalidArgumentError, requireFinite } from '../errors';
import type { ConfocalSetup, DepthProfile, EnergyCalibration } from '../profile';
import { fillConfocal, type ConfocalFillParams } from './confocalKernel.js';

export { confocalKernel } from './confocalKernel.js';

/** Default number of scan positions (the model grid of docs/dataset-format.md). */
export const DEFAULT_CONFOCAL_STEPS = 40;
/** Default scan step Δ (µm). */
export const DEFAULT_CONFOCAL_STEP_UM = 5;

/**
 * What B(E) is: `'muLinStep'` — B = μ_lin·Δ, the paper's eq. (1), so that Σ_n I = Φ0·T;
 * `'none'` — B = 1, so I = Φ0·A·C·T is the profile of a sample with a per-depth yield Φ0 (it
 * tends to Φ0·T·Φ_normal((x − x0)/σ) as μ_lin → 0, a flat plateau below the surface).
 */
export type ConfocalNormalisation = 'muLinStep' | 'none';

/** Scan grid and normalisation of the transform. */
export interface ConfocalGridOptions {
  /**
   * Scan positions x_n on the scan axis (µm), strictly increasing (into the sample).
   * @default 40 positions 0, 5, …, 195 µm
   */
  depthsUm?: ArrayLike<number>;
  /**
   * Scan step Δ (µm) in B = μ_lin·Δ.
   * @default the spacing of `depthsUm` (required if they are not uniformly spaced or only one)
   */
  stepUm?: number;
  /** @default 'muLinStep' */
  normalisation?: ConfocalNormalisation;
}

/** Options of {@link confocalProfileFactors}. */
export interface ConfocalProfileFactorsOptions<
  T extends Float32Array | Float64Array = Float32Array,
> extends ConfocalGridOptions {
  /** Output buffer of length nSteps · nChannels (row-major `[step][channel]`). */
  out?: T;
}

/** Per-channel input of {@link confocalDepthProfile}. */
export interface ConfocalChannels {
  /** Bulk (thick-sample) spectrum Φ0 per channel: counts or counts/s, ≥ 0. */
  phi0: ArrayLike<number>;
  /** Effective linear attenuation μ_lin per channel (1/µm, ≥ 0). */
  muLinPerUm: ArrayLike<number>;
  /** Channel energies (keV). @default channel centres of `calibration` */
  energyKeV?: ArrayLike<number>;
  /** Calibration reported in the result. @default fitted to `energyKeV` (must then be uniform) */
  calibration?: EnergyCalibration;
}

/** Options of {@link confocalDepthProfile}. */
export interface ConfocalDepthProfileOptions<
  T extends Float32Array | Float64Array = Float32Array,
> extends ConfocalProfileFactorsOptions<T> {
  /** Live time per step (s) reported in `liveTimesS`; metadata only, nothing is scaled. @default 1 */
  liveTimeS?: number;
  /** Free-form origin copied to the result. */
  source?: string;
}

/** Result of {@link confocalDepthProfile}: a {@link DepthProfile} plus the transform's inputs. */
export interface ConfocalDepthProfile<
  T extends Float32Array | Float64Array = Float32Array,
> extends DepthProfile {
  /** I(E, x_n), row-major `[step][channel]`, in the units of Φ0. */
  counts: T;
  /** Surface position x0 on the scan axis (µm). */
  x0Um: number;
  /** Scan step Δ used in B = μ_lin·Δ (µm). */
  stepUm: number;
  /** Normalisation used. */
  normalisation: ConfocalNormalisation;
}

/**
 * Depth-sensitivity width σ(E) = sigmaMaxUm·exp(−sigmaExpPerKeV·E) + sigmaOffUm (µm).
 *
 * @param setup - The six confocal parameters.
 * @param energyKeV - Photon energy (keV).
 * @returns σ(E) (µm); not validated.
 * @example
 * ```ts
 * confocalSigmaUm({ sigmaMaxUm: 20, sigmaExpPerKeV: 0.1, sigmaOffUm: 5, tA: 1, tB: 5, tM: 10 }, 0);
 * // returns 25
 * ```
 */
export function confocalSigmaUm(setup: ConfocalSetup, energyKeV: number): number {
  return setup.sigmaMaxUm * Math.exp(-setup.sigmaExpPerKeV * energyKeV) + setup.sigmaOffUm;
}

/**
 * Detection-optic band-pass T(E) = tA·exp(−(E − tM)²/(2 tB²)) (dimensionless).
 *
 * @param setup - The six confocal parameters.
 * @param energyKeV - Photon energy (keV).
 * @returns T(E); not validated.
 * @example
 * ```ts
 * confocalTransmission({ sigmaMaxUm: 20, sigmaExpPerKeV: 0.1, sigmaOffUm: 5, tA: 0.8, tB: 5, tM: 10 }, 10);
 * // returns 0.8
 * ```
 */
export function confocalTransmission(setup: ConfocalSetup, energyKeV: number): number {
  const d = (energyKeV - setup.tM) / setup.tB;
  return setup.tA * Math.exp(-0.5 * d * d);
}

/** Default scan positions 0, 5, …, 195 µm (a fresh array). */
export function defaultConfocalDepthsUm(): Float64Array {
  const d = new Float64Array(DEFAULT_CONFOCAL_STEPS);
  for (let n = 0; n < d.length; n++) d[n] = n * DEFAULT_CONFOCAL_STEP_UM;
  return d;
}

/**
 * Multiplicative depth-profile factors F(E, x_n) = B(E)·A(E, x_n)·C(E, x_n)·T(E), so that
 * I(E, x_n) = Φ0(E)·F(E, x_n). Compute them once per (setup, μ_lin) and scale several bulk
 * spectra (e.g. per-element parts of Φ0) by them.
 *
 * Channels with μ_lin = 0 give exactly 0 under `'muLinStep'` (B = 0; continuous, because
 * 0 ≤ A·C ≤ 1), and T·Φ_normal((x − x0)/σ) under `'none'`.
 *
 * @param muLinPerUm - μ_lin per channel (1/µm, ≥ 0).
 * @param energyKeV - Channel energies (keV), same length.
 * @param setup - The six confocal parameters (σ(E) > 0 over the channels, tB > 0, tA ≥ 0).
 * @param x0Um - Surface position on the scan axis (µm).
 * @param options - Scan grid, normalisation, output buffer.
 * @returns Row-major `[step][channel]` factors (dimensionless), `options.out` if given.
 * @throws InvalidArgumentError naming the parameter (and index) and quoting the value.
 * @see doi:10.1016/j.sab.2005.08.002
 * @example
 * ```ts
 * const setup = { tA: 1, tB: 5, tM: 10, sigmaMaxUm: 0, sigmaExpPerKeV: 0, sigmaOffUm: 10 };
 * const f = confocalProfileFactors([0.1], [10], setup, 20, { depthsUm: [0, 20, 1000], stepUm: 5 });
 * // f[1] ≈ 0.1 · 5 · e^0.5 · ½erfc(1/√2) ≈ 0.1308 (at the surface), f[2] ≈ 2.3e-43 (980 µm deep)
 * ```
 */
export function confocalProfileFactors<T extends Float32Array | Float64Array = Float32Array>(
  muLinPerUm: ArrayLike<number>,
  energyKeV: ArrayLike<number>,
  setup: ConfocalSetup,
  x0Um: number,
  options: ConfocalProfileFactorsOptions<T> = {},
): T {
  const p = prepare(null, muLinPerUm, energyKeV, setup, x0Um, options);
  fillConfocal(p);
  return p.out as T;
}

/**
 * Confocal depth profile I(E, x_n) = Φ0·B·A·C·T of a homogeneous bulk sample (docs/physics.md §8),
 * per channel. A channel with Φ0 = 0 (an absent element) gives exactly 0 at every depth.
 *
 * Normalisation (`'muLinStep'`, the default): B = μ_lin·Δ, hence Σ_n I(E, x_n) = Φ0·T up to
 * (a) the part of the profile outside the scan and (b) the sampling (aliasing) term
 * 2Σ_{k≥1} exp(−2π²k²σ²/Δ²)·|μ_lin/(μ_lin + 2πik/Δ)| (< 1e-6 for σ ≥ Δ).
 *
 * @param channels - Φ0, μ_lin and energies (or a calibration) per channel.
 * @param setup - The six confocal parameters.
 * @param x0Um - Surface position on the scan axis (µm).
 * @param options - Scan grid, normalisation, output buffer, metadata.
 * @returns The profile with its calibration and depth metadata.
 * @throws InvalidArgumentError naming the parameter (and index) and quoting the value.
 * @see doi:10.1016/S0168-583X(03)01321-1
 * @see doi:10.1016/j.sab.2005.08.002
 * @example
 * ```ts
 * const setup = { tA: 1, tB: 5, tM: 10, sigmaMaxUm: 20, sigmaExpPerKeV: 0.1, sigmaOffUm: 5 };
 * const p = confocalDepthProfile(
 *   { phi0: [1000, 0], muLinPerUm: [0.05, 0.05], calibration: { offsetKeV: 8, gainKeVPerChannel: 0.01, nChannels: 2 } },
 *   setup,
 *   30,
 * );
 * // p.nSteps === 40; p.counts[n * 2 + 1] === 0 for every n
 * ```
 */
export function confocalDepthProfile<T extends Float32Array | Float64Array = Float32Array>(
  channels: ConfocalChannels,
  setup: ConfocalSetup,
  x0Um: number,
  options: ConfocalDepthProfileOptions<T> = {},
): ConfocalDepthProfile<T> {
  const { phi0, muLinPerUm } = channels;
  let energyKeV = channels.energyKeV;
  let calibration = channels.calibration;
  if (calibration !== undefined) {
    const nCh = calibration.nChannels;
    if (!Number.isInteger(nCh) || nCh < 1)
      throw new InvalidArgumentError(
        `calibration.nChannels must be a positive integer. Value: \`${nCh}\`.`,
      );
    requireFinite('calibration.offsetKeV', calibration.offsetKeV);
    requireFinite('calibration.gainKeVPerChannel', calibration.gainKeVPerChannel);
    if (energyKeV === undefined) {
      const e = new Float64Array(nCh);
      for (let k = 0; k < nCh; k++)
        e[k] = calibration.offsetKeV + calibration.gainKeVPerChannel * k;
      energyKeV = e;
    } else if (energyKeV.length !== nCh) {
      throw new InvalidArgumentError(
        `energyKeV.length must equal calibration.nChannels (${nCh}). Value: \`${energyKeV.length}\`.`,
      );
    }
  } else {
    if (energyKeV === undefined)
      throw new InvalidArgumentError(
        'channels needs energyKeV or calibration. Value: `undefined`.',
      );
    calibration = fitCalibration(energyKeV);
  }
  const liveTimeS = requireFinite('liveTimeS', options.liveTimeS ?? 1, { min: 0 });
  const p = prepare(phi0, muLinPerUm, energyKeV, setup, x0Um, options);
  fillConfocal(p);
  const liveTimesS = new Float64Array(p.nSteps).fill(liveTimeS);
  const result: ConfocalDepthProfile<T> = {
    counts: p.out as T,
    nSteps: p.nSteps,
    nChannels: p.nChannels,
    depthsUm: Float64Array.from(p.depthsUm),
    calibration: { ...calibration },
    liveTimesS,
    x0Um,
    stepUm: p.stepUm,
    normalisation: p.normalise ? 'muLinStep' : 'none',
  };
  if (options.source !== undefined) result.source = options.source;
  return result;
}

/** Linear calibration through uniformly spaced channel energies (throws if not uniform). */
function fitCalibration(energyKeV: ArrayLike<number>): EnergyCalibration {
  const n = energyKeV.length;
  if (n === 0) throw new InvalidArgumentError('energyKeV must not be empty. Value: `[]`.');
  const e0 = requireFinite('energyKeV[0]', energyKeV[0]);
  const gain = n > 1 ? (requireFinite(`energyKeV[${n - 1}]`, energyKeV[n - 1]) - e0) / (n - 1) : 0;
  for (let k = 1; k < n - 1; k++) {
    const e = energyKeV[k];
    if (!(Math.abs(e - (e0 + gain * k)) <= 1e-9 * Math.max(Math.abs(gain), 1e-12) * n))
      throw new InvalidArgumentError(
        `energyKeV is not uniformly spaced (pass calibration): energyKeV[${k}] should be ` +
          `${e0 + gain * k}. Value: \`${e}\`.`,
      );
  }
  return { offsetKeV: e0, gainKeVPerChannel: gain, nChannels: n };
}

/** Validates the inputs and resolves defaults into the kernel's parameter block. */
function prepare(
  phi0: ArrayLike<number> | null,
  muLinPerUm: ArrayLike<number>,
  energyKeV: ArrayLike<number>,
  setup: ConfocalSetup,
  x0Um: number,
  options: ConfocalProfileFactorsOptions<Float32Array | Float64Array>,
): ConfocalFillParams {
  const nCh = muLinPerUm.length;
  if (nCh === 0) throw new InvalidArgumentError('muLinPerUm must not be empty. Value: `[]`.');
  if (energyKeV.length !== nCh)
    throw new InvalidArgumentError(
      `energyKeV.length must equal muLinPerUm.length (${nCh}). Value: \`${energyKeV.length}\`.`,
    );
  if (phi0 !== null && phi0.length !== nCh)
    throw new InvalidArgumentError(
      `phi0.length must equal muLinPerUm.length (${nCh}). Value: \`${phi0.length}\`.`,
    );
  requireFinite('x0Um', x0Um);
  requireFinite('setup.tA', setup.tA, { min: 0 });
  requireFinite('setup.tB', setup.tB, { min: 0, exclusiveMin: true });
  requireFinite('setup.tM', setup.tM);
  requireFinite('setup.sigmaMaxUm', setup.sigmaMaxUm);
  requireFinite('setup.sigmaExpPerKeV', setup.sigmaExpPerKeV);
  requireFinite('setup.sigmaOffUm', setup.sigmaOffUm);

  let eMin = Infinity;
  let eMax = -Infinity;
  for (let k = 0; k < nCh; k++) {
    const mu = muLinPerUm[k];
    if (!(mu >= 0 && mu < Infinity)) requireFinite(`muLinPerUm[${k}]`, mu, { min: 0 });
    const e = energyKeV[k];
    if (!(e > -Infinity && e < Infinity)) requireFinite(`energyKeV[${k}]`, e);
    if (e < eMin) eMin = e;
    if (e > eMax) eMax = e;
    if (phi0 !== null) {
      const f = phi0[k];
      if (!(f >= 0 && f < Infinity)) requireFinite(`phi0[${k}]`, f, { min: 0 });
    }
  }
  // σ(E) is monotone in E, so its extremes over the channels lie at eMin and eMax.
  for (const e of [eMin, eMax]) {
    const s = confocalSigmaUm(setup, e);
    if (!(s > 0 && s < Infinity))
      throw new InvalidArgumentError(
        `σ(E) = sigmaMaxUm·exp(−sigmaExpPerKeV·E) + sigmaOffUm must be finite and > 0 at ` +
          `E = ${e} keV. Value: \`${s}\`.`,
      );
  }

  const depthsUm = options.depthsUm ?? defaultConfocalDepthsUm();
  const nSteps = depthsUm.length;
  if (nSteps === 0) throw new InvalidArgumentError('depthsUm must not be empty. Value: `[]`.');
  for (let n = 0; n < nSteps; n++) {
    requireFinite(`depthsUm[${n}]`, depthsUm[n]);
    if (n > 0 && !(depthsUm[n] > depthsUm[n - 1]))
      throw new InvalidArgumentError(
        `depthsUm must be strictly increasing: depthsUm[${n}] ≤ depthsUm[${n - 1}] = ` +
          `${depthsUm[n - 1]}. Value: \`${depthsUm[n]}\`.`,
      );
  }
  // Uniform spacing enables the recurrence fast path and defines the default step.
  let gridUm = nSteps > 1 ? (depthsUm[nSteps - 1] - depthsUm[0]) / (nSteps - 1) : NaN;
  for (let n = 1; n < nSteps - 1 && gridUm === gridUm; n++)
    if (!(Math.abs(depthsUm[n] - (depthsUm[0] + n * gridUm)) <= 1e-10 * gridUm)) gridUm = NaN;
  let stepUm = options.stepUm;
  if (stepUm === undefined) {
    if (!(gridUm > 0))
      throw new InvalidArgumentError(
        'stepUm is required when depthsUm has one entry or is not uniformly spaced. ' +
          'Value: `undefined`.',
      );
    stepUm = gridUm;
  }
  requireFinite('stepUm', stepUm, { min: 0, exclusiveMin: true });

  const normalisation = options.normalisation ?? 'muLinStep';
  if (normalisation !== 'muLinStep' && normalisation !== 'none')
    throw new InvalidArgumentError(
      `normalisation must be 'muLinStep' or 'none'. Value: \`${String(normalisation)}\`.`,
    );

  const size = nSteps * nCh;
  let out = options.out;
  if (out === undefined) out = new Float32Array(size);
  else if (!(out instanceof Float32Array || out instanceof Float64Array) || out.length !== size)
    throw new InvalidArgumentError(
      `out must be a Float32Array or Float64Array of length nSteps·nChannels = ${size}. ` +
        `Value: \`length ${out.length}\`.`,
    );
  return {
    phi0,
    muLinPerUm,
    energyKeV,
    setup,
    x0Um,
    depthsUm,
    nSteps,
    nChannels: nCh,
    gridUm,
    stepUm,
    normalise: normalisation === 'muLinStep',
    out,
  };
}
