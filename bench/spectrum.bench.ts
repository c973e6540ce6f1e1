/**
 * MXRF spectrum benchmark (issue: simulator): one 4096-channel spectrum of a 30-element
 * composition in a light matrix. Baseline, timed in the same run: the naive detector model —
 * every channel evaluates the Gaussian of every emitted line and of every scattered excitation
 * bin directly (no windows, no precomputed continuum kernels).
 */
import { createMxrfSimulator, fwhmEv } from '../src/index.js';
import { THIRTY_ELEMENTS } from './physics.bench.js';
import { report, timeIt } from './util.js';

export async function run(): Promise<void> {
  console.log(
    '\n## spectra: simulateMxrfSpectrum, 30 elements + light matrix, 4096 × 10 eV (XMI-MSIM: ~15 s)',
  );
  const t0 = performance.now();
  const sim = createMxrfSimulator();
  console.log(
    `createMxrfSimulator (once per instrument): ${(performance.now() - t0).toFixed(1)} ms`,
  );
  const sample = { composition: THIRTY_ELEMENTS, densityGPerCm3: 1.2 };
  const spectrum = sim.simulate(sample);
  const det = sim.instrument.detector;
  // Naive baseline: direct per-channel Gaussian sum over all peaks (lines + ~1900 scatter bins).
  const peaksE: number[] = spectrum.lines.map((l) => l.energyKeV);
  const peaksC: number[] = spectrum.lines.map((l) => l.primaryCounts + l.secondaryCounts);
  for (let e = 1.025; e < 50; e += 0.05) {
    peaksE.push(e, e * 0.96);
    peaksC.push(1, 1);
  }
  const sig = peaksE.map((e) => fwhmEv(det, e) / 2354.8);
  const out = new Float64Array(4096);
  const baseline = timeIt(() => {
    for (let c = 0; c < 4096; c++) {
      const e = c * 0.01;
      let v = 0;
      for (let i = 0; i < peaksE.length; i++) {
        const d = (e - peaksE[i]) / sig[i];
        v += (peaksC[i] * Math.exp(-0.5 * d * d)) / sig[i];
      }
      out[c] = v;
    }
  }, 1000);
  report('baseline: naive per-channel Gaussian sum (detector only)', baseline);
  const t = timeIt(() => sim.simulate(sample), 1000);
  report('simulate (full physics + detector)', t, { name: 'baseline', t: baseline });
  console.log(`  ${spectrum.lines.length} lines, ${(spectrum.countRatePerS / 1000).toFixed(0)} kcps; ` +
    `vs XMI-MSIM ~15 s/spectrum: ${(15e6 / t.medianUs).toFixed(0)}× faster`); // prettier-ignore
}
