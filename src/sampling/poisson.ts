/**
 * Exact Poisson variates: inversion by sequential search for λ < 10, Hörmann's PTRS transformed
 * rejection with squeeze for λ ≥ 10.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from '../errors.js';
import type { Rng } from './rng.js';

/** λ at and above which PTRS is used instead of inversion. */
const PTRS_MIN_LAMBDA = 10;

/** ln k! for k < LOG_FACTORIAL_TABLE_SIZE, by summation; Stirling series above. */
const LOG_FACTORIAL_TABLE_SIZE = 256;
const LOG_FACTORIAL = new Float64Array(LOG_FACTORIAL_TABLE_SIZE);
for (let k = 2; k < LOG_FACTORIAL_TABLE_SIZE; k++) {
  LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + Math.log(k);
}
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln k! for a non-negative integer k. Table below 256; above, the Stirling series to 1/k⁵,
 * whose truncation error is < 1/(1680 k⁷) < 1e-19 there.
 * @internal
 */
export function logFactorial(k: number): number {
  if (k < LOG_FACTORIAL_TABLE_SIZE) return LOG_FACTORIAL[k];
  const inv = 1 / k;
  const inv2 = inv * inv;
  return (
    (k + 0.5) * Math.log(k) - k + HALF_LOG_2PI + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260))
  );
}

/**
 * Inversion by sequential search (one uniform, about λ + 1 comparisons).
 * For λ < 10 the cumulative sum reaches 1 − 1e-15, far above the largest uniform
 * 1 − 2⁻³², so the loop always ends; the cap is only a guard.
 */
function poissonInversion(lambda: number, rng: Rng): number {
  const u = rng.next();
  let p = Math.exp(-lambda);
  let cdf = p;
  let k = 0;
  while (u >= cdf && k < 1000) {
    k++;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

/** PTRS (Hörmann 1993), steps 0–3 of the paper, for λ ≥ 10. */
function poissonPtrs(lambda: number, rng: Rng): number {
  const sqrtLambda = Math.sqrt(lambda);
  const b = 0.931 + 2.53 * sqrtLambda;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vR = 0.9277 - 3.6224 / (b - 2);
  let logLambda = NaN; // computed lazily: the squeeze accepts ~90 % of draws.
  let logInvAlpha = 0;
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vR) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (logLambda !== logLambda) {
      logLambda = Math.log(lambda);
      logInvAlpha = Math.log(invAlpha);
    }
    if (
      Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <=
      -lambda + k * logLambda - logFactorial(k)
    ) {
      return k;
    }
  }
}

/**
 * One Poisson variate with mean `lambda`, exact in distribution (up to the 32-bit resolution of
 * the uniforms). λ < 10: inversion by sequential search; λ ≥ 10: PTRS transformed rejection.
 *
 * @param lambda - Expected count (≥ 0, finite). λ = 0 gives 0.
 * @param rng - Source of uniforms.
 * @returns A non-negative integer count.
 * @throws InvalidArgumentError if `lambda` is negative, NaN or infinite.
 * @see W. Hörmann, "The transformed rejection method for generating Poisson random variables",
 *   Insurance: Mathematics and Economics 12 (1993) 39–45, doi:10.1016/0167-6687(93)90997-4
 * @see L. Devroye, Non-Uniform Random Variate Generation (Springer, 1986) §X.3 (inversion),
 *   doi:10.1007/978-1-4613-8643-8
 * @example
 * ```ts
 * samplePoisson(250, createRng('noise')); // e.g. 243
 * ```
 */
export function samplePoisson(lambda: number, rng: Rng): number {
  if (!(lambda >= 0) || lambda === Infinity) {
    throw new InvalidArgumentError(
      `lambda must be a finite number ≥ 0. Value: \`${describeValue(lambda)}\`.`,
    );
  }
  if (lambda === 0) return 0;
  return lambda < PTRS_MIN_LAMBDA ? poissonInversion(lambda, rng) : poissonPtrs(lambda, rng);
}

/**
 * Poisson noise on an array of expected counts: `out[i] ~ Poisson(expected[i])`, each draw
 * exact in distribution (see {@link samplePoisson}). The whole input is validated before
 * anything is written, so `out` may alias `expected` (in-place noise) and is untouched when an
 * error is thrown. The sampling loop allocates nothing. Counts above 2²⁴ are rounded when `out`
 * is a Float32Array.
 *
 * @param expected - Expected counts (≥ 0, finite), e.g. a row-major depth profile.
 * @param rng - Source of uniforms; consumed in index order, so a seed fixes the result.
 * @param out - Optional output of the same length (may be `expected` itself). Default: a new
 *   array of the same type as `expected`.
 * @returns `out`, filled with integer counts.
 * @throws InvalidArgumentError naming the first index whose expected count is negative, NaN or
 *   infinite, or if `out` has the wrong length.
 * @see W. Hörmann, Insurance: Mathematics and Economics 12 (1993) 39–45,
 *   doi:10.1016/0167-6687(93)90997-4
 * @example
 * ```ts
 * const expected = new Float64Array([0, 0.5, 12, 3000]);
 * const counts = poissonNoise(expected, createRng(7)); // e.g. [0, 1, 9, 3047]
 * ```
 */
export function poissonNoise<T extends Float32Array | Float64Array>(
  expected: Float32Array | Float64Array,
  rng: Rng,
  out: T,
): T;
export function poissonNoise<T extends Float32Array | Float64Array>(expected: T, rng: Rng): T;
export function poissonNoise(
  expected: Float32Array | Float64Array,
  rng: Rng,
  out?: Float32Array | Float64Array,
): Float32Array | Float64Array {
  const n = expected.length;
  for (let i = 0; i < n; i++) {
    const lambda = expected[i];
    if (!(lambda >= 0) || lambda === Infinity) {
      throw new InvalidArgumentError(
        `expected[${i}] must be a finite expected count ≥ 0. Value: \`${describeValue(lambda)}\`.`,
      );
    }
  }
  let result: Float32Array | Float64Array;
  if (out === undefined) {
    result = expected instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  } else {
    if (out.length !== n) {
      throw new InvalidArgumentError(
        `out must have the length of expected (${n}). Value: \`length ${out.length}\`.`,
      );
    }
    result = out;
  }
  for (let i = 0; i < n; i++) {
    const lambda = expected[i];
    result[i] =
      lambda === 0
        ? 0
        : lambda < PTRS_MIN_LAMBDA
          ? poissonInversion(lambda, rng)
          : poissonPtrs(lambda, rng);
  }
  return result;
}
