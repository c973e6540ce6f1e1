import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { createRng, deriveSeed, logUniform, normal, uniform } from '../../src/sampling/index.js';

describe('createRng', () => {
  it('reproduces the documented first Alea output of seedrandom for seed "hello."', () => {
    // seedrandom 3.0.5 README: `new alea('hello.')()` → "Always 0.4783254903741181".
    expect(createRng('hello.').next()).toBe(0.4783254903741181);
  });

  it('pins the first numbers of seed "cmxrf" (regression pin, catches an algorithm change)', () => {
    const r = createRng('cmxrf');
    expect([r.next(), r.next(), r.next()]).toEqual([
      0.8247187784872949, 0.906728349160403, 0.8722966434434056,
    ]);
  });

  it('gives the same stream for the same seed, and a number seed equals its string', () => {
    const a = createRng(42);
    const b = createRng('42');
    for (let i = 0; i < 1000; i++) expect(a.next()).toBe(b.next());
  });

  it('gives different streams for different seeds', () => {
    const a = createRng('a');
    const b = createRng('b');
    let same = 0;
    for (let i = 0; i < 1000; i++) if (a.next() === b.next()) same++;
    expect(same).toBe(0);
  });

  it('returns uniforms in [0, 1) with mean 1/2, variance 1/12 and a flat histogram', () => {
    const r = createRng('uniform');
    const n = 200_000;
    const bins = new Float64Array(20);
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) outside++;
      s += u;
      s2 += u * u;
      bins[Math.floor(u * 20)]++;
    }
    expect(outside).toBe(0);
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // 5σ: sd(mean) = √(1/12/n); sd(var) = √((1/80 − 1/144)/n).
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt((1 / 80 - 1 / 144) / n));
    const e = n / 20;
    const chi2 = bins.reduce((acc, o) => acc + (o - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(50); // χ²(19) at p = 1e-4 is ≈ 50.6
  });

  it('saves and restores state exactly, through JSON', () => {
    const r = createRng('resume');
    for (let i = 0; i < 137; i++) r.next();
    const saved = JSON.parse(JSON.stringify(r.state()));
    const snapshot = JSON.stringify(saved);
    expect(saved.algorithm).toBe('alea');
    const expected = Array.from({ length: 1000 }, () => r.next());
    const restored = createRng({ state: saved });
    expect(Array.from({ length: 1000 }, () => restored.next())).toEqual(expected);
    // Restoring does not alias: the saved object is not mutated by drawing.
    expect(JSON.stringify(saved)).toBe(snapshot);
  });

  it('rejects non-finite number seeds and malformed states', () => {
    expect(() => createRng(NaN)).toThrow(InvalidArgumentError);
    expect(() => createRng(Infinity)).toThrow(/Value: `Infinity`/);
    expect(() => createRng({ state: { algorithm: 'alea', c: 1, s0: 2, s1: 0, s2: 0 } })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      createRng({ state: { algorithm: 'arc4', c: 1, s0: 0, s1: 0, s2: 0 } as never }),
    ).toThrow(/algorithm/);
  });
});

describe('deriveSeed', () => {
  it('formats `${seed}:${index}` and validates the index', () => {
    expect(deriveSeed('train', 17)).toBe('train:17');
    expect(deriveSeed(7, 0)).toBe('7:0');
    expect(() => deriveSeed('x', -1)).toThrow(InvalidArgumentError);
    expect(() => deriveSeed('x', 1.5)).toThrow(/Value: `1.5`/);
  });

  it('gives per-sample streams independent of how samples are split across workers', () => {
    const sampleValue = (i: number) => createRng(deriveSeed('ds', i)).next();
    const sequential = Array.from({ length: 10 }, (_, i) => sampleValue(i));
    const reversed = Array.from({ length: 10 }, (_, i) => sampleValue(9 - i)).reverse();
    expect(reversed).toEqual(sequential);
  });

  it('gives uncorrelated neighbouring streams', () => {
    const n = 2000;
    const m = 50;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const a = createRng(deriveSeed('corr', i));
      const b = createRng(deriveSeed('corr', i + 1));
      for (let j = 0; j < m; j++) sxy += (a.next() - 0.5) * (b.next() - 0.5);
    }
    // Correlation = 12·E[(a−½)(b−½)]; under independence its sd is 1/√(n·m).
    const corr = (12 * sxy) / (n * m);
    expect(Math.abs(corr)).toBeLessThan(5 / Math.sqrt(n * m));
  });
});

describe('normal, uniform, logUniform', () => {
  it('normal has mean 0, variance 1 and P(|z| < 1) = 0.6827', () => {
    const r = createRng('normal');
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let inside = 0;
    for (let i = 0; i < n; i++) {
      const z = normal(r);
      s += z;
      s2 += z * z;
      if (Math.abs(z) < 1) inside++;
    }
    const mean = s / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - mean * mean - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    const p = 0.6826894921;
    expect(Math.abs(inside / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
  });

  it('uniform and logUniform stay in range; logUniform has a uniform logarithm', () => {
    const r = createRng('ranges');
    const n = 50_000;
    let below = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = uniform(r, 3, 12);
      if (!(u >= 3 && u < 12)) outside++;
      const l = logUniform(r, 1, 100);
      if (!(l >= 1 && l < 100)) outside++;
      if (l < 10) below++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(below / n - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / n));
  });
});
