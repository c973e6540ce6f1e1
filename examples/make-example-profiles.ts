/**
 * Writes the example measured-like depth profiles in `examples/data/`: a biological
 * reference-material-like pellet and a glass, simulated with the default instrument (2048 ×
 * 20 eV calibration), 40 steps × 5 µm, 10 s live time per step, Poisson noise — each as CSV
 * (docs/formats.md) and as an EMSA/MSA series (one spectrum per step, #ZPOSITION).
 *
 * Run: `npx tsx examples/make-example-profiles.ts [outDir]` (deterministic: fixed seed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  confocalProfileFromSpectrum,
  createMxrfSimulator,
  createRng,
  depthProfileToCsv,
  massFractions,
  poissonNoise,
  spectrumToEmsa,
  type DepthProfile,
} from '../src/index.js';
import { BIOLOGICAL_PELLET, GLASS } from './simulate-spectra.js';

/** The example samples: name, composition, density, surface position, setup. */
export const EXAMPLE_SAMPLES = [
  {
    name: 'biological-pellet',
    composition: BIOLOGICAL_PELLET,
    densityGPerCm3: 1.3,
    surfaceUm: 42,
    setup: { tA: 1, tB: 5.5, tM: 11, sigmaMaxUm: 24, sigmaExpPerKeV: 0.12, sigmaOffUm: 6 },
  },
  {
    name: 'glass',
    composition: GLASS,
    densityGPerCm3: 3.1,
    surfaceUm: 37,
    setup: { tA: 0.9, tB: 6, tM: 12, sigmaMaxUm: 20, sigmaExpPerKeV: 0.1, sigmaOffUm: 5 },
  },
] as const;

const LIVE_TIME_S = 10;

/** Simulates one noisy example profile (counts for 10 s per step). */
export function exampleProfile(i: number): DepthProfile {
  const ex = EXAMPLE_SAMPLES[i];
  const sim = createMxrfSimulator({
    calibration: { offsetKeV: 0, gainKeVPerChannel: 0.02, nChannels: 2048 },
    liveTimeS: LIVE_TIME_S,
  });
  const s = sim.simulate({ composition: ex.composition, densityGPerCm3: ex.densityGPerCm3 });
  const p = confocalProfileFromSpectrum(s, ex.setup, ex.surfaceUm, {
    out: new Float64Array(40 * 2048),
  });
  poissonNoise(p.counts, createRng(`example-${ex.name}`), p.counts);
  return {
    ...p,
    liveTimesS: new Float64Array(40).fill(LIVE_TIME_S),
    source: `cmxrf example ${ex.name}`,
  };
}

/** True values of one example profile (what `examples/data/truth.json` holds per file stem). */
export interface ExampleTruth {
  /** Element mass fractions (0..1) of the sample, all elements. */
  massFractions: Record<string, number>;
  /** Density (g/cm³). */
  densityGPerCm3: number;
  /** Surface position on the scan axis (µm). */
  surfaceUm: number;
  /** Confocal setup used for the simulation. */
  setup: (typeof EXAMPLE_SAMPLES)[number]['setup'];
}

/** The true values of every example profile, by file stem (`glass`, `biological-pellet`). */
export function exampleTruth(): Record<string, ExampleTruth> {
  const out: Record<string, ExampleTruth> = {};
  for (const ex of EXAMPLE_SAMPLES) {
    const w = massFractions(ex.composition);
    out[ex.name] = {
      massFractions: Object.fromEntries(
        Object.entries(w).map(([el, f]) => [el, Number(f.toPrecision(6))]),
      ),
      densityGPerCm3: ex.densityGPerCm3,
      surfaceUm: ex.surfaceUm,
      setup: ex.setup,
    };
  }
  return out;
}

/** `examples/data/truth.json` text (2-space JSON, trailing newline). */
export function exampleTruthJson(): string {
  return JSON.stringify(exampleTruth(), null, 2) + '\n';
}

/** Writes every example profile as CSV and EMSA series, and truth.json; returns the paths. */
export function writeExampleProfiles(outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  EXAMPLE_SAMPLES.forEach((ex, i) => {
    const p = exampleProfile(i);
    const csv = join(outDir, `${ex.name}.csv`);
    writeFileSync(csv, depthProfileToCsv(p));
    const blocks: string[] = [];
    for (let n = 0; n < p.nSteps; n++) {
      blocks.push(
        spectrumToEmsa(
          {
            counts: Float64Array.from(p.counts.subarray(n * p.nChannels, (n + 1) * p.nChannels)),
            calibration: p.calibration,
            liveTimeS: p.liveTimesS[n],
            stagePositionUm: { zUm: p.depthsUm[n] },
            metadata: {},
          },
          { title: `${ex.name} step ${n}` },
        ),
      );
    }
    const msa = join(outDir, `${ex.name}.msa`);
    writeFileSync(msa, blocks.join(''));
    written.push(csv, msa);
  });
  const truth = join(outDir, 'truth.json');
  writeFileSync(truth, exampleTruthJson());
  written.push(truth);
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const p of writeExampleProfiles(process.argv[2] ?? 'examples/data'))
    console.log(`wrote ${p}`);
}
