import { describe, expect, it } from 'vitest';
import {
  CmxrfError,
  element,
  massFractions,
  parseFormula,
  resolveMaterial,
} from '../../src/index.js';

describe('element', () => {
  it('resolves symbols and atomic numbers', () => {
    expect(element('Fe')).toEqual({ z: 26, symbol: 'Fe', name: 'Iron', atomicWeight: 55.845 });
    expect(element(82).symbol).toBe('Pb');
    expect(element('pb').z).toBe(82);
  });
  it('throws a typed error for unknown elements', () => {
    for (const bad of ['Xx', '', 0, 99, 26.5, NaN]) {
      expect(() => element(bad as string)).toThrow(CmxrfError);
    }
    try {
      element('Xx');
    } catch (e) {
      expect((e as CmxrfError).code).toBe('UNKNOWN_ELEMENT');
      expect((e as Error).message).toContain('"Xx"');
    }
  });
});

describe('parseFormula', () => {
  it('parses simple, nested, decimal and hydrate formulas', () => {
    expect(parseFormula('Fe2O3')).toEqual({ Fe: 2, O: 3 });
    expect(parseFormula('Ca3(PO4)2')).toEqual({ Ca: 3, P: 2, O: 8 });
    expect(parseFormula('CuSO4·5H2O')).toEqual({ Cu: 1, S: 1, O: 9, H: 10 });
    expect(parseFormula('Fe0.7Cr0.2Ni0.1')).toEqual({ Fe: 0.7, Cr: 0.2, Ni: 0.1 });
    expect(parseFormula('CO')).toEqual({ C: 1, O: 1 });
    expect(parseFormula('Co')).toEqual({ Co: 1 });
  });
  it('rejects malformed formulas with a position', () => {
    for (const bad of ['Fe2O3)', '(FeO', 'Xy2', 'fe', '2Fe', 'Fe$', '', 'Fe0O']) {
      let err: unknown;
      try {
        parseFormula(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(CmxrfError);
      expect(['MALFORMED_FORMULA', 'UNKNOWN_ELEMENT']).toContain((err as CmxrfError).code);
    }
  });
});

describe('massFractions', () => {
  it('converts a formula with atomic weights (H2O: O = 15.9994/18.0153)', () => {
    const w = massFractions('H2O');
    // Independent check with IUPAC standard atomic weights H 1.008, O 15.999: O = 0.8881.
    expect(w.O).toBeCloseTo(0.8881, 3);
    expect(w.H + w.O).toBeCloseTo(1, 12);
  });
  it('normalises compound mixtures to element fractions', () => {
    const w = massFractions({ SiO2: 0.7, Na2O: 0.2, CaO: 0.1 });
    const sio2 = massFractions('SiO2');
    expect(w.Si).toBeCloseTo(0.7 * sio2.Si, 12);
    const sum = Object.values(w).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
  });
  it('compounds equal their element mixture', () => {
    const a = massFractions('Fe2O3');
    const b = massFractions({ Fe: a.Fe, O: a.O });
    expect(b.Fe).toBeCloseTo(a.Fe, 14);
  });
  it('rejects percent, negative and NaN fractions, and non-unit sums when strict', () => {
    expect(() => massFractions({ Fe: 70, Cr: 30 })).toThrow(/percent/);
    expect(() => massFractions({ Fe: -0.1, Cr: 1.1 })).toThrow(CmxrfError);
    expect(() => massFractions({ Fe: NaN })).toThrow(/Fe/);
    expect(() => massFractions({ Fe: 0.5, Cr: 0.3 }, { strict: true })).toThrow(/strict/);
    expect(massFractions({ Fe: 0.5, Cr: 0.3 }).Fe).toBeCloseTo(0.625, 12);
    expect(() => massFractions({})).toThrow(CmxrfError);
  });
  it('resolveMaterial returns Z-sorted typed arrays', () => {
    const r = resolveMaterial({ O: 0.5, Fe: 0.5 });
    expect(Array.from(r.z)).toEqual([8, 26]);
    expect(r.massFraction[0]).toBeCloseTo(0.5, 12);
  });
});
