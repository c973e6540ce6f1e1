/**
 * Simulates the bulk MXRF spectra of a multi-element glass and of a biological pellet with the
 * default (M4 Tornado-class) instrument, and writes each as CSV (energy, counts) and as an SVG
 * plot (log counts vs energy, main lines labelled).
 *
 * Run: `npx tsx examples/simulate-spectra.ts [outDir]` (default `examples/output`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMxrfSimulator, spectrumToSvg, type MxrfSpectrum } from '../src/index.js';

/** A lead-crystal-like multi-element glass (oxide mass fractions). */
export const GLASS = {
  SiO2: 0.6, PbO: 0.12, K2O: 0.08, Na2O: 0.06, CaO: 0.05, BaO: 0.03, ZnO: 0.02, Fe2O3: 0.01,
  SrO: 0.01, ZrO2: 0.01, TiO2: 0.005, MnO: 0.005,
}; // prettier-ignore

/** A pressed biological pellet (bovine-liver-like; element mass fractions). */
export const BIOLOGICAL_PELLET = {
  C: 0.48, O: 0.3, H: 0.07, N: 0.1, P: 0.011, S: 0.008, K: 0.0099, Cl: 0.0028, Na: 0.0024,
  Mg: 6e-4, Ca: 1.2e-4, Fe: 1.84e-4, Zn: 1.27e-4, Cu: 1.6e-4, Mn: 1.05e-5, Rb: 1.37e-5,
  Se: 2e-6, Sr: 1.4e-7, Pb: 1.3e-7,
}; // prettier-ignore

/** CSV text of a spectrum: `energyKeV,counts`. */
export function spectrumCsv(s: MxrfSpectrum): string {
  const rows = ['energyKeV,counts'];
  for (let c = 0; c < s.counts.length; c++)
    rows.push(`${s.energyKeV[c].toFixed(3)},${s.counts[c].toPrecision(6)}`);
  return rows.join('\n') + '\n';
}

/** Simulates both samples and writes the files; returns the written paths. */
export function writeExampleSpectra(outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const sim = createMxrfSimulator({ liveTimeS: 60 });
  const written: string[] = [];
  for (const [name, composition, densityGPerCm3] of [
    ['glass', GLASS, 3.1],
    ['biological-pellet', BIOLOGICAL_PELLET, 1.3],
  ] as const) {
    const s = sim.simulate({ composition, densityGPerCm3 });
    const labels = s.lines
      .filter((l) => l.siegbahn === 'Ka1' || l.siegbahn === 'La1')
      .slice(0, 12)
      .map((l) => ({
        energyKeV: l.energyKeV,
        text: `${l.element} ${l.siegbahn === 'Ka1' ? 'Kα' : 'Lα'}`,
      }));
    const csvPath = join(outDir, `${name}.csv`);
    const svgPath = join(outDir, `${name}.svg`);
    writeFileSync(csvPath, spectrumCsv(s));
    writeFileSync(
      svgPath,
      spectrumToSvg(s.energyKeV, s.counts, {
        labels,
        energyRangeKeV: [0.5, 30],
        title: `Simulated MXRF spectrum: ${name} (60 s, Rh 50 kV 1 mA)`,
      }),
    );
    written.push(csvPath, svgPath);
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const p of writeExampleSpectra(process.argv[2] ?? 'examples/output'))
    console.log(`wrote ${p}`);
}
