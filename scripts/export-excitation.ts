/**
 * Writes the excitation source (tube continuum and lines × tube current × optic solid angle ×
 * optic band-pass, before any air path) and geometry of two instruments to JSON, as the input
 * of the independent reference script `training/reference/sherman_primary.py`: the default
 * instrument (test/fixtures/sherman/excitation.json) and an asymmetric one with a Mo tube at
 * 35 kV, 30° incidence and 70° exit (excitation-asymmetric.json). Uses only the public API.
 *
 * Usage: npx tsx scripts/export-excitation.ts [outDir]  (default test/fixtures/sherman)
 */
import { writeFileSync } from 'node:fs';
import {
  AIR,
  bandPass,
  resolveInstrument,
  tubeSpectrum,
  type InstrumentOverrides,
} from '../src/index.js';

const outDir = process.argv[2] ?? 'test/fixtures/sherman';
/** The simulator's lowest simulated line energy, which also starts its excitation grid (keV). */
const minKeV = 1.0;
const round = (x: number) => Number(x.toPrecision(10));

/** The asymmetric instrument of the reference values (the tests read it from the JSON). */
const ASYMMETRIC_INSTRUMENT: InstrumentOverrides = {
  tube: { anode: 'Mo', voltageKV: 35 },
  incidenceDeg: 30,
  exitDeg: 70,
};

function exportInstrument(overrides: InstrumentOverrides, file: string): void {
  const inst = resolveInstrument(overrides);
  const tube = tubeSpectrum(inst.tube, { minKeV });
  const optic = inst.excitationOptic;
  const scale = inst.tube.currentMA * optic.solidAngleSr;
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
      'Excitation source: tube continuum bins and anode lines × current × optic solid angle × band-pass (no air path).',
    overrides,
    instrument: inst,
    minKeV,
    air: { massFractions: AIR.massFractions, densityGPerCm3: AIR.densityGPerCm3 },
    continuum: { energyKeV, photonsPerS, binWidthKeV: tube.binWidthKeV },
    lines,
  };
  const out = `${outDir}/${file}`;
  writeFileSync(out, JSON.stringify(doc, null, 1) + '\n');
  console.log(`wrote ${out}: ${energyKeV.length} continuum bins, ${lines.length} tube lines`);
}

exportInstrument({}, 'excitation.json');
exportInstrument(ASYMMETRIC_INSTRUMENT, 'excitation-asymmetric.json');
