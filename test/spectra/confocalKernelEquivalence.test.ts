/**
 * The confocal kernel (direct column writes) against the previous kernel (a frozen copy kept
 * for the benchmark): the same values within 1e-9 relative on random samples (attenuation from
 * random compositions and densities), random confocal setups over the training ranges, random
 * surface positions, uniform fine and coarse grids and non-uniform grids, Float64 and Float32
 * output, both normalisations, with and without Φ0.
 */
import { describe, expect, it } from 'vitest';
import { fillConfocal as fillPrevious } from '../../bench/legacy/confocalKernelV2';
import { TRAINING_SETUP_RANGES } from '../../src/model/guards';
import { massAttenuationGrid } from '../../src/physics';
import type { ConfocalSetup } from '../../src/profile';
import { confocalDepthProfile, confocalProfileFactors } from '../../src/spectra/confocalTransform';

/** Seeded uniform numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const ELEMENTS = ['C', 'O', 'Na', 'Si', 'Ca', 'Ti', 'Fe', 'Cu', 'Zn', 'Sr', 'Sn', 'Pb'];

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
  const nCh = 300 + Math.floor(rnd() * 500);
  const energyKeV = Float64Array.from({ length: nCh }, (_, k) => 0.4 + (k * 39.6) / nCh);
  const composition: Record<string, number> = {};
  for (const el of ELEMENTS) if (rnd() < 0.5) composition[el] = rnd() ** 3;
  composition.O = (composition.O ?? 0) + 0.05;
  const sum = Object.values(composition).reduce((a, b) => a + b, 0);
  for (const el of Object.keys(composition)) composition[el] /= sum;
  const densityGPerCm3 = 0.5 + 8 * rnd();
  const muMass = massAttenuationGrid(composition, energyKeV);
  // Both beam paths at 45°: μ_lin = ρ·(μ_in + μ_out)/sin 45° with μ_in at a fixed 17 keV.
  const mu17 = massAttenuationGrid(composition, Float64Array.of(17))[0];
  const mu = Float64Array.from(
    muMass,
    (m, k) => (k % 97 === 5 ? 0 : (densityGPerCm3 * (m + mu17) * Math.SQRT2) / 1e4), // 1/µm
  );
  const phi0 = Float64Array.from(energyKeV, (_, k) => (k % 13 === 0 ? 0 : 1e4 * rnd() ** 4));
  const setup = {} as ConfocalSetup;
  for (const [key, [lo, hi]] of Object.entries(TRAINING_SETUP_RANGES))
    setup[key as keyof ConfocalSetup] = lo + (hi - lo) * rnd();
  const nSteps = 20 + Math.floor(rnd() * 60);
  const step = [0.5, 2, 4.5, 5, 10, 60][i % 6];
  const nonUniform = i % 5 === 4;
  const depthsUm = Float64Array.from(
    { length: nSteps },
    (_, n) => n * step + (nonUniform ? 0.4 * step * rnd() : 0),
  );
  return {
    mu,
    energyKeV,
    phi0,
    setup,
    x0Um: -20 + (nSteps * step + 40) * rnd(),
    depthsUm,
    stepUm: step,
    gridUm: nonUniform ? NaN : step,
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

describe('confocal kernel', () => {
  it('matches the previous kernel within 1e-9 on random samples, setups and grids', () => {
    const rnd = lcg(20261127);
    let compared = 0;
    for (let i = 0; i < 30; i++) {
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
          expect(maxRelDiff(got, expected, 1e-290)).toBeLessThanOrEqual(1e-9);
          compared++;
        }
      }
    }
    expect(compared).toBe(120);
  });
});
