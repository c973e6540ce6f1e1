import { describe, expect, it } from 'vitest';
import {
  CmxrfError,
  comptonCrossSection,
  createEnergyGrid,
  crossSectionOnGrid,
  edgeEnergyKeV,
  EnergyOutOfRangeError,
  InvalidArgumentError,
  jumpRatio,
  massAttenuation,
  massAttenuationGrid,
  massFractions,
  photoCrossSection,
  photoCrossSectionGrid,
  rayleighCrossSection,
} from '../../src/index.js';

describe('cross sections: properties', () => {
  it('total = photo + coherent + incoherent', () => {
    for (const [m, e] of [
      ['Fe', 10],
      ['Pb', 33],
      ['H2O', 5],
    ] as const) {
      const sum = photoCrossSection(m, e) + rayleighCrossSection(m, e) + comptonCrossSection(m, e);
      expect(massAttenuation(m, e)).toBeCloseTo(sum, 10);
    }
  });

  it('photoabsorption jumps up across each edge by its jump ratio (±3 %)', () => {
    const cases: [string, string][] = [
      ['Ca', 'K'], ['Fe', 'K'], ['Cu', 'K'], ['Zr', 'K'], ['Ag', 'K'], ['Sn', 'K'],
      ['W', 'L3'], ['W', 'L2'], ['W', 'L1'], ['Pb', 'L3'], ['Pb', 'L2'], ['Pb', 'L1'], ['Bi', 'L3'],
      ['Pb', 'M5'], ['Au', 'M4'],
    ]; // prettier-ignore
    for (const [el, shell] of cases) {
      const e = edgeEnergyKeV(el, shell);
      const above = photoCrossSection(el, e * (1 + 1e-4));
      const below = photoCrossSection(el, e * (1 - 1e-4));
      expect(above / below, `${el} ${shell}`).toBeGreaterThan(jumpRatio(el, shell) * 0.97);
      expect(above / below, `${el} ${shell}`).toBeLessThan(jumpRatio(el, shell) * 1.03);
    }
  });

  it('evaluates exactly at an edge on the above-edge side (documented convention)', () => {
    const e = edgeEnergyKeV('Fe', 'K');
    expect(photoCrossSection('Fe', e)).toBeCloseTo(photoCrossSection('Fe', e * (1 + 1e-9)), 6);
    expect(photoCrossSection('Fe', e) / photoCrossSection('Fe', e * (1 - 1e-4))).toBeGreaterThan(7);
  });

  it('mixtures are mass-weighted sums and compounds equal their element mixture', () => {
    for (const e of [3, 8.5, 17.4, 25, 40]) {
      const mix = massAttenuation({ Fe: 0.3, Pb: 0.2, SiO2: 0.5 }, e);
      const sio2 = massFractions('SiO2');
      const byHand =
        0.3 * massAttenuation('Fe', e) +
        0.2 * massAttenuation('Pb', e) +
        0.5 * (sio2.Si * massAttenuation('Si', e) + sio2.O * massAttenuation('O', e));
      expect(mix).toBeCloseTo(byHand, 9);
      const w = massFractions('Fe2O3');
      expect(massAttenuation('Fe2O3', e)).toBeCloseTo(massAttenuation({ Fe: w.Fe, O: w.O }, e), 9);
    }
  });

  it('decreases monotonically between edges (Fe 7.2 → 40 keV, Pb 1 → 2.4 keV)', () => {
    let prev = Infinity;
    for (let e = 7.2; e <= 40; e += 0.1) {
      const v = massAttenuation('Fe', e);
      expect(v).toBeLessThan(prev);
      prev = v;
    }
  });

  it('grid versions equal the scalar functions (ascending and unsorted grids)', () => {
    const energies = new Float64Array(500).map((_, i) => 1 + i * 0.08);
    const shuffled = energies.slice().reverse();
    const m = { Fe: 0.2, Ca: 0.1, O: 0.4, C: 0.3 };
    const out = new Float64Array(500);
    massAttenuationGrid(m, energies, out);
    const back = massAttenuationGrid(m, shuffled);
    const photo = photoCrossSectionGrid(m, energies);
    const grid = createEnergyGrid(energies);
    const cached = crossSectionOnGrid(grid, m);
    for (let i = 0; i < 500; i++) {
      const ref = massAttenuation(m, energies[i]);
      expect(out[i]).toBeCloseTo(ref, 9);
      expect(back[499 - i]).toBeCloseTo(ref, 9);
      expect(cached[i]).toBeCloseTo(ref, 9);
      expect(photo[i]).toBeCloseTo(photoCrossSection(m, energies[i]), 9);
    }
  });
});

describe('cross sections: bad input', () => {
  it('throws typed errors for NaN, negative and out-of-range energies', () => {
    expect(() => massAttenuation('Fe', NaN)).toThrow(InvalidArgumentError);
    expect(() => massAttenuation('Fe', -1)).toThrow(/energyKeV/);
    expect(() => massAttenuation('Fe', 0.01)).toThrow(EnergyOutOfRangeError);
    expect(() => massAttenuation('Fe', 1e5)).toThrow(EnergyOutOfRangeError);
    try {
      massAttenuation('Fe', 0.01);
    } catch (e) {
      const err = e as EnergyOutOfRangeError;
      expect(err.code).toBe('ENERGY_OUT_OF_RANGE');
      expect(err.z).toBe(26);
      expect(err.minKeV).toBeCloseTo(0.1, 6);
    }
    expect(() => massAttenuationGrid('Fe', new Float64Array([1, NaN]))).toThrow(/energiesKeV\[1\]/);
    expect(() => massAttenuation('Qq', 10)).toThrow(CmxrfError);
  });
});
