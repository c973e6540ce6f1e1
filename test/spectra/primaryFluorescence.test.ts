import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  atomicNumber,
  bandPass,
  defaultInstrument,
  detectorEfficiency,
  createEnergyGrid,
  crossSectionOnGrid,
  resolveMaterial,
} from '../../src/index.js';
import type { Excitation } from '../../src/spectra/excitation.js';
import {
  prepareElement,
  prepareLineGrid,
  primaryLine,
} from '../../src/spectra/primaryFluorescence.js';

interface Reference {
  excitationKeV: number[];
  excitationPhotons: number[];
  incidenceDeg: number;
  exitDeg: number;
  samples: Record<string, Record<string, number>>;
  lines: { sample: string; element: string; line: string; energyKeV: number; intensity: number }[];
}

// Independent values: training/reference/sherman_reference.py (xraylib 4.3.0).
const ref = JSON.parse(
  readFileSync(path.resolve(__dirname, '../fixtures/sherman/reference.json'), 'utf8'),
) as Reference;

/** A discrete excitation (monochromatic lines only) in the simulator's internal form. */
function discreteExcitation(energyKeV: number[], photons: number[]): Excitation {
  const e = Float64Array.from(energyKeV);
  const grid = createEnergyGrid(e);
  const compton = e.map((x) => x / (1 + x / 511));
  return {
    energyKeV: e,
    photonsPerS: Float64Array.from(photons),
    isLine: new Uint8Array(e.length).fill(1),
    binWidthKeV: new Float64Array(e.length),
    grid,
    coarseEnergyKeV: e,
    coarseGrid: grid,
    coarseOf: Int32Array.from(e, (_, i) => i),
    coarsePhotonsPerS: Float64Array.from(photons),
    coarseLoKeV: e,
    coarseHiKeV: e,
    coarseComptonKeV: compton,
    coarseComptonGrid: createEnergyGrid(compton),
  };
}

describe('primary fluorescence (Sherman equation) against an independent xraylib evaluation', () => {
  const exc = discreteExcitation(ref.excitationKeV, ref.excitationPhotons);
  const lineGrid = prepareLineGrid(1, 50);
  const s1 = Math.sin((ref.incidenceDeg * Math.PI) / 180);
  const s2 = Math.sin((ref.exitDeg * Math.PI) / 180);
  const out = new Float64Array(2);
  for (const name of Object.keys(ref.samples)) {
    it(`${name}: every K and L line within 2 %`, () => {
      const m = resolveMaterial(ref.samples[name]);
      const mu0 = crossSectionOnGrid(exc.grid, m, 'total');
      const aExc = mu0.map((x) => x / s1);
      const muLines = crossSectionOnGrid(lineGrid.grid, m, 'total');
      let checked = 0;
      for (const r of ref.lines.filter((x) => x.sample === name)) {
        const k = m.z.indexOf(atomicNumber(r.element));
        const w = m.massFraction[k];
        const p = prepareElement(m.z[k], exc, lineGrid, 50, () => 1);
        const l = p.lines.find((x) => x.iupac === r.line);
        if (!l) continue;
        primaryLine(
          exc.photonsPerS,
          p.shells[l.shellIndex].prodExc,
          aExc,
          muLines[l.gridIndex] / s2,
          s1,
          out,
        );
        const ours = (w * l.omegaP * out[0]) / s1;
        expect(Math.abs(ours / r.intensity - 1), `${r.element} ${r.line}`).toBeLessThan(0.02);
        checked++;
      }
      expect(checked).toBeGreaterThan(3);
    });
  }
});

describe('public building blocks on their own', () => {
  it('detectorEfficiency of the default SDD matches the xraylib evaluation within 2 %', () => {
    const det = defaultInstrument().detector;
    const rows = (
      ref as unknown as { detectorEfficiency: { energyKeV: number; efficiency: number }[] }
    ).detectorEfficiency;
    expect(rows.length).toBe(8);
    for (const r of rows) {
      expect(
        Math.abs(detectorEfficiency(det, r.energyKeV) / r.efficiency - 1),
        `${r.energyKeV} keV`,
      ).toBeLessThan(0.02);
    }
  });
  it('bandPass is amplitude · exp(−(E − centre)²/(2 width²))', () => {
    const b = { amplitude: 0.8, centreKeV: 14, widthKeV: 8 };
    expect(bandPass(b, 6)).toBeCloseTo(0.8 * Math.exp(-0.5), 14);
    expect(bandPass(b, 14)).toBe(0.8);
    expect(bandPass(b, 30)).toBeCloseTo(0.8 * Math.exp(-2), 14);
  });
});
