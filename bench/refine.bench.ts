/**
 * FP refinement benchmark: time per `refine` on 40 × 4096 profiles (Poisson noise, start values
 * off by ~20 % as from the network), and its ratio to one forward simulation (bulk spectrum +
 * confocal transform onto the comparison grid), timed in the same run. Both wall and CPU
 * time are printed: the code is single-threaded, so CPU time is the one-core cost even on a
 * busy machine. The simulator is prepared once (`createMxrfSimulator`), as `quantify --refine`
 * does; its preparation is printed separately.
 */
import { refine } from '../src/refine/index.js';
import type { QuantificationResult } from '../src/model/result.js';
import { PREDICTED_ELEMENTS } from '../src/predictedElements.js';
import { createRng, normal, poissonNoise } from '../src/sampling/index.js';
import {
  confocalProfileFromSpectrum,
  createMxrfSimulator,
  type MxrfSimulator,
} from '../src/spectra/index.js';
import type { ConfocalSetup, DepthProfile } from '../src/profile.js';
import { report, timeIt } from './util.js';
import { resultMeta } from '../test/refine/resultMeta';

interface Case {
  name: string;
  composition: Record<string, number>;
  densityGPerCm3: number;
  liveTimeS: number;
}

export const CASES: Case[] = [
  {
    name: 'organic, 4 traces',
    composition: { K: 0.012, Ca: 0.015, Fe: 0.002, Zn: 0.0005, H: 0.061, C: 0.428, O: 0.482 },
    densityGPerCm3: 1.1,
    liveTimeS: 10,
  },
  {
    name: 'lead glass, 8 elements',
    composition: {
      K: 0.05, Ca: 0.04, Fe: 0.004, Zn: 0.012, Sr: 0.004, Zr: 0.002, Ba: 0.02, Pb: 0.09,
      Si: 0.3, O: 0.42, Na: 0.058,
    }, // prettier-ignore
    densityGPerCm3: 3.1,
    liveTimeS: 10,
  },
  {
    name: 'leaded brass',
    composition: { Cu: 0.6, Zn: 0.37, Pb: 0.025, Fe: 0.005 },
    densityGPerCm3: 8.5,
    liveTimeS: 5,
  },
];

const SETUP: ConfocalSetup = {
  tA: 1,
  tB: 5.5,
  tM: 11,
  sigmaMaxUm: 22,
  sigmaExpPerKeV: 0.15,
  sigmaOffUm: 6,
};
const DEPTHS = Float64Array.from({ length: 40 }, (_, i) => i * 5);

export function makeCase(sim: MxrfSimulator, c: Case, seed: number) {
  const rng = createRng(`refine-bench:${seed}`);
  const spectrum = sim.simulate({ composition: c.composition, densityGPerCm3: c.densityGPerCm3 });
  const p = confocalProfileFromSpectrum<Float64Array>(spectrum, SETUP, 40, {
    depthsUm: DEPTHS,
    out: new Float64Array(40 * spectrum.counts.length),
  });
  for (let i = 0; i < p.counts.length; i++) p.counts[i] *= c.liveTimeS;
  const profile: DepthProfile = {
    ...p,
    counts: poissonNoise(p.counts, rng),
    liveTimesS: new Float64Array(40).fill(c.liveTimeS),
  };
  const off = () => Math.exp(normal(rng) * 0.2);
  const result: QuantificationResult = {
    modelId: 'bench',
    threshold: 0.5,
    elements: PREDICTED_ELEMENTS.map((element) => {
      const w = c.composition[element] ?? 0;
      return {
        element,
        massFraction: w * off(),
        massFractionRaw: w > 0 ? w * off() : 1e-6,
        presenceProbability: w > 0 ? 1 : 0,
        detected: w > 0,
      };
    }),
    densityGPerCm3: c.densityGPerCm3 * 1.03,
    surfaceUm: 41,
    setup: { ...SETUP, tA: 1.15, tM: 11.4, sigmaMaxUm: 20 },
    ...resultMeta(DEPTHS),
  };
  return { profile, result };
}

export async function run(): Promise<void> {
  console.log('\n## refine: FP refinement of a 40 × 4096 profile (target ≤ 2 s on one core)');
  const t0 = performance.now();
  const sim = createMxrfSimulator();
  console.log(
    `createMxrfSimulator (once per instrument): ${(performance.now() - t0).toFixed(0)} ms`,
  );
  const first = makeCase(sim, CASES[1], 0);
  const gridCal = { offsetKeV: 2.912, gainKeVPerChannel: 0.024, nChannels: 944 };
  const baseline = timeIt(() => {
    const s = sim.simulate({ composition: CASES[1].composition, densityGPerCm3: 3.1 });
    confocalProfileFromSpectrum(s, SETUP, 40, { depthsUm: DEPTHS, rebinTo: gridCal });
  }, 1000);
  report('baseline: one forward simulation (spectrum + transform)', baseline);
  const cpu0 = process.cpuUsage();
  for (let k = 0; k < 20; k++) {
    const s = sim.simulate({ composition: CASES[1].composition, densityGPerCm3: 3.1 });
    confocalProfileFromSpectrum(s, SETUP, 40, { depthsUm: DEPTHS, rebinTo: gridCal });
  }
  const cpuD = process.cpuUsage(cpu0);
  const forwardCpuMs = (cpuD.user + cpuD.system) / 1000 / 20;
  console.log(`  CPU ${forwardCpuMs.toFixed(1)} ms per forward simulation`);
  refine(first.profile, first.result, { simulator: sim }); // warm-up
  for (const c of CASES) {
    const { profile, result } = makeCase(sim, c, 1);
    const wall: number[] = [];
    const cpu: number[] = [];
    let last = refine(profile, result, { simulator: sim });
    for (let k = 0; k < 3; k++) {
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      last = refine(profile, result, { simulator: sim });
      wall.push(performance.now() - w0);
      const d = process.cpuUsage(c0);
      cpu.push((d.user + d.system) / 1000);
    }
    wall.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const t = { medianUs: wall[1] * 1000, calls: 3 };
    report(`refine: ${c.name} (wall)`, t);
    console.log(
      `  CPU ${cpu[1].toFixed(0)} ms/refine = ${(cpu[1] / forwardCpuMs).toFixed(0)}× one forward ` +
        `simulation (wall ${(t.medianUs / baseline.medianUs).toFixed(0)}×); ` +
        `${last.convergence.iterations} iterations, ${last.convergence.simulations} ` +
        `simulations, converged ${last.convergence.converged}, ≤ 2 s: ${cpu[1] <= 2000 ? 'yes' : 'NO'}`,
    );
  }
}
