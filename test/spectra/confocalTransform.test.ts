import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors';
import type { ConfocalSetup } from '../../src/profile';
import {
  confocalDepthProfile,
  confocalKernel,
  confocalProfileFactors,
  confocalSigmaUm,
  confocalTransmission,
  defaultConfocalDepthsUm,
} from '../../src/spectra/confocalTransform';

const SETUP: ConfocalSetup = {
  tA: 0.9,
  tB: 5,
  tM: 11,
  sigmaMaxUm: 25,
  sigmaExpPerKeV: 0.12,
  sigmaOffUm: 6,
};

/** Setup with a constant σ (µm) and T ≡ tA (tB huge). */
function flatSetup(sigmaUm: number, tA = 1): ConfocalSetup {
  return { tA, tB: 1e9, tM: 0, sigmaMaxUm: 0, sigmaExpPerKeV: 0, sigmaOffUm: sigmaUm };
}

/** Uniform scan positions start, start + step, … (n of them). */
function grid(start: number, step: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => start + i * step);
}

/**
 * Independent reference for A·C: ∫₀^∞ N(z − t; σ)·exp(−μt) dt by composite Simpson (no erfc
 * involved). The integrand is ∝ a Gaussian in t centred at c = z − μσ², cut at t = 0; integrate
 * over ±14σ around c > 0, or, when c ≤ 0, over the first 60 e-folds (≤ 14σ) of its tail above 0.
 */
function kernelQuadrature(z: number, sigma: number, mu: number): number {
  const c = z - mu * sigma * sigma;
  const lo = Math.max(0, c - 14 * sigma);
  const hi =
    c > 0 ? c + 14 * sigma : Math.min(14 * sigma, (60 * sigma * sigma) / Math.max(-c, 1e-300));
  const f = (t: number) =>
    Math.exp(-((z - t) ** 2) / (2 * sigma * sigma) - mu * t) / (sigma * Math.sqrt(2 * Math.PI));
  const m = 40000;
  const h = (hi - lo) / m;
  let s = f(lo) + f(hi);
  for (let i = 1; i < m; i++) s += (i % 2 ? 4 : 2) * f(lo + i * h);
  return (s * h) / 3;
}

/** Standard normal CDF by Simpson quadrature of the density (independent of erfc). */
function normalCdf(x: number): number {
  if (x < -12) return 0;
  const m = 20000;
  const h = (x + 12) / m;
  const f = (t: number) => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  let s = f(-12) + f(x);
  for (let i = 1; i < m; i++) s += (i % 2 ? 4 : 2) * f(-12 + i * h);
  return (s * h) / 3;
}

describe('confocalKernel (A·C) against direct quadrature', () => {
  it('matches ∫N(z−t;σ)e^(−μt)dt to 1e-9 relative over σ 3–40 µm, μ 1e-4–2 /µm, z −60–250 µm', () => {
    let worst = 0;
    for (const sigma of [3, 8, 20, 40])
      for (const mu of [1e-4, 0.01, 0.1, 0.5, 2])
        for (const z of [-60, -20, -5, 0, 3, 10, 40, 100, 250]) {
          const ref = kernelQuadrature(z, sigma, mu);
          if (ref < 1e-250) continue;
          const got = confocalKernel(z, sigma, mu);
          worst = Math.max(worst, Math.abs(got - ref) / ref);
        }
    expect(worst).toBeLessThan(1e-9);
  });

  it('is 0.5·e^(μ²σ²/2)·erfc(μσ/√2) at the surface; ½ for μ = 0 (half the volume inside)', () => {
    expect(confocalKernel(0, 10, 0)).toBe(0.5);
    expect(confocalKernel(1e6, 10, 0)).toBe(1);
    expect(confocalKernel(-1e6, 10, 0)).toBe(0);
  });

  it('is finite, within [0, 1] and continuous for extreme μσ (μ = 10 /µm, σ = 40 µm) and far z', () => {
    const sigma = 40;
    const mu = 10;
    let prev = confocalKernel(-2000, sigma, mu);
    for (let z = -2000; z <= 20000; z += 0.25) {
      const v = confocalKernel(z, sigma, mu);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      // |dAC/dz| ≤ N(0;σ)·… ≤ 1/(σ√(2π)): a step of 0.25 µm changes it by < 0.0025
      expect(Math.abs(v - prev)).toBeLessThan(0.25 / (sigma * Math.sqrt(2 * Math.PI)) + 1e-15);
      prev = v;
    }
    // Far above the surface: Gaussian tail; far below: e^(−μz) → 0; never NaN.
    for (const z of [-1e300, -1e6, 1e6, 1e300]) expect(confocalKernel(z, sigma, mu)).toBe(0);
    // Deep inside, huge μσ: ≈ N(z; σ)/μ·… — compare with quadrature where it is representable.
    const ref = kernelQuadrature(-100, sigma, mu);
    expect(Math.abs(confocalKernel(-100, sigma, mu) - ref) / ref).toBeLessThan(1e-8);
  });

  it('is continuous across its branch points u = ±0.46875 and u = −6', () => {
    const sigma = 12;
    const mu = 0.08;
    for (const u of [0.46875, -0.46875, -6]) {
      const z0 = mu * sigma * sigma - u * Math.SQRT2 * sigma;
      const h = 1e-7;
      const left = confocalKernel(z0 - h, sigma, mu);
      const mid = confocalKernel(z0, sigma, mu);
      const right = confocalKernel(z0 + h, sigma, mu);
      // second difference ~ h²·f'' (≈ 1e-16): any branch mismatch would show up as ≫ 1e-13
      expect(Math.abs(left - 2 * mid + right) / mid).toBeLessThan(1e-13);
    }
  });
});

describe('confocalProfileFactors / confocalDepthProfile: invariants of physics.md §4', () => {
  const energies = [2, 5, 8, 11, 14];

  it('σ → 0: I = Φ0·T·μΔ·exp(−μz) for z > 0 and 0 above the surface', () => {
    const mu = [0.3, 0.1, 0.05, 0.02, 0.004];
    const phi0 = [10, 200, 3000, 4e4, 5e5];
    const setup = { ...SETUP, sigmaMaxUm: 0, sigmaOffUm: 1e-6 };
    const x0 = 27.5;
    const depths = grid(0, 5, 40);
    const p = confocalDepthProfile({ phi0, muLinPerUm: mu, energyKeV: energies }, setup, x0, {
      out: new Float64Array(40 * 5),
    });
    let worst = 0;
    for (let n = 0; n < 40; n++)
      for (let k = 0; k < 5; k++) {
        const z = depths[n] - x0;
        const t = confocalTransmission(setup, energies[k]);
        const ref = z > 0 ? phi0[k] * t * mu[k] * 5 * Math.exp(-mu[k] * z) : 0;
        const got = p.counts[n * 5 + k];
        if (ref === 0) expect(got).toBe(0);
        else worst = Math.max(worst, Math.abs(got - ref) / ref);
      }
    expect(worst).toBeLessThan(1e-9);
  });

  it("μ → 0: shape → Φ_normal((x − x0)/σ); 'none' gives Φ0·T·Φ_normal, 'muLinStep' → 0 continuously", () => {
    const sigma = 15;
    const x0 = 60;
    const depths = grid(0, 5, 40);
    const opts = { depthsUm: depths, out: new Float64Array(40) };
    const exact0 = confocalProfileFactors([0], [10], flatSetup(sigma, 0.7), x0, {
      ...opts,
      normalisation: 'none',
    });
    const tiny = confocalProfileFactors([1e-9], [10], flatSetup(sigma, 0.7), x0, {
      ...opts,
      out: new Float64Array(40),
    });
    const zero = confocalProfileFactors([0], [10], flatSetup(sigma, 0.7), x0, {
      ...opts,
      out: new Float64Array(40),
    });
    for (let n = 0; n < 40; n++) {
      const phiN = normalCdf((depths[n] - x0) / sigma);
      expect(Math.abs(exact0[n] - 0.7 * phiN)).toBeLessThan(1e-12);
      expect(zero[n]).toBe(0);
      // I/(Φ0·T·μΔ) → Φ_normal; the O(μ) correction is μ·(σ-scale) ≈ 1e-7 here
      expect(Math.abs(tiny[n] / (0.7 * 1e-9 * 5) - phiN)).toBeLessThan(1e-6);
    }
  });

  it('depth integral: Σ_n I(E, x_n) = Φ0·T over a scan covering the profile, within the aliasing bound', () => {
    // |Σ_n I/(Φ0·T) − 1| ≤ 2Σ_k≥1 exp(−2π²k²σ²/Δ²)·μ/|μ + 2πik/Δ| (Poisson summation);
    // for σ ≥ Δ = 5 µm and μ ≤ 2 /µm that is < 5e-9.
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.double({ min: 5, max: 40, noNaN: true }),
        fc.double({ min: -2.5, max: 2.5, noNaN: true }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        (mu, sigma, shift, phi0) => {
          const x0 = 20 * sigma + shift;
          const nSteps = Math.ceil((40 * sigma + 60 / mu) / 5);
          const p = confocalDepthProfile(
            { phi0: [phi0], muLinPerUm: [mu], energyKeV: [7] },
            flatSetup(sigma, 0.8),
            x0,
            { depthsUm: grid(0, 5, nSteps), out: new Float64Array(nSteps) },
          );
          let sum = 0;
          for (let n = 0; n < nSteps; n++) sum += p.counts[n];
          let bound = 1e-12;
          for (let k = 1; k <= 4; k++) {
            const w = (2 * Math.PI * k) / 5;
            bound += (2 * Math.exp(-0.5 * w * w * sigma * sigma) * mu) / Math.hypot(mu, w);
          }
          return Math.abs(sum / (phi0 * 0.8) - 1) <= bound && bound < 5e-9;
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('depth integral for σ < Δ equals the Poisson-summation value (aliasing term, stated exactly)', () => {
    // Σ_n AC(x_n)·Δ = Σ_k exp(−2π²σ²k²/Δ²)·exp(2πik(x_s − x0)/Δ)/(μ + 2πik/Δ)
    for (const [mu, sigma, x0] of [
      [0.2, 2, 31.3],
      [1, 1.5, 40.9],
      [0.05, 3, 52.0],
    ]) {
      const step = 5;
      const nSteps = Math.ceil((x0 + 20 * sigma + 50 / mu) / step);
      const f = confocalProfileFactors([mu], [7], flatSetup(sigma), x0, {
        depthsUm: grid(0, step, nSteps),
        out: new Float64Array(nSteps),
      });
      let sum = 0;
      for (let n = 0; n < nSteps; n++) sum += f[n];
      let ref = 1;
      for (let k = 1; k <= 8; k++) {
        const w = (2 * Math.PI * k) / step;
        const th = w * (0 - x0);
        const damp = Math.exp(-0.5 * w * w * sigma * sigma);
        ref += (2 * damp * mu * (mu * Math.cos(th) + w * Math.sin(th))) / (mu * mu + w * w);
      }
      expect(Math.abs(sum - ref)).toBeLessThan(1e-10);
      expect(Math.abs(ref - 1)).toBeGreaterThan(1e-6); // the aliasing term is really there
    }
  });

  it('the maximum moves deeper and the profile decays slower as μ_lin falls', () => {
    const mus = [2, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01];
    const depths = grid(0, 1, 400);
    const x0 = 50;
    const f = confocalProfileFactors(mus, [8, 8, 8, 8, 8, 8, 8], flatSetup(12), x0, {
      depthsUm: depths,
      out: new Float64Array(400 * mus.length),
    });
    let prevArg = -1;
    let prevRatio = 0;
    for (let k = 0; k < mus.length; k++) {
      let arg = 0;
      for (let n = 1; n < 400; n++) if (f[n * 7 + k] > f[arg * 7 + k]) arg = n;
      const ratio = f[(arg + 60) * 7 + k] / f[arg * 7 + k]; // 60 µm beyond the maximum
      expect(arg).toBeGreaterThan(prevArg);
      expect(ratio).toBeGreaterThan(prevRatio);
      prevArg = arg;
      prevRatio = ratio;
    }
  });

  it('shifts rigidly with x0: x0 + Δ moves every channel down exactly one row', () => {
    const mu = [0.5, 0.08, 0.01, 3, 1e-3];
    const depths = grid(-10, 5, 40);
    const a = confocalProfileFactors(mu, energies, SETUP, 33.3, {
      depthsUm: depths,
      out: new Float64Array(200),
    });
    const b = confocalProfileFactors(mu, energies, SETUP, 38.3, {
      depthsUm: depths,
      out: new Float64Array(200),
    });
    for (let n = 0; n < 39; n++)
      for (let k = 0; k < 5; k++) {
        const ref = a[n * 5 + k];
        const got = b[(n + 1) * 5 + k];
        expect(Math.abs(got - ref)).toBeLessThanOrEqual(1e-11 * Math.abs(ref) + 1e-300);
      }
  });

  it('a channel with Φ0 = 0 (absent element) is exactly 0 at every depth', () => {
    const phi0 = [5, 0, 7, 0, 1e9];
    const p = confocalDepthProfile(
      { phi0, muLinPerUm: [0.1, 0.1, 0, 50, 1e-3], energyKeV: energies },
      SETUP,
      20,
    );
    for (let n = 0; n < p.nSteps; n++) {
      expect(p.counts[n * 5 + 1]).toBe(0);
      expect(p.counts[n * 5 + 3]).toBe(0);
      expect(p.counts[n * 5 + 2]).toBe(0); // μ = 0 under 'muLinStep'
    }
    expect(p.counts[20 * 5 + 0]).toBeGreaterThan(0);
  });

  it('no NaN/Infinity for extreme μσ and z far above/below the surface', () => {
    const mu = [10, 10, 1e4, 1e-12, 0.5];
    const setup = { ...SETUP, sigmaMaxUm: 0, sigmaOffUm: 40 };
    for (const x0 of [-1e5, -300, 0, 97, 300, 1e5]) {
      const p = confocalDepthProfile(
        { phi0: [1, 1e12, 1, 1, 1], muLinPerUm: mu, energyKeV: [5, 5, 5, 5, 5] },
        setup,
        x0,
        { out: new Float64Array(200) },
      );
      for (const v of p.counts) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('fast (uniform-grid recurrence) and direct evaluation agree to 1e-10 (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 20, noNaN: true }),
        fc.double({ min: 0.5, max: 45, noNaN: true }),
        fc.double({ min: -150, max: 300, noNaN: true }),
        fc.double({ min: 0.5, max: 10, noNaN: true }),
        (mu, sigma, x0, step) => {
          const depths = grid(0, step, 60);
          const f = confocalProfileFactors([mu], [9], flatSetup(sigma), x0, {
            depthsUm: depths,
            out: new Float64Array(60),
            normalisation: 'none',
          });
          let peak = 0;
          for (const v of f) peak = Math.max(peak, v);
          for (let n = 0; n < 60; n++) {
            const ref = confocalKernel(depths[n] - x0, sigma, mu);
            if (Math.abs(f[n] - ref) > 1e-10 * Math.max(ref, 1e-3 * peak) + 1e-290) return false;
          }
          return true;
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('confocalDepthProfile: result shape and defaults', () => {
  it('defaults to 40 steps × 5 µm from 0, Float32 counts, calibration from energies', () => {
    const p = confocalDepthProfile(
      { phi0: [1, 2, 3], muLinPerUm: [0.1, 0.1, 0.1], energyKeV: [1, 1.01, 1.02] },
      SETUP,
      12,
      { liveTimeS: 10, source: 'unit' },
    );
    expect(p.nSteps).toBe(40);
    expect(p.nChannels).toBe(3);
    expect(p.counts).toBeInstanceOf(Float32Array);
    expect(p.counts.length).toBe(120);
    expect(Array.from(p.depthsUm)).toEqual(Array.from(defaultConfocalDepthsUm()));
    expect(p.depthsUm[39]).toBe(195);
    expect(p.stepUm).toBe(5);
    expect(p.calibration.offsetKeV).toBe(1);
    expect(p.calibration.gainKeVPerChannel).toBeCloseTo(0.01, 14);
    expect(p.calibration.nChannels).toBe(3);
    expect(Array.from(p.liveTimesS)).toEqual(new Array(40).fill(10));
    expect(p.source).toBe('unit');
    expect(p.normalisation).toBe('muLinStep');
  });

  it('uses the calibration for channel energies and writes into a caller buffer', () => {
    const out = new Float64Array(40 * 2);
    const cal = { offsetKeV: 8, gainKeVPerChannel: 0.5, nChannels: 2 };
    const p = confocalDepthProfile(
      { phi0: [1, 1], muLinPerUm: [0.02, 0.02], calibration: cal },
      SETUP,
      30,
      {
        out,
      },
    );
    expect(p.counts).toBe(out);
    const q = confocalProfileFactors([0.02, 0.02], [8, 8.5], SETUP, 30, {
      out: new Float64Array(80),
    });
    expect(Array.from(out)).toEqual(Array.from(q));
    // σ and T as documented
    expect(confocalSigmaUm(SETUP, 8)).toBeCloseTo(25 * Math.exp(-0.96) + 6, 12);
    expect(confocalTransmission(SETUP, 16)).toBeCloseTo(0.9 * Math.exp(-0.5), 12);
  });
});

describe('input validation (InvalidArgumentError naming parameter, index and value)', () => {
  const ok = { phi0: [1, 1], muLinPerUm: [0.1, 0.1], energyKeV: [5, 6] };
  const cases: [string, () => unknown, RegExp][] = [
    [
      'length mismatch',
      () => confocalDepthProfile({ ...ok, phi0: [1] }, SETUP, 0),
      /phi0\.length.*`1`/,
    ],
    [
      'negative μ',
      () => confocalDepthProfile({ ...ok, muLinPerUm: [0.1, -2] }, SETUP, 0),
      /muLinPerUm\[1\].*`-2`/,
    ],
    [
      'NaN energy',
      () => confocalDepthProfile({ ...ok, energyKeV: [NaN, 6] }, SETUP, 0),
      /energyKeV\[0\].*NaN/,
    ],
    [
      'negative Φ0',
      () => confocalDepthProfile({ ...ok, phi0: [1, -1] }, SETUP, 0),
      /phi0\[1\].*`-1`/,
    ],
    ['tB = 0', () => confocalDepthProfile(ok, { ...SETUP, tB: 0 }, 0), /setup\.tB.*`0`/],
    [
      'σ ≤ 0',
      () => confocalDepthProfile(ok, { ...SETUP, sigmaMaxUm: 0, sigmaOffUm: -1 }, 0),
      /σ\(E\).*`-1`/,
    ],
    ['x0 NaN', () => confocalDepthProfile(ok, SETUP, NaN), /x0Um.*NaN/],
    [
      'depths not increasing',
      () => confocalDepthProfile(ok, SETUP, 0, { depthsUm: [0, 5, 5] }),
      /depthsUm\[2\].*`5`/,
    ],
    [
      'step needed',
      () => confocalDepthProfile(ok, SETUP, 0, { depthsUm: [0, 5, 11] }),
      /stepUm is required/,
    ],
    [
      'single depth',
      () => confocalDepthProfile(ok, SETUP, 0, { depthsUm: [3] }),
      /stepUm is required/,
    ],
    [
      'bad out',
      () => confocalDepthProfile(ok, SETUP, 0, { out: new Float32Array(3) }),
      /out must be.*80/,
    ],
    [
      'non-uniform energies',
      () =>
        confocalDepthProfile(
          { ...ok, phi0: [1, 1, 1], muLinPerUm: [1, 1, 1], energyKeV: [1, 2, 4] },
          SETUP,
          0,
        ),
      /energyKeV\[1\]/,
    ],
    ['kernel σ = 0', () => confocalKernel(0, 0, 1), /sigmaUm.*`0`/],
  ];
  it.each(cases)('%s', (_name, fn, message) => {
    expect(fn).toThrow(InvalidArgumentError);
    expect(fn).toThrow(message);
  });

  it('accepts a non-uniform grid with an explicit step, matching the kernel', () => {
    const depths = [0, 3, 11, 40];
    const f = confocalProfileFactors([0.1], [7], flatSetup(10), 5, {
      depthsUm: depths,
      stepUm: 5,
      out: new Float64Array(4),
    });
    for (let n = 0; n < 4; n++)
      expect(f[n]).toBeCloseTo(0.1 * 5 * confocalKernel(depths[n] - 5, 10, 0.1), 15);
  });
});
