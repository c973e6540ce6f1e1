/**
 * MXRF spectrum benchmark: one 4096-channel spectrum of a 30-element composition in a light
 * matrix on the default instrument. Baseline, timed in the same run on the same sample and
 * instrument: the frozen first-generation simulator (`legacy/mxrfSimulatorV1.ts`), which does the
 * same job with less physics (total-cross-section scatter, no scatter-excited fluorescence, no
 * multiple scatter, pile-up of the six strongest peaks only).
 */
import { createMxrfSimulator } from '../src/index.js';
import { createMxrfSimulatorV1 } from './legacy/mxrfSimulatorV1.js';
import { THIRTY_ELEMENTS } from './physics.bench.js';
import { report, timeIt } from './util.js';

export async function run(): Promise<void> {
  console.log(
    '\n## spectra: simulateMxrfSpectrum, 30 elements + light matrix, 4096 × 10 eV (XMI-MSIM: ~15 s)',
  );
  let t0 = performance.now();
  const sim = createMxrfSimulator();
  console.log(
    `createMxrfSimulator (once per instrument): ${(performance.now() - t0).toFixed(1)} ms`,
  );
  t0 = performance.now();
  const old = createMxrfSimulatorV1();
  console.log(`first-generation simulator preparation: ${(performance.now() - t0).toFixed(1)} ms`);
  const sample = { composition: THIRTY_ELEMENTS, densityGPerCm3: 1.2 };
  const spectrum = sim.simulate(sample);
  old.simulate(sample);
  const baseline = timeIt(() => old.simulate(sample), 1000);
  report('baseline: first-generation simulator, same sample', baseline);
  const t = timeIt(() => sim.simulate(sample), 1000);
  report('simulate (current physics + detector)', t, { name: 'baseline', t: baseline });
  const directional = createMxrfSimulator(
    {},
    { doubleScatter: 'directional', higherScatterOrders: true },
  );
  directional.simulate(sample);
  const td = timeIt(() => directional.simulate(sample), 1000);
  report('simulate, directional double scatter + higher orders', td, { name: 'default', t });
  console.log(
    `  ${spectrum.lines.length} lines, ${(spectrum.countRatePerS / 1000).toFixed(0)} kcps; ` +
      `target ≤ 5 ms per spectrum: ${t.medianUs <= 5000 ? 'met' : 'NOT met'}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
