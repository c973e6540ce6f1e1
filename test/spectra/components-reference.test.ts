/**
 * Public functions of the spectrum simulator, each on its own, against independent values:
 * detector efficiency and Si escape fraction recomputed with xraylib
 * (test/fixtures/sherman/sherman-xraylib.json, see its README), the Fano-limited resolution from
 * the Fano formula, the Gaussian band-pass from its definition, and the tube spectrum from an
 * independent evaluation of Ebel's model with xraylib data.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bandPass,
  defaultInstrument,
  detectorEfficiency,
  escapeFraction,
  fluorescenceYield,
  fwhmEv,
  tubeSpectrum,
} from '../../src/index.js';

const ref = JSON.parse(
  readFileSync(new URL('../fixtures/sherman/sherman-xraylib.json', import.meta.url), 'utf8'),
) as {
  detectorEfficiency: { energyKeV: number; efficiency: number }[];
  detectorPhotoEfficiency: { energyKeV: number; efficiency: number }[];
  escapeFraction: { energyKeV: number; fraction: number }[];
  siliconKFluorescenceYield: number;
  tube: {
    continuum: { energyKeV: number; photonsPerSrPerMAPerKeV: number }[];
    lines: { line: string; energyKeV: number; photonsPerSrPerMA: number }[];
  };
};

describe('detectorEfficiency against the full-energy (photo-absorption) efficiency', () => {
  // Be window and Si dead layer with total attenuation, photo-absorption in the active Si,
  // all with xraylib cross sections.
  const det = defaultInstrument().detector;
  for (const { energyKeV, efficiency } of ref.detectorPhotoEfficiency) {
    it(`${energyKeV} keV within 2 %`, () => {
      expect(Math.abs(detectorEfficiency(det, energyKeV) / efficiency - 1)).toBeLessThan(0.02);
    });
  }
  it('is below the any-interaction absorption at 40 keV (Compton events leave the peak)', () => {
    const anyInteraction = ref.detectorEfficiency.find((r) => r.energyKeV === 40)!.efficiency;
    expect(detectorEfficiency(det, 40) / anyInteraction).toBeLessThan(0.8);
  });
});

describe('escapeFraction against the normal-incidence formula with xraylib data', () => {
  for (const { energyKeV, fraction } of ref.escapeFraction) {
    it(`${energyKeV} keV within 3 %`, () => {
      expect(Math.abs(escapeFraction(energyKeV) / fraction - 1)).toBeLessThan(0.03);
    });
    it(`${energyKeV} keV within 1 % for the same Si K fluorescence yield`, () => {
      const sameYield = (fraction * fluorescenceYield('Si', 'K')) / ref.siliconKFluorescenceYield;
      expect(Math.abs(escapeFraction(energyKeV) / sameYield - 1)).toBeLessThan(0.01);
    });
  }
  it('is zero below the Si K edge (1.839 keV)', () => {
    expect(escapeFraction(1.83)).toBe(0);
  });
});

describe('fwhmEv against the Fano formula', () => {
  // FWHM_Fano = 2√(2 ln 2) · √(F · ε · E), F = 0.114, ε = 3.85 eV: 119.779 eV at 5.895 keV and
  // 156.006 eV at 10 keV (computed independently from the formula).
  it('a Fano-limited detector (no electronic noise) follows √E', () => {
    const det = { fwhmAtMnKaEv: 119.7795, fanoFactor: 0.114 };
    expect(fwhmEv(det, 5.895)).toBeCloseTo(119.7795, 2);
    expect(fwhmEv(det, 10)).toBeCloseTo(156.006, 1);
  });
  it('noise adds in quadrature: 145 eV at Mn Kα gives 95.45 eV at 1 keV and 235.27 eV at 20 keV', () => {
    const det = { fwhmAtMnKaEv: 145, fanoFactor: 0.114 };
    expect(fwhmEv(det, 1)).toBeCloseTo(95.455, 1);
    expect(fwhmEv(det, 3)).toBeCloseTo(118.234, 1);
    expect(fwhmEv(det, 20)).toBeCloseTo(235.273, 1);
  });
});

describe('bandPass against its Gaussian definition', () => {
  const b = { amplitude: 0.8, centreKeV: 14, widthKeV: 8 };
  it('peaks at the centre with the amplitude', () => {
    expect(bandPass(b, 14)).toBeCloseTo(0.8, 12);
  });
  it('falls to exp(−1/2) one width away and to one half at the half width (1.1774 σ)', () => {
    expect(bandPass(b, 22) / 0.8).toBeCloseTo(Math.exp(-0.5), 12);
    expect(bandPass(b, 6) / 0.8).toBeCloseTo(Math.exp(-0.5), 12);
    expect(bandPass(b, 14 + 8 * Math.sqrt(2 * Math.LN2)) / 0.8).toBeCloseTo(0.5, 12);
  });
});

describe('tubeSpectrum against an independent evaluation of Ebel’s model with xraylib data', () => {
  const t = tubeSpectrum(defaultInstrument().tube, { minKeV: 1 });
  for (const c of ref.tube.continuum) {
    it(`continuum at ${c.energyKeV} keV within 1 %`, () => {
      const i = t.energyKeV.findIndex((e) => Math.abs(e - c.energyKeV) < 1e-6);
      expect(i).toBeGreaterThanOrEqual(0);
      const perKeV = t.continuumPerSrPerMA[i] / t.binWidthKeV;
      expect(Math.abs(perKeV / c.photonsPerSrPerMAPerKeV - 1)).toBeLessThan(0.01);
    });
  }
  for (const l of ref.tube.lines) {
    const tol = l.line === 'K-M3' ? 0.05 : 0.03;
    it(`Rh ${l.line} line within ${tol * 100} %`, () => {
      const m = t.lines.find((x) => x.line === l.line);
      expect(m).toBeDefined();
      expect(Math.abs(m!.energyKeV - l.energyKeV)).toBeLessThan(0.005);
      expect(Math.abs(m!.photonsPerSrPerMA / l.photonsPerSrPerMA - 1)).toBeLessThan(tol);
    });
  }
});
