import { describe, expect, it } from 'vitest';
import {
  CmxrfError,
  comptonEnergyKeV,
  costerKronig,
  createEnergyGrid,
  edgeEnergyKeV,
  ELECTRON_REST_ENERGY_KEV,
  fluorescenceProduction,
  fluorescenceProductionGrid,
  fluorescenceYield,
  lineEnergyKeV,
  lineRadiativeRate,
  lines,
  photoCrossSection,
  shellPhotoCrossSection,
} from '../../src/index.js';

describe('line lookup', () => {
  it('accepts Siegbahn and IUPAC names, case-insensitively', () => {
    expect(lineEnergyKeV('Cu', 'KA1')).toBe(lineEnergyKeV('Cu', 'K-L3'));
    expect(lineEnergyKeV('Cu', 'ka1')).toBe(lineEnergyKeV('Cu', 'KL3'));
    expect(lineEnergyKeV('Pb', 'LA1')).toBe(lineEnergyKeV('Pb', 'L3-M5'));
    expect(lineEnergyKeV('Pb', 'MA1')).toBe(lineEnergyKeV('Pb', 'M5-N6,7'));
    expect(lineEnergyKeV('Pb', 'LB1')).toBe(lineEnergyKeV('Pb', 'L2-M4'));
  });
  it('radiative rates of the listed K lines sum to ≈ 1 (weak unlisted lines take the rest)', () => {
    for (const el of ['Fe', 'Ag', 'Pb']) {
      const k = lines(el).filter((l) => l.shell === 'K');
      const sum = k.reduce((a, l) => a + l.radiativeRate, 0);
      expect(sum).toBeGreaterThan(0.97);
      expect(sum).toBeLessThan(1.002);
    }
    expect(lineRadiativeRate('Fe', 'KA1')).toBeGreaterThan(lineRadiativeRate('Fe', 'KA2'));
  });
  it('throws typed errors for unknown lines and shells', () => {
    expect(() => lineEnergyKeV('Fe', 'XY9')).toThrow(CmxrfError);
    expect(() => lineEnergyKeV('H', 'KA1')).toThrow(/no line/);
    expect(() => edgeEnergyKeV('Fe', 'Q1')).toThrow(/no shell/);
    expect(() => costerKronig('Fe', 'f99' as 'f12')).toThrow(CmxrfError);
  });
});

describe('fluorescence production', () => {
  it('K line = τ_K · ω_K · p', () => {
    for (const e of [8, 15, 30]) {
      const byHand =
        shellPhotoCrossSection('Cu', 'K', e) *
        fluorescenceYield('Cu', 'K') *
        lineRadiativeRate('Cu', 'KA1');
      expect(fluorescenceProduction('Cu', 'KA1', e)).toBeCloseTo(byHand, 9);
    }
  });
  it('is zero below the edge and positive above', () => {
    const ek = edgeEnergyKeV('Fe', 'K');
    expect(fluorescenceProduction('Fe', 'KA1', ek * 0.999)).toBe(0);
    expect(fluorescenceProduction('Fe', 'KA1', ek)).toBeGreaterThan(0);
  });
  it('L3 lines include Coster–Kronig transfers: τ_L3 + f23 τ_L2 + (f13 + f12 f23) τ_L1', () => {
    const e = 16.5; // above Pb L1 (15.86 keV), below Pb K
    const t1 = shellPhotoCrossSection('Pb', 'L1', e);
    const t2 = shellPhotoCrossSection('Pb', 'L2', e);
    const t3 = shellPhotoCrossSection('Pb', 'L3', e);
    const f12 = costerKronig('Pb', 'f12');
    const f13 = costerKronig('Pb', 'f13');
    const f23 = costerKronig('Pb', 'f23');
    const vac = t3 + f23 * t2 + (f13 + f12 * f23) * t1;
    const expected = vac * fluorescenceYield('Pb', 'L3') * lineRadiativeRate('Pb', 'LA1');
    expect(fluorescenceProduction('Pb', 'LA1', e)).toBeCloseTo(expected, 9);
    // Shell fractions of the photo cross section sum to less than 1 (outer shells take the rest).
    expect((t1 + t2 + t3) / photoCrossSection('Pb', e)).toBeLessThan(1);
    expect((t1 + t2 + t3) / photoCrossSection('Pb', e)).toBeGreaterThan(0.5);
  });
  it('adds the radiative K→L cascade above the K edge (cascade: radiative)', () => {
    const e = edgeEnergyKeV('Sn', 'K') * 1.01;
    const tau = (s: string) => shellPhotoCrossSection('Sn', s, e);
    const [f12, f13, f23] = (['f12', 'f13', 'f23'] as const).map((f) => costerKronig('Sn', f));
    const wK = fluorescenceYield('Sn', 'K');
    const p = (l: string) => lineRadiativeRate('Sn', l);
    const nL1 = tau('L1') + tau('K') * wK * p('K-L1');
    const nL2 = tau('L2') + tau('K') * wK * p('K-L2') + f12 * nL1;
    const nL3 = tau('L3') + tau('K') * wK * p('K-L3') + f13 * nL1 + f23 * nL2;
    const expected = nL3 * fluorescenceYield('Sn', 'L3') * p('LA1');
    expect(fluorescenceProduction('Sn', 'LA1', e, { cascade: 'radiative' })).toBeCloseTo(
      expected,
      9,
    );
    // The cascade is a sizeable part of L3 vacancies for Sn (K shell takes most of τ).
    const cascade = tau('K') * wK * p('K-L3');
    expect(cascade / nL3).toBeGreaterThan(0.2);
  });
  it('grid version equals the scalar function', () => {
    const g = createEnergyGrid(Float64Array.from({ length: 300 }, (_, i) => 5 + i * 0.1));
    const a = fluorescenceProductionGrid('Pb', 'LA1', g);
    for (let i = 0; i < 300; i += 7) {
      expect(a[i]).toBeCloseTo(fluorescenceProduction('Pb', 'LA1', g.energyKeV[i]), 8);
    }
  });
});

describe('comptonEnergyKeV', () => {
  it('matches the analytic Compton formula at E = m_e c²', () => {
    expect(comptonEnergyKeV(ELECTRON_REST_ENERGY_KEV, 90)).toBeCloseTo(
      ELECTRON_REST_ENERGY_KEV / 2,
      9,
    );
    expect(comptonEnergyKeV(ELECTRON_REST_ENERGY_KEV, 180)).toBeCloseTo(
      ELECTRON_REST_ENERGY_KEV / 3,
      9,
    );
    expect(comptonEnergyKeV(20, 0)).toBe(20);
  });
  it('rejects bad input', () => {
    expect(() => comptonEnergyKeV(-1, 90)).toThrow(CmxrfError);
    expect(() => comptonEnergyKeV(10, 200)).toThrow(/angleDeg/);
  });
});
