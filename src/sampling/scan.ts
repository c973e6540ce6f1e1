/**
 * Random scan quantities: surface position and live time.
 *
 * @module
 */
import { requireFinite } from '../errors.js';
import { logUniform, uniform, type Rng } from './rng.js';

/** Scan geometry for {@link sampleSurfaceUm}. */
export interface SampleSurfaceOptions {
  /** Number of scan positions. @default 40 */
  nSteps?: number;
  /** Distance between positions (µm). @default 5 */
  stepUm?: number;
  /** Position of the first step on the scan axis (µm). @default 0 */
  startUm?: number;
}

/**
 * Samples the surface position x0 (µm) uniformly in the first half of the scan,
 * [startUm, startUm + nSteps·stepUm/2), so that the profile's rise and a good part of its decay
 * are inside the scan (scan positions are x_n = startUm + n·stepUm).
 *
 * @param rng - Source of randomness.
 * @param options - Scan geometry.
 * @returns x0 in µm.
 * @throws InvalidArgumentError if nSteps is not a positive integer or stepUm ≤ 0.
 * @example
 * ```ts
 * sampleSurfaceUm(createRng(3), { nSteps: 40, stepUm: 5 }); // in [0, 100)
 * ```
 */
export function sampleSurfaceUm(rng: Rng, options: SampleSurfaceOptions = {}): number {
  const nSteps = options.nSteps ?? 40;
  const stepUm = requireFinite('stepUm', options.stepUm ?? 5, { min: 0, exclusiveMin: true });
  const startUm = requireFinite('startUm', options.startUm ?? 0);
  requireFinite('nSteps', nSteps, { min: 1 });
  return uniform(rng, startUm, startUm + (Math.floor(nSteps) * stepUm) / 2);
}

/** Range of {@link sampleLiveTimeS}. */
export interface SampleLiveTimeOptions {
  /** @default 1 s */
  minS?: number;
  /** @default 60 s */
  maxS?: number;
}

/**
 * Samples a live time per scan step (s), log-uniform on [minS, maxS) — 1–60 s by default
 * (docs/physics.md §9), so that short and long acquisitions (noise levels) are equally represented
 * per decade.
 *
 * @param rng - Source of randomness.
 * @param options - Range.
 * @returns Live time in s.
 * @throws InvalidArgumentError unless 0 < minS ≤ maxS (finite).
 * @example
 * ```ts
 * sampleLiveTimeS(createRng(4)); // in [1, 60)
 * ```
 */
export function sampleLiveTimeS(rng: Rng, options: SampleLiveTimeOptions = {}): number {
  const minS = requireFinite('minS', options.minS ?? 1, { min: 0, exclusiveMin: true });
  const maxS = requireFinite('maxS', options.maxS ?? 60, { min: minS });
  return logUniform(rng, minS, maxS);
}
