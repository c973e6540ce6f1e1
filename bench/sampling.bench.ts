/**
 * Benchmark of poissonNoise on a 40 × 1024 depth profile against a naive exact baseline
 * (Knuth's multiplication method for every λ, split into Poisson(≤ 500) parts so that e^−λ does
 * not underflow), both timed in this run.
 */
import { createRng, poissonNoise, type Rng } from '../src/sampling/index.js';
import { report, timeIt } from './util.js';

const N_STEPS = 40;
const N_CHANNELS = 1024;

/** Knuth (1969): count uniforms until their product drops below e^−λ. */
function knuthPoisson(lambda: number, rng: Rng): number {
  let k = 0;
  let remaining = lambda;
  while (remaining > 0) {
    const part = Math.min(remaining, 500);
    remaining -= part;
    const limit = Math.exp(-part);
    let p = rng.next();
    while (p > limit) {
      k++;
      p *= rng.next();
    }
  }
  return k;
}

function naivePoissonNoise(expected: Float64Array, rng: Rng, out: Float64Array): Float64Array {
  for (let i = 0; i < expected.length; i++) out[i] = knuthPoisson(expected[i], rng);
  return out;
}

/** A spectrum-like profile: low continuum, a few peaks, rising then decaying with depth. */
function syntheticProfile(peakCounts: number): Float64Array {
  const counts = new Float64Array(N_STEPS * N_CHANNELS);
  const peaks = [180, 310, 402, 640, 805];
  for (let s = 0; s < N_STEPS; s++) {
    const depthShape = Math.exp(-(((s - 12) / 6) ** 2)) + 0.05;
    for (let c = 0; c < N_CHANNELS; c++) {
      let v = 0.5 + 3 * Math.exp(-c / 300);
      for (const p of peaks) v += peakCounts * Math.exp(-0.5 * ((c - p) / 4) ** 2);
      counts[s * N_CHANNELS + c] = v * depthShape;
    }
  }
  return counts;
}

export async function run(): Promise<void> {
  console.log(`# sampling: Poisson noise on ${N_STEPS} × ${N_CHANNELS} expected counts`);
  for (const peak of [100, 1e4]) {
    const expected = syntheticProfile(peak);
    const out = new Float64Array(expected.length);
    const rngA = createRng('bench:a');
    const rngB = createRng('bench:b');
    for (let i = 0; i < 20; i++) {
      naivePoissonNoise(expected, rngB, out); // JIT warm-up of both paths before timing
      poissonNoise(expected, rngA, out);
    }
    const baseline = timeIt(() => naivePoissonNoise(expected, rngB, out));
    const t = timeIt(() => poissonNoise(expected, rngA, out));
    report(`poissonNoise (inversion + PTRS), peaks λ≈${peak}`, t, {
      name: 'naive Knuth',
      t: baseline,
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
