/**
 * Benchmark of neural-network quantification: per-profile latency of `quantifier.quantify` at
 * batch 1 and batch 64 (preprocessing included) through onnxruntime-node (CPU) and
 * onnxruntime-web (wasm, in Node), with batch 1 as the in-run baseline; and the preprocessing
 * alone against a naive implementation (per target bin, a scan over all source channels, fresh
 * arrays per step) timed in the same run.
 *
 * Model: `models/cmxrf-default.json` when shipped, else `$CMXRF_BENCH_MODEL` (a card path), else
 * the tiny test fixture (7 k parameters: inference then costs next to nothing, so the numbers
 * show the preprocessing and runtime overhead, not the real network).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ModelGrid } from '../src/model/card';
import { defaultModelCardPath, loadQuantifier } from '../src/model/node';
import { preprocessProfile } from '../src/model/preprocess';
import type { OrtLike } from '../src/model/runtime';
import type { DepthProfile } from '../src/profile';
import { report, timeIt, type Timing } from './util';

const N_STEPS = 45;
const STEP_UM = 4.5;
const N_CHANNELS = 4096;

/** A measured-like profile: 45 steps of 4.5 µm, 4096 × 10 eV channels, seeded LCG counts. */
function benchProfile(seed: number): DepthProfile {
  const counts = new Float64Array(N_STEPS * N_CHANNELS);
  let s = seed >>> 0;
  for (let i = 0; i < counts.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const k = i % N_CHANNELS;
    const peak = Math.exp(-(((k - 640) / 8) ** 2)) * 500 + Math.exp(-(((k - 805) / 9) ** 2)) * 300;
    counts[i] = Math.floor(((s >>> 8) / 2 ** 24) * 3 + peak);
  }
  return {
    counts,
    nSteps: N_STEPS,
    nChannels: N_CHANNELS,
    depthsUm: Float64Array.from({ length: N_STEPS }, (_, j) => 20 + j * STEP_UM),
    calibration: { offsetKeV: 0.005, gainKeVPerChannel: 0.01, nChannels: N_CHANNELS },
    liveTimesS: new Float64Array(N_STEPS).fill(10),
    source: `bench-${seed}`,
  };
}

/** Naive preprocessing: overlap of every source channel with each target bin, new arrays per step. */
function naivePreprocess(p: DepthProfile, g: ModelGrid): Float32Array {
  const out = new Float32Array(g.nDepth * g.nChannels);
  const { offsetKeV, gainKeVPerChannel: gain } = p.calibration;
  const rebinned: number[][] = [];
  for (let j = 0; j < p.nSteps; j++) {
    const row: number[] = [];
    for (let k = 0; k < g.nChannels; k++) {
      const lo = g.startKeV + k * g.binWidthKeV;
      const hi = lo + g.binWidthKeV;
      let sum = 0;
      for (let ch = 0; ch < p.nChannels; ch++) {
        const a = Math.max(lo, offsetKeV + (ch - 0.5) * gain);
        const b = Math.min(hi, offsetKeV + (ch + 0.5) * gain);
        if (b > a) sum += (p.counts[j * p.nChannels + ch] * (b - a)) / gain;
      }
      row.push(sum / p.liveTimesS[j]);
    }
    rebinned.push(row);
  }
  for (let m = 0; m < g.nDepth; m++) {
    const x = p.depthsUm[0] + m * g.depthStepUm;
    let j = 0;
    while (j < p.nSteps - 2 && p.depthsUm[j + 1] < x) j++;
    const f = (x - p.depthsUm[j]) / (p.depthsUm[j + 1] - p.depthsUm[j]);
    for (let k = 0; k < g.nChannels; k++) {
      const r = (1 - f) * rebinned[j][k] + f * rebinned[j + 1][k];
      out[m * g.nChannels + k] = Math.log1p(r * 10) / 4;
    }
  }
  return out;
}

/** Median per-call time (µs) of an async function over at least `minMs`. */
async function timeAsync(fn: () => Promise<unknown>, minMs = 1500): Promise<Timing> {
  for (let i = 0; i < 2; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs || samples.length < 5) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) * 1000);
  }
  samples.sort((a, b) => a - b);
  return { medianUs: samples[Math.floor(samples.length / 2)], calls: samples.length };
}

async function modelCardPath(): Promise<string> {
  const shipped = await defaultModelCardPath();
  if (existsSync(shipped)) return shipped;
  if (process.env.CMXRF_BENCH_MODEL) return process.env.CMXRF_BENCH_MODEL;
  return fileURLToPath(new URL('../test/fixtures/model/cmxrf-tiny.json', import.meta.url));
}

/** Prints per-profile latencies and ratios to the in-run baselines. */
export async function run(): Promise<void> {
  const cardPath = await modelCardPath();
  const profiles = Array.from({ length: 64 }, (_, i) => benchProfile(i + 1));
  const runtimes: [string, () => Promise<OrtLike>][] = [
    ['onnxruntime-node', async () => (await import('onnxruntime-node')) as unknown as OrtLike],
    [
      'onnxruntime-web (wasm, 1 thread)',
      async () => {
        const web = (await import('onnxruntime-web')) as unknown as OrtLike & {
          env: { wasm: { numThreads: number } };
        };
        web.env.wasm.numThreads = 1;
        return web;
      },
    ],
  ];
  let grid: ModelGrid | undefined;
  let card: Parameters<typeof preprocessProfile>[1] | undefined;
  for (const [name, load] of runtimes) {
    const q = await loadQuantifier(cardPath, { runtime: await load() });
    grid ??= q.card.input.grid;
    card ??= q.card;
    if (name === runtimes[0][0])
      console.log(
        `model ${q.modelId} (${q.card.architecture?.parameters ?? '?'} parameters), profile ${N_STEPS}×${N_CHANNELS} → ${grid.nDepth}×${grid.nChannels}`,
      );
    const b1 = await timeAsync(() => q.quantify(profiles[0]));
    const t64 = await timeAsync(() => q.quantify(profiles, { batchSize: 64 }));
    const b64: Timing = { medianUs: t64.medianUs / 64, calls: t64.calls * 64 };
    report(`${name}: quantify, batch 1, per profile`, b1);
    report(`${name}: quantify, batch 64, per profile`, b64, { name: 'batch 1', t: b1 });
    await q.release();
  }
  const naive = timeIt(() => naivePreprocess(profiles[0], grid!), 500);
  const out = new Float32Array(grid!.nDepth * grid!.nChannels);
  const fast = timeIt(() => preprocessProfile(profiles[0], card!, { out }), 500);
  report('preprocessing, naive (O(channels × bins) overlap scan)', naive);
  report('preprocessing, precomputed overlap plan', fast, { name: 'naive', t: naive });
  const a = naivePreprocess(profiles[0], grid!);
  const b = preprocessProfile(profiles[0], card!);
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  console.log(`  max |naive − planned| over the input: ${maxDiff.toExponential(2)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
