import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { createRng, poissonNoise, samplePoisson } from '../../src/sampling/index.js';
import { logFactorial } from '../../src/sampling/poisson.js';
import { chiSquareCritical, chiSquareStatistic, logFactorialBySum, poissonPmf } from './stats.js';

describe('samplePoisson: moments', () => {
  // Tolerances are 5 standard errors: sd(mean) = √(λ/n), sd(sample variance) = √((2λ² + λ)/n).
  it.each([0.01, 1, 9.99, 10, 30, 1e4])('mean ≈ variance ≈ λ for λ = %s', (lambda) => {
    const rng = createRng(`moments:${lambda}`);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const k = samplePoisson(lambda, rng);
      s += k;
      s2 += k * k;
    }
    const mean = s / n;
    const variance = (s2 - n * mean * mean) / (n - 1);
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
    expect(Math.abs(variance - lambda)).toBeLessThan(
      5 * Math.sqrt((2 * lambda * lambda + lambda) / n),
    );
  });
});

describe('samplePoisson: χ² goodness of fit against the exact pmf', () => {
  // 3 and 9.99: inversion; 10, 25, 100, 1000: PTRS (both sides of the switch at λ = 10).
  it.each([3, 9.99, 10, 25, 100, 1000])('λ = %s', (lambda) => {
    const rng = createRng(`gof:${lambda}`);
    // 10⁶ draws: enough to reject a PTRS with its squeeze bound v_r loosened (0.9277 → 0.99)
    // at λ = 1000 (χ² ≈ 450 vs. critical 355), checked by mutation.
    const n = 1_000_000;
    const draws = new Int32Array(n);
    for (let i = 0; i < n; i++) draws[i] = samplePoisson(lambda, rng);
    const kMax = Math.ceil(lambda + 12 * Math.sqrt(lambda) + 20);
    const { chi2, df } = chiSquareStatistic(draws, (k) => poissonPmf(k, lambda), kMax);
    expect(df).toBeGreaterThanOrEqual(5);
    expect(chi2).toBeLessThan(chiSquareCritical(df)); // p ≈ 1e-4
  });

  it('the GOF test can fail: draws of Poisson(λ·1.02) are rejected at λ = 1000', () => {
    const rng = createRng('gof:power');
    const n = 200_000;
    const draws = new Int32Array(n);
    for (let i = 0; i < n; i++) draws[i] = samplePoisson(1020, rng);
    const { chi2, df } = chiSquareStatistic(draws, (k) => poissonPmf(k, 1000), 1400);
    expect(chi2).toBeGreaterThan(chiSquareCritical(df));
  });
});

describe('samplePoisson: edge cases', () => {
  it('λ = 0 gives 0 and consumes no randomness', () => {
    const a = createRng('zero');
    const b = createRng('zero');
    expect(samplePoisson(0, a)).toBe(0);
    expect(a.next()).toBe(b.next());
  });

  it.each([-1, -1e-300, NaN, Infinity])('λ = %s throws InvalidArgumentError', (lambda) => {
    expect(() => samplePoisson(lambda, createRng(1))).toThrow(InvalidArgumentError);
    expect(() => samplePoisson(lambda, createRng(1))).toThrow(`Value: \`${lambda}\``);
  });

  it('returns non-negative integers', () => {
    const rng = createRng('ints');
    for (const lambda of [0.3, 7, 12, 500, 1e6]) {
      for (let i = 0; i < 1000; i++) {
        const k = samplePoisson(lambda, rng);
        expect(Number.isInteger(k) && k >= 0).toBe(true);
      }
    }
  });

  it('logFactorial matches direct summation across the table/Stirling switch', () => {
    for (const k of [0, 1, 2, 10, 255, 256, 257, 1000, 5000]) {
      const ref = logFactorialBySum(k);
      expect(Math.abs(logFactorial(k) - ref)).toBeLessThanOrEqual(1e-13 * Math.max(1, ref));
    }
  });
});

describe('poissonNoise', () => {
  const expected = Float64Array.from({ length: 4096 }, (_, i) => (i % 7 === 0 ? 0 : i * 0.37));

  it('is deterministic for a seed and equals element-wise samplePoisson', () => {
    const a = poissonNoise(expected, createRng('pn'));
    const b = poissonNoise(expected, createRng('pn'));
    expect(b).toEqual(a);
    const rng = createRng('pn');
    const c = Float64Array.from(expected, (l) => samplePoisson(l, rng));
    expect(c).toEqual(a);
    for (let i = 0; i < expected.length; i += 7) expect(a[i]).toBe(0);
  });

  it('keeps the array type, accepts an output buffer and works in place', () => {
    const f32 = Float32Array.from(expected);
    expect(poissonNoise(f32, createRng(1))).toBeInstanceOf(Float32Array);
    expect(poissonNoise(expected, createRng(1))).toBeInstanceOf(Float64Array);
    const out = new Float64Array(expected.length);
    const ret = poissonNoise(f32, createRng('o'), out);
    expect(ret).toBe(out);
    const inPlace = Float64Array.from(expected);
    poissonNoise(inPlace, createRng('o'), inPlace);
    expect(inPlace).toEqual(out);
  });

  it('mean over a constant array ≈ λ (10⁴ values, λ = 50)', () => {
    const counts = poissonNoise(new Float64Array(10_000).fill(50), createRng('m'));
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    expect(Math.abs(mean - 50)).toBeLessThan(5 * Math.sqrt(50 / 10_000));
  });

  it('names the index and value of a bad expected count, and leaves out untouched', () => {
    const bad = Float64Array.from([1, 2, -0.5, 4]);
    expect(() => poissonNoise(bad, createRng(1))).toThrow(InvalidArgumentError);
    expect(() => poissonNoise(bad, createRng(1))).toThrow(/expected\[2\].*Value: `-0.5`/);
    const nan = Float64Array.from([1, NaN]);
    expect(() => poissonNoise(nan, createRng(1))).toThrow(/expected\[1\].*Value: `NaN`/);
    const out = new Float64Array(4).fill(9);
    expect(() => poissonNoise(bad, createRng(1), out)).toThrow(InvalidArgumentError);
    expect(Array.from(out)).toEqual([9, 9, 9, 9]);
  });

  it('rejects an output buffer of the wrong length', () => {
    expect(() => poissonNoise(expected, createRng(1), new Float64Array(3))).toThrow(
      /length of expected \(4096\)/,
    );
  });
});
