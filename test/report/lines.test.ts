import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors';
import { lineDepthCurve, lineDepthCurves, reportLineFor } from '../../src/report/lines';
import { ERF_SQRT2, syntheticProfile } from './helpers';

// Line energies (keV), Bearden / X-ray data booklet: Fe Kα1 6.404, Zn Kα1 8.639, Pb Lα1 10.551.
const FE_KA = 6.404;
const ZN_KA = 8.639;
const PB_LA = 10.551;

describe('reportLineFor', () => {
  it('takes Kα for light elements and Lα where the K edge is out of reach or out of range', () => {
    expect(reportLineFor('Fe', 1, 40)).toBe('KA1');
    expect(reportLineFor('Pb', 1, 40)).toBe('LA1'); // Pb K edge 88.0 keV
    expect(reportLineFor('Ba', 1, 30)).toBe('LA1'); // Ba Kα1 32.19 keV above 30
    expect(reportLineFor('Ba', 1, 40)).toBe('KA1'); // Ba K edge 37.44 keV < 40
    expect(reportLineFor('Ba', 1, 40, 35)).toBe('LA1');
    expect(reportLineFor('K', 4, 40)).toBeUndefined(); // K Kα 3.31, no L line above 4 keV
  });
});

describe('lineDepthCurve', () => {
  // σ = 60 eV: the ±0.12 keV window is ±2σ and holds erf(√2) = 95.45 % of a peak's area.
  const area = (s: number): number => 1000 + 250 * s;
  const profile = syntheticProfile([
    { energyKeV: FE_KA, sigmaKeV: 0.06, areaPerStep: area },
    { energyKeV: PB_LA, sigmaKeV: 0.06, areaPerStep: () => 400 },
  ]);

  it('recovers the Gaussian area in the window over a sloped background, per live second', () => {
    const c = lineDepthCurve(profile, 'Fe', 'KA1');
    expect(c.energyKeV).toBeCloseTo(FE_KA, 2);
    for (const s of [0, 7, 39]) {
      // Background windows at ±2…3σ still hold 2 × 2.1 % of the peak: allow 3 % low.
      const expected = (area(s) * ERF_SQRT2) / 2;
      expect(c.countsPerS[s] / expected).toBeGreaterThan(0.96);
      expect(c.countsPerS[s] / expected).toBeLessThan(1.01);
    }
    expect(Array.from(c.depthsUm.slice(0, 3))).toEqual([0, 5, 10]);
  });

  it('gives ≈ 0 for a line that is not in the spectrum', () => {
    const c = lineDepthCurve(profile, 'Zn', 'KA1');
    expect(c.energyKeV).toBeCloseTo(ZN_KA, 2);
    for (const v of c.countsPerS) expect(Math.abs(v)).toBeLessThan(1e-6 * 1000);
  });

  it('ranks the strongest lines first and drops elements without a line in range', () => {
    const curves = lineDepthCurves(profile, ['Zn', 'Pb', 'Fe', 'K'], { maxCurves: 2 });
    expect(curves.map((c) => `${c.element} ${c.line}`)).toEqual(['Fe KA1', 'Pb LA1']);
  });

  it('names the line and the range when the window leaves the spectrum', () => {
    const short = { ...profile, calibration: { ...profile.calibration, gainKeVPerChannel: 0.002 } };
    expect(() => lineDepthCurve(short, 'Fe', 'KA1')).toThrow(InvalidArgumentError);
    expect(() => lineDepthCurve(short, 'Fe', 'KA1')).toThrow(
      /Fe KA1 at 6\.40\d keV.*0\.000–4\.094 keV/,
    );
  });
});
