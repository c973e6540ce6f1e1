import { describe, expect, it } from 'vitest';
import {
  comptonEnergyKeV,
  createMxrfSimulator,
  escapeFraction,
  fwhmEv,
  InvalidArgumentError,
  lineRadiativeRate,
  simulateMxrfSpectrum,
  type MxrfSpectrum,
} from '../../src/index.js';

const sim = createMxrfSimulator();
const lineCounts = (s: MxrfSpectrum, el: string, siegbahn: string) => {
  const l = s.lines.find((x) => x.element === el && x.siegbahn === siegbahn);
  return l ? l.primaryCounts + l.secondaryCounts : 0;
};
const channelOf = (s: MxrfSpectrum, e: number) =>
  Math.round((e - s.calibration.offsetKeV) / s.calibration.gainKeVPerChannel);

describe('simulateMxrfSpectrum: invariants', () => {
  const glass = {
    SiO2: 0.7,
    Na2O: 0.14,
    CaO: 0.1,
    K2O: 0.02,
    Fe2O3: 0.01,
    PbO: 0.01,
    SrO: 0.01,
    ZnO: 0.01,
  };
  const s = sim.simulate({ composition: glass, densityGPerCm3: 2.5 });
  it('counts are finite and ≥ 0 everywhere; nothing below the discriminator', () => {
    for (let c = 0; c < s.counts.length; c++) {
      expect(Number.isFinite(s.counts[c]) && s.counts[c] >= 0, `channel ${c}`).toBe(true);
      expect(Number.isFinite(s.muInCm2PerG[c]) && s.muInCm2PerG[c] > 0).toBe(true);
    }
    for (let c = 0; c < 50; c++) expect(s.counts[c]).toBe(0);
  });
  it('an element absent from the sample contributes exactly zero', () => {
    expect(s.lines.some((l) => l.element === 'Cu')).toBe(false);
  });
  it('lines sit at their energies and are listed with primary and secondary parts', () => {
    const fe = s.lines.find((l) => l.element === 'Fe' && l.siegbahn === 'Ka1')!;
    expect(fe.primaryCounts).toBeGreaterThan(0);
    expect(fe.secondaryCounts).toBeGreaterThanOrEqual(0);
    const c = channelOf(s, fe.energyKeV);
    expect(s.counts[c]).toBeGreaterThan(s.counts[c + 40]);
  });
  it('Rh K Rayleigh and Compton peaks appear; Compton at the instrument angle (100°)', () => {
    // Rh Kα1 (20.216 keV) and Kα2 (20.074 keV) scattered at 100°, weighted 2 : 1.
    const eC = (2 * comptonEnergyKeV(20.216, 100) + comptonEnergyKeV(20.074, 100)) / 3;
    const cC = channelOf(s, eC);
    const cR = channelOf(s, 20.216);
    const bg = s.counts[channelOf(s, 17.5)];
    expect(s.counts[cR]).toBeGreaterThan(1.5 * bg);
    // The Compton peak maximum lies within ±80 eV of the weighted Compton energy.
    let best = cC - 20;
    for (let c = cC - 20; c <= cC + 20; c++) if (s.counts[c] > s.counts[best]) best = c;
    expect(Math.abs(best - cC), `max at ${best}, expected ${cC}`).toBeLessThanOrEqual(8);
  });
  it('counts scale linearly with live time and tube current (pile-up off)', () => {
    const base = { detector: { pulsePairResolutionUs: 0 } };
    const a = createMxrfSimulator(base).simulate({ composition: glass, densityGPerCm3: 2.5 });
    const b = createMxrfSimulator({ ...base, liveTimeS: 2 }).simulate({
      composition: glass,
      densityGPerCm3: 2.5,
    });
    const c = createMxrfSimulator({ ...base, tube: { currentMA: 0.5 } }).simulate({
      composition: glass,
      densityGPerCm3: 2.5,
    });
    expect(lineCounts(b, 'Fe', 'Ka1') / lineCounts(a, 'Fe', 'Ka1')).toBeCloseTo(2, 10);
    expect(lineCounts(c, 'Fe', 'Ka1') / lineCounts(a, 'Fe', 'Ka1')).toBeCloseTo(0.5, 10);
  });
  it('adding a trace element changes the others by less than its mass fraction', () => {
    const w = 1e-3;
    const withTrace = sim.simulate({
      composition: { ...glass, CuO: w / 0.8 },
      densityGPerCm3: 2.5,
    });
    const ratio = lineCounts(withTrace, 'Fe', 'Ka1') / lineCounts(s, 'Fe', 'Ka1');
    expect(Math.abs(ratio - 1)).toBeLessThan(2 * w);
    expect(lineCounts(withTrace, 'Cu', 'Ka1')).toBeGreaterThan(0);
  });
  it('rejects invalid samples with typed errors', () => {
    expect(() => sim.simulate({ composition: glass, densityGPerCm3: -1 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => sim.simulate({ composition: { Fe: 70, Cr: 30 }, densityGPerCm3: 7 })).toThrow(
      /percent/,
    );
    expect(() => createMxrfSimulator({ tube: { voltageKV: 500 } })).toThrow(/voltageKV/);
  });
});

describe('simulateMxrfSpectrum: reference values', () => {
  it('Kβ/Kα intensity ratios of pure elements follow the emission rates within absorption effects', () => {
    for (const el of ['Cu', 'Zn', 'Sr']) {
      const s = simulateMxrfSpectrum(
        { composition: el, densityGPerCm3: 7 },
        { detector: { pulsePairResolutionUs: 0 } },
      );
      const ka = lineCounts(s, el, 'Ka1') + lineCounts(s, el, 'Ka2');
      const kb = lineCounts(s, el, 'Kb1') + lineCounts(s, el, 'Kb3');
      const rates =
        (lineRadiativeRate(el, 'KB1') + lineRadiativeRate(el, 'KB3')) /
        (lineRadiativeRate(el, 'KA1') + lineRadiativeRate(el, 'KA2'));
      // Both lines lie below the K edge, so the detected ratio differs from the emission ratio only
      // through self-absorption (Kβ is absorbed less) and detector efficiency: accept ±30 %.
      expect(kb / ka).toBeGreaterThan(rates * 0.7);
      expect(kb / ka).toBeLessThan(rates * 1.3);
    }
  });
  it('escape fraction and FWHM are as configured', () => {
    expect(fwhmEv(createMxrfSimulator().instrument.detector, 5.895)).toBeCloseTo(145, 6);
    // Reed & Ware escape probability for Mn Kα in Si: 0.3–0.5 %.
    expect(escapeFraction(5.895)).toBeGreaterThan(0.002);
    expect(escapeFraction(5.895)).toBeLessThan(0.006);
    expect(escapeFraction(1.5)).toBe(0);
  });
});
