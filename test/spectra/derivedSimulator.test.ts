/**
 * `MxrfSimulator.derive`: a simulator with another excitation optic band-pass or pulse-pair
 * resolution that shares the prepared tables. Reference: a simulator prepared from scratch for
 * the changed instrument (independent of the reweighting path).
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors';
import {
  createMxrfSimulator,
  type BulkSample,
  type MxrfSpectrum,
} from '../../src/spectra/mxrfSimulator';

const SAMPLES: BulkSample[] = [
  { composition: { SiO2: 0.6, PbO: 0.1, CaO: 0.1, Fe2O3: 0.05, Na2O: 0.15 }, densityGPerCm3: 3 },
  { composition: { Fe: 0.7, Cr: 0.18, Ni: 0.1, Mn: 0.02 }, densityGPerCm3: 7.9 },
  {
    composition: { C: 0.44, H: 0.06, O: 0.49, K: 0.005, Zn: 0.002, Sr: 0.001, Cd: 0.002 },
    densityGPerCm3: 1.2,
  },
];

/** Largest |a − b| relative to the largest count of b, over channels. */
function maxRelDiff(a: MxrfSpectrum, b: MxrfSpectrum): number {
  let peak = 0;
  for (const v of b.counts) peak = Math.max(peak, v);
  let d = 0;
  for (let c = 0; c < a.counts.length; c++) d = Math.max(d, Math.abs(a.counts[c] - b.counts[c]));
  return d / peak;
}

/** Ratio of summed counts over the channels of [lo, hi) keV. */
function bandRatio(a: MxrfSpectrum, b: MxrfSpectrum, lo: number, hi: number): number {
  let sa = 0;
  let sb = 0;
  for (let c = 0; c < a.counts.length; c++) {
    const e = a.energyKeV[c];
    if (e >= lo && e < hi) {
      sa += a.counts[c];
      sb += b.counts[c];
    }
  }
  return sa / sb;
}

describe('MxrfSimulator.derive', () => {
  const base = createMxrfSimulator();

  it('gives bit-identical spectra when nothing changes', () => {
    const same = base.derive({
      excitationOptic: { ...base.instrument.excitationOptic },
      pulsePairResolutionUs: base.instrument.detector.pulsePairResolutionUs,
    });
    for (const s of SAMPLES) {
      const a = base.simulate(s);
      const b = same.simulate(s);
      expect(Array.from(b.counts)).toEqual(Array.from(a.counts));
      expect(Array.from(b.muInCm2PerG)).toEqual(Array.from(a.muInCm2PerG));
    }
  });

  it('equals a fresh simulator for another pulse-pair resolution', () => {
    const d = base.derive({ pulsePairResolutionUs: 0.8 });
    const fresh = createMxrfSimulator({ detector: { pulsePairResolutionUs: 0.8 } });
    expect(d.instrument.detector.pulsePairResolutionUs).toBe(0.8);
    for (const s of SAMPLES) {
      expect(maxRelDiff(d.simulate(s), fresh.simulate(s))).toBeLessThan(1e-12);
      // and differs from the base (the change is not ignored)
      expect(maxRelDiff(base.simulate(s), fresh.simulate(s))).toBeGreaterThan(1e-4);
    }
  });

  it.each([
    { centreKeV: 9, widthKeV: 4 },
    { centreKeV: 20, widthKeV: 25 },
    { centreKeV: 12, widthKeV: 10 },
  ])('matches a fresh simulator for the optic %o within 1.5 %', (optic) => {
    const d = base.derive({ excitationOptic: optic });
    const fresh = createMxrfSimulator({ excitationOptic: optic });
    expect(d.instrument.excitationOptic.centreKeV).toBe(optic.centreKeV);
    // The photons reaching the sample: the same as a fresh preparation's, and not the base's.
    expect(d.excitationPhotonsPerS / fresh.excitationPhotonsPerS).toBeCloseTo(1, 12);
    expect(Math.abs(d.excitationPhotonsPerS / base.excitationPhotonsPerS - 1)).toBeGreaterThan(
      0.01,
    );
    for (const s of SAMPLES) {
      const a = d.simulate(s);
      const b = fresh.simulate(s);
      const n = base.simulate(s);
      // Every line within 1.5 % (coarse-group mean energies are the base optic's).
      const lines = new Map(b.lines.map((l) => [`${l.element} ${l.line}`, l]));
      for (const l of a.lines) {
        const r = lines.get(`${l.element} ${l.line}`);
        if (!r || r.primaryCounts + r.secondaryCounts < 1e-3 * b.lines[0].primaryCounts) continue;
        const ratio = (l.primaryCounts + l.secondaryCounts) / (r.primaryCounts + r.secondaryCounts);
        expect(ratio, `${l.element} ${l.line}`).toBeGreaterThan(0.985);
        expect(ratio, `${l.element} ${l.line}`).toBeLessThan(1.015);
      }
      let change = 0;
      for (const [lo, hi] of [
        [3, 8],
        [8, 12],
        [12, 18],
        [18, 25],
      ]) {
        expect(bandRatio(a, b, lo, hi)).toBeGreaterThan(0.985);
        expect(bandRatio(a, b, lo, hi)).toBeLessThan(1.015);
        change = Math.max(change, Math.abs(bandRatio(n, b, lo, hi) - 1));
      }
      // The optic change itself is larger than the tolerance (the test can fail).
      expect(change).toBeGreaterThan(0.05);
    }
  });

  it('derives from a derived simulator relative to the prepared optic', () => {
    const once = base.derive({ excitationOptic: { centreKeV: 11 } });
    const twice = once.derive({ excitationOptic: { widthKeV: 12 } });
    const direct = base.derive({ excitationOptic: { centreKeV: 11, widthKeV: 12 } });
    const s = SAMPLES[0];
    expect(maxRelDiff(twice.simulate(s), direct.simulate(s))).toBeLessThan(1e-12);
  });

  it('rejects an invalid optic or resolution with a named error', () => {
    expect(() => base.derive({ excitationOptic: { widthKeV: 0 } })).toThrow(InvalidArgumentError);
    expect(() => base.derive({ excitationOptic: { widthKeV: 0 } })).toThrow(/widthKeV/);
    expect(() => base.derive({ pulsePairResolutionUs: -1 })).toThrow(/pulsePairResolutionUs/);
  });
});
