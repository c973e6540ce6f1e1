/**
 * Writes the default instrument's excitation source (tube continuum and lines × tube current ×
 * optic solid angle × optic band-pass, before any air path) and geometry to JSON, as the input
 * of the independent reference script `training/reference/sherman_primary.py`. Uses only the
 * public API.
 *
 * Usage: npx tsx scripts/export-excitation.ts [out.json]
 * (default test/fixtures/sherman/excitation.json)
 */
import { writeFileSync } from 'node:fs';
import { AIR, bandPass, defaultInstrument, tubeSpectrum } from '../src/index.js';

const out = process.argv[2] ?? 'test/fixtures/sherman/excitation.json';
const inst = defaultInstrument();
/** The simulator's lowest simulated line energy, which also starts its excitation grid (keV). */
const minKeV = 1.0;
const tube = tubeSpectrum(inst.tube, { minKeV });
const optic = inst.excitationOptic;
const scale = inst.tube.currentMA * optic.solidAngleSr;
const round = (x: number) => Number(x.toPrecision(10));
const energyKeV: number[] = [];
const photonsPerS: number[] = [];
for (let i = 0; i < tube.energyKeV.length; i++) {
  const e = tube.energyKeV[i];
  energyKeV.push(round(e));
  photonsPerS.push(round(tube.continuumPerSrPerMA[i] * scale * bandPass(optic, e)));
}
const lines = tube.lines.map((l) => ({
  line: l.line,
  energyKeV: round(l.energyKeV),
  photonsPerS: round(l.photonsPerSrPerMA * scale * bandPass(optic, l.energyKeV)),
}));
const doc = {
  description:
    'Excitation source of defaultInstrument(): tube continuum bins and anode lines × current × optic solid angle × band-pass (no air path).',
  instrument: inst,
  minKeV,
  air: { massFractions: AIR.massFractions, densityGPerCm3: AIR.densityGPerCm3 },
  continuum: { energyKeV, photonsPerS, binWidthKeV: tube.binWidthKeV },
  lines,
};
writeFileSync(out, JSON.stringify(doc, null, 1) + '\n');
console.log(`wrote ${out}: ${energyKeV.length} continuum bins, ${lines.length} tube lines`);
