/**
 * Writes the excitation that reaches the sample in the scatter Monte Carlo comparison (bare Rh
 * tube at 50 kV: no excitation optic band-pass, vacuum, 50°/50° geometry) to
 * test/fixtures/scatter-mc/excitation.json: the simulator's own excitation list (continuum bin
 * centres and widths, tube lines), which `training/reference/scatter_mc.py` takes as its
 * incident spectrum. The transport is what the comparison validates, not the tube model.
 *
 * Usage: npx tsx scripts/export-scatter-mc-excitation.ts
 */
import { writeFileSync } from 'node:fs';
import { prepareExcitation } from '../src/spectra/excitation.js';
import { resolveInstrument } from '../src/spectra/instrument.js';
import { SCATTER_MC_INSTRUMENT } from '../test/spectra/scatterMonteCarloSetup.js';

const out = 'test/fixtures/scatter-mc/excitation.json';
const round = (x: number) => Number(x.toPrecision(10));
const inst = resolveInstrument(SCATTER_MC_INSTRUMENT);
const exc = prepareExcitation(inst, 1.0);
const doc = {
  description:
    'Photons per second reaching the sample (bare Rh tube 50 kV, vacuum), as the simulator builds them: continuum bins (centre, width) and tube lines (width 0).',
  incidenceDeg: inst.incidenceDeg,
  exitDeg: inst.exitDeg,
  energyKeV: Array.from(exc.energyKeV, round),
  binWidthKeV: Array.from(exc.binWidthKeV, round),
  isLine: Array.from(exc.isLine),
  photonsPerS: Array.from(exc.photonsPerS, round),
};
writeFileSync(out, JSON.stringify(doc) + '\n');
console.log(`wrote ${out}: ${exc.energyKeV.length} entries`);
