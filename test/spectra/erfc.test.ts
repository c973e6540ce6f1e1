import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { erf, erfc, erfcx } from '../../src/spectra/erfc';
import { erfcFloat32Band, erfcxFloat32 } from '../../src/spectra/confocalKernel';

interface Fixture {
  columns: string[];
  rows: [number, number | null, number | null, number | null][];
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/erfc/erfc.json', import.meta.url), 'utf8'),
) as Fixture;

/** Largest relative error of `fn` against column `col` of the mpmath fixture. */
function maxRelError(fn: (x: number) => number, col: 1 | 2 | 3): { err: number; at: number } {
  let err = 0;
  let at = NaN;
  for (const row of fixture.rows) {
    const ref = row[col];
    if (ref === null) continue;
    const got = fn(row[0]);
    const e = ref === 0 ? Math.abs(got) : Math.abs(got - ref) / Math.abs(ref);
    if (!(e <= err)) {
      err = e;
      at = row[0];
    }
  }
  return { err, at };
}

describe('erf/erfc/erfcx against mpmath (60 digits), test/fixtures/erfc', () => {
  it('fixture covers the branch points and the huge-argument range', () => {
    const xs = fixture.rows.map((r) => r[0]);
    expect(fixture.rows.length).toBeGreaterThan(2000);
    for (const x of [0.46875, -0.46875, 4, 26.543, -26.628, 1e300]) expect(xs).toContain(x);
  });

  it('erfcx: max relative error ≤ 2e-15 over the whole real line (x ≥ −26.6)', () => {
    const { err, at } = maxRelError(erfcx, 3);
    expect(err, `at x = ${at}`).toBeLessThanOrEqual(2e-15);
  });

  it('erfc: max relative error ≤ 2e-15 wherever erfc is a normal double', () => {
    const { err, at } = maxRelError(erfc, 2);
    expect(err, `at x = ${at}`).toBeLessThanOrEqual(2e-15);
  });

  it('erf: max relative error ≤ 1e-15 (incl. tiny arguments)', () => {
    const { err, at } = maxRelError(erf, 1);
    expect(err, `at x = ${at}`).toBeLessThanOrEqual(1e-15);
  });
});

describe('erf/erfc/erfcx: Abramowitz & Stegun Table 7.1 (independent of mpmath)', () => {
  // A&S 7.1 tabulates erf x to 15 decimals; these are its entries.
  const table: [number, number][] = [
    [0.1, 0.112462916018285],
    [0.5, 0.520499877813047],
    [1.0, 0.842700792949715],
    [1.5, 0.966105146475311],
    [2.0, 0.995322265018953],
  ];
  it.each(table)('erf(%d) matches A&S to 1e-15 absolute', (x, ref) => {
    expect(Math.abs(erf(x) - ref)).toBeLessThan(1e-15);
    expect(Math.abs(erfc(x) - (1 - ref))).toBeLessThan(1.5e-15);
  });
});

describe('erfc/erfcx: edges, limits and identities', () => {
  it('never returns NaN for non-NaN input and propagates NaN', () => {
    for (const x of [-Infinity, -1e308, -27, -26.7, -1, -0, 0, 1e-320, 27.2, 1e308, Infinity]) {
      expect(Number.isNaN(erfc(x))).toBe(false);
      expect(Number.isNaN(erfcx(x))).toBe(false);
      expect(Number.isNaN(erf(x))).toBe(false);
    }
    expect(erfc(NaN)).toBeNaN();
    expect(erfcx(NaN)).toBeNaN();
    expect(erf(NaN)).toBeNaN();
  });

  it('limits at ±∞', () => {
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfcx(Infinity)).toBe(0);
    expect(erfcx(-Infinity)).toBe(Infinity);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfcx(-26.7)).toBe(Infinity); // 2·exp(712.9) > 1.8e308
    expect(erfcx(-26.6)).toBeLessThan(Infinity);
  });

  it('erfc in the subnormal range: within 1e-320 absolute, monotone, then exactly 0', () => {
    // erfc(27) = 5.237048923789255685e-319 (mpmath, 60 digits), written as the nearest subnormal
    expect(Math.abs(erfc(27) - 5.23705e-319)).toBeLessThan(1e-320);
    let prev = erfc(26.4);
    for (let x = 26.4; x <= 27.5; x += 0.01) {
      const v = erfc(x);
      expect(v).toBeLessThanOrEqual(prev);
      prev = v;
    }
    expect(erfc(27.3)).toBe(0);
    expect(erfc(40)).toBe(0);
  });

  it('erfcx(x) → 1/(x√π) for huge x (no underflow to 0 before 1e307)', () => {
    for (const x of [1e8, 1e100, 1e300]) {
      expect(erfcx(x) * x * Math.sqrt(Math.PI)).toBeCloseTo(1, 14);
    }
  });

  it('reflection identities erfc(−x) = 2 − erfc(x) and erfcx(−x) = 2exp(x²) − erfcx(x)', () => {
    for (let x = 0; x <= 6; x += 0.173) {
      expect(erfc(-x) + erfc(x)).toBeCloseTo(2, 15);
      expect(erf(-x)).toBe(-erf(x));
      const lhs = erfcx(-x);
      const rhs = 2 * Math.exp(x * x) - erfcx(x);
      expect(Math.abs(lhs - rhs) / rhs).toBeLessThan(1e-14);
    }
  });

  it('continuous across the branch points ±0.46875 and ±4 (jump minus slope < 1e-14 relative)', () => {
    const h = 2 ** -40;
    const derivErfc = (x: number) => (-2 / Math.sqrt(Math.PI)) * Math.exp(-x * x);
    const derivErfcx = (x: number) => 2 * x * erfcx(x) - 2 / Math.sqrt(Math.PI);
    for (const b of [0.46875, 4, -0.46875, -4]) {
      for (const [fn, d] of [
        [erfc, derivErfc],
        [erfcx, derivErfcx],
      ] as const) {
        const jump = fn(b + h) - fn(b - h) - 2 * h * d(b);
        expect(Math.abs(jump) / Math.abs(fn(b)), `x = ${b}`).toBeLessThan(1e-14);
      }
    }
  });
});

describe('erfcxFloat32 (table used for Float32 confocal output)', () => {
  it('agrees with erfcx to 2e-8 relative on [0.46875, 40] (below half a float32 ulp)', () => {
    let worst = 0;
    for (let x = 0.46875; x < 40; x += 0.000731) {
      worst = Math.max(worst, Math.abs(erfcxFloat32(x) / erfcx(x) - 1));
    }
    expect(worst).toBeLessThan(2e-8);
    expect(worst).toBeGreaterThan(0); // it is an approximation, not the same function
  });
});

describe('erfcFloat32Band (erfc table used for Float32 confocal output on [−4, 0.46875])', () => {
  it('agrees with erfc to 2e-9 relative over the band, end points included', () => {
    let worst = 0;
    const check = (u: number): void => {
      worst = Math.max(worst, Math.abs(erfcFloat32Band(u) / erfc(u) - 1));
    };
    for (let u = -4; u <= 0.46875; u += 0.000317) check(u);
    check(-4);
    check(0.46875);
    expect(worst).toBeLessThan(2e-9);
    expect(worst).toBeGreaterThan(0); // it is an approximation, not the same function
  });
});
