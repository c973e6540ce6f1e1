/**
 * Random confocal setups (docs/physics.md §8).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { ConfocalSetup } from '../profile.js';
import { uniform, type Rng } from './rng.js';

/** FWHM of a Gaussian in units of its σ: 2·√(2 ln 2). */
export const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);
/** Energy of Cu Kα (keV) at which the FWHM of the probing volume is constrained. */
export const CU_K_ALPHA_KEV = 8.04;

/** Ranges of {@link sampleSetup}; each parameter is drawn uniformly in its range. */
export interface SampleSetupOptions {
  /** @default [10, 40] µm */
  sigmaMaxUm?: readonly [number, number];
  /** @default [0.05, 0.3] 1/keV */
  sigmaExpPerKeV?: readonly [number, number];
  /** @default [3, 12] µm */
  sigmaOffUm?: readonly [number, number];
  /** @default [8, 14] keV */
  tM?: readonly [number, number];
  /** @default [3, 8] keV */
  tB?: readonly [number, number];
  /** @default [0.5, 1.5] */
  tA?: readonly [number, number];
  /** Accepted FWHM of the depth response at Cu Kα, 8.04 keV. @default [20, 45] µm */
  fwhmAtCuKAlphaUm?: readonly [number, number];
  /** Redraws before giving up. @default 10000 */
  maxTries?: number;
}

/**
 * σ(E) = sigmaMaxUm · exp(−sigmaExpPerKeV · E) + sigmaOffUm, the Gaussian width (µm) of the
 * confocal depth response at energy E (keV).
 *
 * @example
 * ```ts
 * sigmaUm({ sigmaMaxUm: 20, sigmaExpPerKeV: 0.1, sigmaOffUm: 5, tA: 1, tB: 5, tM: 10 }, 8.04);
 * // ≈ 13.95
 * ```
 */
export function sigmaUm(setup: ConfocalSetup, energyKeV: number): number {
  return setup.sigmaMaxUm * Math.exp(-setup.sigmaExpPerKeV * energyKeV) + setup.sigmaOffUm;
}

/**
 * Samples the six parameters of the confocal transform uniformly in the ranges of docs/physics.md §8
 * and redraws the σ(E) triple until the FWHM at Cu Kα, 2.3548·σ(8.04 keV), lies in
 * `fwhmAtCuKAlphaUm` (about half of the draws are accepted with the defaults). The result is
 * thus uniform on the accepted region.
 *
 * @param rng - Source of randomness.
 * @param options - Ranges; see {@link SampleSetupOptions}.
 * @returns A {@link ConfocalSetup}.
 * @throws InvalidArgumentError if no draw is accepted within `maxTries` (inconsistent ranges).
 * @see B. Kanngießer, W. Malzer, I. Reiche, "A new 3D micro X-ray fluorescence analysis set-up",
 *   Nucl. Instrum. Methods B 211 (2003) 259–264, doi:10.1016/S0168-583X(03)01321-1
 * @example
 * ```ts
 * const setup = sampleSetup(createRng('setup'));
 * 2.3548 * sigmaUm(setup, 8.04); // in [20, 45]
 * ```
 */
export function sampleSetup(rng: Rng, options: SampleSetupOptions = {}): ConfocalSetup {
  const sigmaMax = options.sigmaMaxUm ?? [10, 40];
  const sigmaExp = options.sigmaExpPerKeV ?? [0.05, 0.3];
  const sigmaOff = options.sigmaOffUm ?? [3, 12];
  const [fwhmLo, fwhmHi] = options.fwhmAtCuKAlphaUm ?? [20, 45];
  const maxTries = options.maxTries ?? 10000;
  for (let i = 0; i < maxTries; i++) {
    const sigmaMaxUm = uniform(rng, sigmaMax[0], sigmaMax[1]);
    const sigmaExpPerKeV = uniform(rng, sigmaExp[0], sigmaExp[1]);
    const sigmaOffUm = uniform(rng, sigmaOff[0], sigmaOff[1]);
    const fwhm =
      FWHM_PER_SIGMA * (sigmaMaxUm * Math.exp(-sigmaExpPerKeV * CU_K_ALPHA_KEV) + sigmaOffUm);
    if (fwhm < fwhmLo || fwhm > fwhmHi) continue;
    const tM = options.tM ?? [8, 14];
    const tB = options.tB ?? [3, 8];
    const tA = options.tA ?? [0.5, 1.5];
    return {
      tA: uniform(rng, tA[0], tA[1]),
      tB: uniform(rng, tB[0], tB[1]),
      tM: uniform(rng, tM[0], tM[1]),
      sigmaMaxUm,
      sigmaExpPerKeV,
      sigmaOffUm,
    };
  }
  throw new InvalidArgumentError(
    `No setup with FWHM at Cu Kα in [${fwhmLo}, ${fwhmHi}] µm found in ${maxTries} draws; ` +
      'check the σ ranges. Value: `' +
      JSON.stringify({ sigmaMax, sigmaExp, sigmaOff }) +
      '`.',
  );
}
