/**
 * The confocal kernel (channel blocks, batched exponentials, contiguous row copies) against the
 * previous kernel (a frozen copy kept for the benchmark) on random samples (attenuation from
 * random compositions and densities), random confocal setups over the training ranges and
 * beyond, random surface positions, uniform fine and coarse grids and non-uniform grids, both
 * normalisations, with and without Φ0, channels with Φ0 = 0 and μ_lin = 0, and very large μσ:
 * Float64 output within 1e-12 relative; Float32 output within one float32 rounding (≤ 2e-7
 * relative on normal floats, one unit of 2⁻¹⁴⁹ on subnormal ones) with the same exact zeros.
 * Also checks the table exponential of the Float32 path against Math.exp.
 */
import { describe, expect, it } from 'vitest';
import { fillConfocal as fillPrevious } from '../../bench/legacy/confocalKernelV3';
import { TRAINING_SETUP_RANGES } from '../../src/model/guards';
import { massAttenuationGrid } from '../../src/physics';
import type { ConfocalSetup } from '../../src/profile';
import { expTable } from '../../src/spectra/confocalKernel';
import { confocalDepthProfile, confocalProfileFactors } from '../../src/spectra/confocalTransform';

/** Seeded uniform numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const ELEMENTS = ['C', 'O', 'Na', 'Si', 'Ca', 'Ti', 'Fe', 'Cu', 'Zn', 'Sr', 'Sn', 'Pb'];
/** Smallest normal float32. */
const F32_MIN_NORMAL = 2 ** -126;
/** Smallest subnormal float32. */
const F32_MIN_SUBNORMAL = 2 ** -149;

interface Case {
  mu: Float64Array;
  energyKeV: Float64Array;
  phi0: Float64Array;
  setup: ConfocalSetup;
  x0Um: number;
  depthsUm: Float64Array;
  stepUm: number;
  gridUm: number;
}

function randomCase(rnd: () => number, i: number): Case {
  // Channel counts below, at and above multiples of the kernel's block of channels.
  const nCh = [1, 7, 256, 300, 512, 777, 1100][i % 7] + (i % 3 === 0 ? Math.floor(rnd() * 40) : 0);
  const energyKeV = Float64Array.from({ length: nCh }, (_, k) => 0.4 + (k * 39.6) / nCh);
  const composition: Record<string, number> = {};
  for (const el of ELEMENTS) if (rnd() < 0.5) composition[el] = rnd() ** 3;
  composition.O = (composition.O ?? 0) + 0.05;
  const sum = Object.values(composition).reduce((a, b) => a + b, 0);
  for (const el of Object.keys(composition)) composition[el] /= sum;
  const densityGPerCm3 = 0.5 + 8 * rnd();
  const muMass = massAttenuationGrid(composition, energyKeV);
  // Both beam paths at 45°: μ_lin = ρ·(μ_in + μ_out)/sin 45° with μ_in at a fixed 17 keV; every
  // fourth case scaled up to μσ of several hundred.
  const mu17 = massAttenuationGrid(composition, Float64Array.of(17))[0];
  const scale = i % 4 === 3 ? 100 * (1 + 9 * rnd()) : 1;
  const mu = Float64Array.from(
    muMass,
    (m, k) => (k % 97 === 5 ? 0 : (scale * densityGPerCm3 * (m + mu17) * Math.SQRT2) / 1e4), // 1/µm
  );
  const phi0 = Float64Array.from(energyKeV, (_, k) => (k % 13 === 0 ? 0 : 1e4 * rnd() ** 4));
  const setup = {} as ConfocalSetup;
  for (const [key, [lo, hi]] of Object.entries(TRAINING_SETUP_RANGES))
    setup[key as keyof ConfocalSetup] = lo + (hi - lo) * rnd();
  if (i % 6 === 1) {
    // Narrow band-pass and thin probing volume: T underflows over most channels, σ ~ 1 µm.
    setup.tB = 0.05 + 0.2 * rnd();
    setup.sigmaOffUm = 0.5;
    setup.sigmaMaxUm = 2;
  }
  const nSteps = i % 11 === 10 ? 1 : 20 + Math.floor(rnd() * 60);
  const step = [0.5, 2, 4.5, 5, 10, 60][i % 6];
  const nonUniform = i % 5 === 4;
  const depthsUm = Float64Array.from(
    { length: nSteps },
    (_, n) => n * step + (nonUniform ? 0.4 * step * rnd() : 0),
  );
  // Surface inside the scan, or far above / below it.
  const x0Um =
    i % 9 === 8 ? (rnd() < 0.5 ? -2000 : nSteps * step + 2000) : -20 + (nSteps * step + 40) * rnd();
  return {
    mu,
    energyKeV,
    phi0,
    setup,
    x0Um,
    depthsUm,
    stepUm: step,
    gridUm: nonUniform || nSteps === 1 ? NaN : step,
  };
}

/** Largest relative difference (values below `floor` compared absolutely against it). */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor);
    if (!(d <= worst)) worst = d; // NaN propagates as a failure
  }
  return worst;
}

/**
 * Float32 comparison: largest relative difference over normal floats, largest difference in
 * units of 2⁻¹⁴⁹ over subnormal ones, and the number of values that are 0 in one array only.
 */
function float32Diff(
  got: ArrayLike<number>,
  expected: ArrayLike<number>,
): { rel: number; subnormalUnits: number; zeroMismatch: number } {
  let rel = 0;
  let subnormalUnits = 0;
  let zeroMismatch = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i];
    const e = expected[i];
    if ((g === 0) !== (e === 0) || g !== g) zeroMismatch++;
    else if (Math.abs(e) >= F32_MIN_NORMAL) rel = Math.max(rel, Math.abs(g - e) / Math.abs(e));
    else subnormalUnits = Math.max(subnormalUnits, Math.abs(g - e) / F32_MIN_SUBNORMAL);
  }
  return { rel, subnormalUnits, zeroMismatch };
}

describe('confocal kernel', () => {
  it('matches the previous kernel (Float64 ≤ 1e-12, Float32 within one rounding) on random cases', () => {
    const rnd = lcg(20261128);
    let compared = 0;
    let nonZero32 = 0;
    let worst32 = 0;
    for (let i = 0; i < 44; i++) {
      const c = randomCase(rnd, i);
      for (const Out of [Float64Array, Float32Array]) {
        for (const normalisation of ['muLinStep', 'none'] as const) {
          const withPhi0 = (i + compared) % 3 !== 0;
          const size = c.depthsUm.length * c.mu.length;
          const expected = new Out(size);
          fillPrevious({
            phi0: withPhi0 ? c.phi0 : null,
            muLinPerUm: c.mu,
            energyKeV: c.energyKeV,
            setup: c.setup,
            x0Um: c.x0Um,
            depthsUm: c.depthsUm,
            nSteps: c.depthsUm.length,
            nChannels: c.mu.length,
            gridUm: c.gridUm,
            stepUm: c.stepUm,
            normalise: normalisation === 'muLinStep',
            out: expected,
          });
          const options = { depthsUm: c.depthsUm, stepUm: c.stepUm, normalisation };
          const got = withPhi0
            ? confocalDepthProfile(
                { phi0: c.phi0, muLinPerUm: c.mu, energyKeV: c.energyKeV },
                c.setup,
                c.x0Um,
                { ...options, out: new Out(size) },
              ).counts
            : confocalProfileFactors(c.mu, c.energyKeV, c.setup, c.x0Um, {
                ...options,
                out: new Out(size),
              });
          expect(got.length).toBe(size);
          const label = `case ${i}, ${Out.name}, ${normalisation}, Φ0 ${withPhi0}`;
          if (Out === Float64Array) {
            expect(maxRelDiff(got, expected, 1e-290), label).toBeLessThanOrEqual(1e-12);
          } else {
            const d = float32Diff(got, expected);
            expect(d.zeroMismatch, label).toBe(0);
            expect(d.rel, label).toBeLessThanOrEqual(2e-7);
            expect(d.subnormalUnits, label).toBeLessThanOrEqual(1);
            worst32 = Math.max(worst32, d.rel);
            for (let k = 0; k < size; k++) if (expected[k] !== 0) nonZero32++;
          }
          compared++;
        }
      }
    }
    expect(compared).toBe(176);
    // The comparison covered real values.
    expect(nonZero32).toBeGreaterThan(5e5);
    expect(worst32).toBeLessThanOrEqual(2e-7);
  });

  it('computes exp as Math.exp does, to 4e-16 relative, over the double range', () => {
    const rnd = lcg(7);
    let worst = 0;
    for (let i = 0; i < 200000; i++) {
      const x = -708 + 1417.7 * rnd();
      const e = Math.exp(x);
      worst = Math.max(worst, Math.abs(expTable(x) - e) / e);
    }
    expect(worst).toBeLessThanOrEqual(4e-16);
    expect(expTable(0)).toBe(1);
    expect(expTable(1)).toBeCloseTo(Math.E, 15);
    expect(expTable(-746)).toBe(0);
    expect(expTable(-1e300)).toBe(0);
    expect(expTable(709.78)).toBeGreaterThan(1.79e308);
    expect(expTable(709.79)).toBe(Infinity);
    expect(expTable(1e300)).toBe(Infinity);
    // Subnormal results: one rounding of the exact value.
    expect(Math.abs(expTable(-740) - Math.exp(-740))).toBeLessThanOrEqual(2 ** -1074);
  });
});
