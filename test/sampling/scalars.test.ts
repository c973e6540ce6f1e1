import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import {
  CU_K_ALPHA_KEV,
  DEFAULT_COMPOSITION_PRIOR,
  FWHM_PER_SIGMA,
  createRng,
  sampleDensity,
  sampleLiveTimeS,
  sampleSetup,
  sampleSurfaceUm,
  sigmaUm,
} from '../../src/sampling/index.js';

const band = (p: number, n: number) => 5 * Math.sqrt((p * (1 - p)) / n);

describe('sampleSetup', () => {
  const n = 5000;
  const rng = createRng('setup');
  const setups = Array.from({ length: n }, () => sampleSetup(rng));
  const ranges = {
    sigmaMaxUm: [10, 40],
    sigmaExpPerKeV: [0.05, 0.3],
    sigmaOffUm: [3, 12],
    tM: [8, 14],
    tB: [3, 8],
    tA: [0.5, 1.5],
  } as const;

  it('keeps every parameter in its physics.md §4 range and covers it', () => {
    for (const [key, [lo, hi]] of Object.entries(ranges)) {
      const v = setups.map((s) => s[key as keyof typeof ranges]);
      expect(Math.min(...v), key).toBeGreaterThanOrEqual(lo);
      expect(Math.max(...v), key).toBeLessThanOrEqual(hi);
      // Covers at least 90 % of the range (the FWHM cut trims only sigma corners).
      expect(Math.max(...v) - Math.min(...v), key).toBeGreaterThan(0.9 * (hi - lo));
    }
  });

  it('puts the FWHM at Cu Kα in [20, 45] µm', () => {
    expect(FWHM_PER_SIGMA).toBeCloseTo(2.35482, 5);
    for (const s of setups) {
      const fwhm = FWHM_PER_SIGMA * sigmaUm(s, CU_K_ALPHA_KEV);
      expect(fwhm).toBeGreaterThanOrEqual(20);
      expect(fwhm).toBeLessThanOrEqual(45);
    }
  });

  it('is deterministic and throws for an impossible FWHM window', () => {
    expect(sampleSetup(createRng('d'))).toEqual(sampleSetup(createRng('d')));
    expect(() =>
      sampleSetup(createRng(1), { fwhmAtCuKAlphaUm: [500, 600], maxTries: 100 }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('sampleDensity', () => {
  it('without archetype: log-uniform on [0.5, 9]', () => {
    const rng = createRng('rho');
    const n = 20_000;
    let below = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const rho = sampleDensity(rng);
      if (!(rho >= 0.5 && rho < 9)) outside++;
      if (rho < Math.sqrt(0.5 * 9)) below++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(below / n - 0.5)).toBeLessThan(band(0.5, n));
  });

  it('with an archetype: inside its range; metals (except Al alloys) ≥ 7 g/cm³', () => {
    const rng = createRng('rho-a');
    for (const a of DEFAULT_COMPOSITION_PRIOR.archetypes) {
      for (let i = 0; i < 200; i++) {
        const rho = sampleDensity(rng, a.id);
        expect(rho).toBeGreaterThanOrEqual(a.densityGPerCm3[0]);
        expect(rho).toBeLessThanOrEqual(a.densityGPerCm3[1]);
        if (a.kind === 'metallic' && a.id !== 'aluminiumAlloy') expect(rho).toBeGreaterThan(7);
      }
    }
    expect(() => sampleDensity(rng, 'unobtainium' as never)).toThrow(/unobtainium/);
  });
});

describe('sampleSurfaceUm and sampleLiveTimeS', () => {
  it('surface is uniform in the first half of a 40 × 5 µm scan', () => {
    const rng = createRng('x0');
    const n = 20_000;
    let s = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x0 = sampleSurfaceUm(rng, { nSteps: 40, stepUm: 5 });
      if (!(x0 >= 0 && x0 < 100)) outside++;
      s += x0;
    }
    expect(outside).toBe(0);
    expect(Math.abs(s / n - 50)).toBeLessThan(5 * Math.sqrt(100 ** 2 / 12 / n));
    const shifted = sampleSurfaceUm(createRng(2), { nSteps: 10, stepUm: 2, startUm: -50 });
    expect(shifted >= -50 && shifted < -40).toBe(true);
    expect(() => sampleSurfaceUm(rng, { stepUm: 0 })).toThrow(InvalidArgumentError);
  });

  it('live time is log-uniform on [1, 60) s', () => {
    const rng = createRng('lt');
    const n = 20_000;
    let below = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const t = sampleLiveTimeS(rng);
      if (!(t >= 1 && t < 60)) outside++;
      if (t < Math.sqrt(60)) below++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(below / n - 0.5)).toBeLessThan(band(0.5, n));
    expect(() => sampleLiveTimeS(rng, { minS: 0 })).toThrow(InvalidArgumentError);
    expect(() => sampleLiveTimeS(rng, { minS: 10, maxS: 5 })).toThrow(InvalidArgumentError);
  });
});
