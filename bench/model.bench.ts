/**
 * Benchmark of neural-network quantification: per-profile latency of `quantifier.quantify` at
 * batch 1 and batch 64 (preprocessing included) through onnxruntime-node (CPU) and
 * onnxruntime-web (wasm, in Node). Baselines timed in the same run:
 * - the previous quantify path ("legacy"): preprocessing by a segment-list energy rebin of each
 *   step, linear interpolation of rates along depth from the first position and `Math.log1p`,
 *   then the same network call (`runNormalized`) — kept callable here;
 * - the previous preprocessing (frozen copy in `legacy/preprocessV4/`: the preprocessing before
 *   the energy rebinning of two scan steps per pass over the plan and the logarithm in the loop
 *   of the weighted sum of rows), then the same network call — the path the current
 *   preprocessing replaced;
 * - the network call alone (`runNormalized` on the same batch) and the preprocessing of the
 *   batch alone (the quantifier's preprocessing of the same 64 profiles), to show where the time
 *   of `quantify` goes: preprocessing + network + the rest (windowing, guards, decoding);
 * - for onnxruntime-node, `quantify`, the previous path and the network call with one
 *   intra-op thread (`sessionOptions: { intraOpNumThreads: 1 }`, same results): the default
 *   threads of onnxruntime (one per core) also spend CPU time waiting for work;
 * - for onnxruntime-node, `quantify` with one worker thread per core
 *   (`loadQuantifier(path, { workers: cores })`, each with its own session and one intra-op
 *   thread): the batch goes out in parts, whose preprocessing and network run on different
 *   cores (onnxruntime-node runs a session on the calling thread, so without workers nothing
 *   overlaps);
 * - for the preprocessing alone, the previous (V4), the ones before it (`legacy/preprocessV3/`:
 *   the fused preprocessing before the single-pass interpolation of two rows, the four-row window
 *   sum and the table logarithm with one cache line per value; `legacy/preprocessV2/`: per-bin
 *   run rebin, separate passes for checks, resampling and the logarithm) and the legacy
 *   preprocessing, and a naive one (per target bin, a scan over all source channels, fresh arrays
 *   per step).
 *
 * Each line also gives the process CPU time: on a machine shared with other jobs the wall-clock
 * time counts the waits for a core, and only the CPU-time ratios are stable.
 *
 * Model: `models/cmxrf-default.json` when shipped, else `$CMXRF_BENCH_MODEL` (a card path), else
 * the tiny test fixture (7 k parameters: inference then costs next to nothing, so the numbers
 * show the preprocessing and runtime overhead, not the real network).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ModelGrid } from '../src/model/card';
import { defaultModelCardPath, loadQuantifier } from '../src/model/node';
import { applyEnergyRebin, energyRebinPlan } from '../src/model/energyRebin';
import { Preprocessor, preprocessProfile } from '../src/model/preprocess';
import type { Quantifier } from '../src/model/quantifier';
import type { OrtLike } from '../src/model/runtime';
import type { DepthProfile } from '../src/profile';
import { Preprocessor as PreprocessorV2 } from './legacy/preprocessV2/preprocess';
import { Preprocessor as PreprocessorV3 } from './legacy/preprocessV3/preprocess';
import { Preprocessor as PreprocessorV4 } from './legacy/preprocessV4/preprocess';
import { report, timeIt, type Timing } from './util';

const N_STEPS = 45;
const STEP_UM = 4.5;
const N_CHANNELS = 4096;

/**
 * A measured-like profile: 45 steps of 4.5 µm, 4096 × 10 eV channels, seeded LCG counts; air
 * for the first 6 steps, then a sample whose signal decays with depth.
 */
function benchProfile(seed: number): DepthProfile {
  const counts = new Float64Array(N_STEPS * N_CHANNELS);
  let s = seed >>> 0;
  for (let i = 0; i < counts.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const k = i % N_CHANNELS;
    const j = Math.floor(i / N_CHANNELS);
    const depth = j < 6 ? 0.02 : Math.exp(-0.03 * (j - 6));
    const peak = Math.exp(-(((k - 640) / 8) ** 2)) * 500 + Math.exp(-(((k - 805) / 9) ** 2)) * 300;
    counts[i] = Math.floor(((s >>> 8) / 2 ** 24) * 3 + peak * depth);
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

/**
 * The previous preprocessing, kept as the baseline: segment-list energy rebin of each step (rates),
 * linear interpolation of rates from the first scan position onto the 40 model steps (no
 * windowing, no step normalisation, no guards), `Math.log1p`.
 */
function legacyPreprocess(
  p: DepthProfile,
  g: ModelGrid,
  out: Float32Array,
  offset: number,
  plans: Map<string, ReturnType<typeof energyRebinPlan>>,
  rows: Float64Array,
): void {
  const c = p.calibration;
  const key = `${c.offsetKeV}|${c.gainKeVPerChannel}|${c.nChannels}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = energyRebinPlan(c, g);
    plans.set(key, plan);
  }
  for (let i = 0; i < p.counts.length; i++) {
    const v = p.counts[i];
    if (!(v >= 0 && v !== Infinity)) throw new Error('bad count');
  }
  const nc = g.nChannels;
  const x0 = p.depthsUm[0];
  let j = 0;
  let last = 0;
  const lower = new Int32Array(g.nDepth);
  const upper = new Float64Array(g.nDepth);
  for (let m = 0; m < g.nDepth; m++) {
    const x = x0 + m * g.depthStepUm;
    while (j < p.nSteps - 2 && p.depthsUm[j + 1] < x) j++;
    const f = (x - p.depthsUm[j]) / (p.depthsUm[j + 1] - p.depthsUm[j]);
    lower[m] = j;
    upper[m] = f <= 1e-12 ? 0 : Math.min(f, 1);
    last = Math.max(last, upper[m] > 0 ? j + 1 : j);
  }
  for (let s = 0; s <= last; s++)
    applyEnergyRebin(plan!, p.counts, s * p.nChannels, rows, s * nc, 1 / p.liveTimesS[s]);
  for (let m = 0; m < g.nDepth; m++) {
    const a = lower[m] * nc;
    const f = upper[m];
    const o = offset + m * nc;
    for (let k = 0; k < nc; k++) {
      const r = f === 0 ? rows[a + k] : (1 - f) * rows[a + k] + f * rows[a + nc + k];
      out[o + k] = Math.log1p(r * 10) / 4;
    }
  }
}

/** The previous quantify path: legacy preprocessing of the batch, then the network. */
function legacyQuantify(
  q: Quantifier,
  profiles: readonly DepthProfile[],
  buffer: Float32Array,
  plans: Map<string, ReturnType<typeof energyRebinPlan>>,
  rows: Float64Array,
): Promise<unknown> {
  const g = q.card.input.grid;
  const per = g.nDepth * g.nChannels;
  profiles.forEach((p, i) => legacyPreprocess(p, g, buffer, i * per, plans, rows));
  return q.runNormalized(buffer.subarray(0, profiles.length * per), profiles.length);
}

/** The previous path: frozen previous preprocessing, then the network. */
function previousQuantify(
  q: Quantifier,
  pre: PreprocessorV4,
  profiles: readonly DepthProfile[],
  buffer: Float32Array,
): Promise<unknown> {
  const per = q.card.input.grid.nDepth * q.card.input.grid.nChannels;
  profiles.forEach((p, i) => pre.prepare(p, { out: buffer, outOffset: i * per }));
  return q.runNormalized(buffer.subarray(0, profiles.length * per), profiles.length);
}

/** Median per-call wall-clock and CPU time (µs) of an async function over at least `minMs`. */
async function timeAsync(fn: () => Promise<unknown>, minMs = 1500): Promise<Timing> {
  for (let i = 0; i < 2; i++) await fn();
  const samples: number[] = [];
  const cpu: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs || samples.length < 5) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    samples.push((performance.now() - t0) * 1000);
    cpu.push(c.user + c.system);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    medianUs: samples[Math.floor(samples.length / 2)],
    calls: samples.length,
    cpuMedianUs: cpu[Math.floor(cpu.length / 2)],
  };
}

async function modelCardPath(): Promise<string> {
  const shipped = await defaultModelCardPath();
  if (existsSync(shipped)) return shipped;
  if (process.env.CMXRF_BENCH_MODEL) return process.env.CMXRF_BENCH_MODEL;
  return fileURLToPath(new URL('../test/fixtures/model/cmxrf-tiny.json', import.meta.url));
}

/**
 * Where the time of `quantify` goes: the shares of the preprocessing and the network call,
 * each timed alone in the same run, and the rest (windowing, guards, decoding, buffers), by
 * wall-clock and by CPU time; when the two shares add up to more than the whole, the excess is
 * printed as the overlap of preprocessing and network (a batch runs in chunks).
 */
function printShares(label: string, total: Timing, prep: Timing, net: Timing): void {
  const share = (f: (t: Timing) => number): string => {
    const p = (100 * f(prep)) / f(total);
    const n = (100 * f(net)) / f(total);
    const rest = 100 - p - n;
    // Negative: the preprocessing of one chunk overlaps the network's run on the previous one.
    return `preprocessing ${p.toFixed(0)} %, network ${n.toFixed(0)} %, ${
      rest >= 0 ? `rest ${rest.toFixed(0)} %` : `overlapped ${(-rest).toFixed(0)} %`
    }`;
  };
  console.log(
    `${label} = ${share((t) => t.medianUs)} of the wall-clock time; ` +
      `${share((t) => t.cpuMedianUs ?? NaN)} of the CPU time`,
  );
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
  const plans = new Map<string, ReturnType<typeof energyRebinPlan>>();
  const rows = new Float64Array(N_STEPS * 1024);
  for (const [name, load] of runtimes) {
    const runtime = await load();
    const q = await loadQuantifier(cardPath, { runtime });
    // One intra-op thread, for the native runtime (the wasm one runs one thread already).
    const q1 =
      name === runtimes[0][0]
        ? await loadQuantifier(cardPath, { runtime, sessionOptions: { intraOpNumThreads: 1 } })
        : undefined;
    const qw =
      name === runtimes[0][0]
        ? await loadQuantifier(cardPath, { workers: availableParallelism() })
        : undefined;
    grid ??= q.card.input.grid;
    card ??= q.card;
    if (name === runtimes[0][0])
      console.log(
        `model ${q.modelId} (${q.card.architecture?.parameters ?? '?'} parameters), profile ${N_STEPS}×${N_CHANNELS} → ${grid.nDepth}×${grid.nChannels}`,
      );
    const per = grid.nDepth * grid.nChannels;
    const buffer = new Float32Array(64 * per);
    const b1 = await timeAsync(() => q.quantify(profiles[0]));
    const preV4 = new PreprocessorV4(q.card);
    for (let i = 0; i < 64; i++) preV4.prepare(profiles[i], { out: buffer, outOffset: i * per });
    // All paths alternate, so that a change of machine load hits each of them.
    const oldT: Timing[] = [];
    const prevT: Timing[] = [];
    const newT: Timing[] = [];
    const inferT: Timing[] = [];
    const prepT: Timing[] = [];
    const new1T: Timing[] = [];
    const infer1T: Timing[] = [];
    const prev1T: Timing[] = [];
    const newWT: Timing[] = [];
    const batchPre = new Preprocessor(q.card);
    const prepareBatch = (): Promise<void> => {
      for (let i = 0; i < 64; i++)
        batchPre.prepare(profiles[i], { out: buffer, outOffset: i * per });
      return Promise.resolve();
    };
    for (let round = 0; round < 2; round++) {
      oldT.push(await timeAsync(() => legacyQuantify(q, profiles, buffer, plans, rows), 1000));
      prevT.push(await timeAsync(() => previousQuantify(q, preV4, profiles, buffer), 1000));
      newT.push(await timeAsync(() => q.quantify(profiles, { batchSize: 64 }), 1000));
      inferT.push(await timeAsync(() => q.runNormalized(buffer, 64), 1000));
      prepT.push(await timeAsync(prepareBatch, 1000));
      if (q1) {
        new1T.push(await timeAsync(() => q1.quantify(profiles, { batchSize: 64 }), 1000));
        infer1T.push(await timeAsync(() => q1.runNormalized(buffer, 64), 1000));
        prev1T.push(await timeAsync(() => previousQuantify(q1, preV4, profiles, buffer), 1000));
      }
      if (qw) newWT.push(await timeAsync(() => qw.quantify(profiles, { batchSize: 64 }), 1000));
    }
    const best = (t: Timing[]): Timing => ({
      medianUs: Math.min(...t.map((x) => x.medianUs)) / 64,
      calls: t.reduce((a, x) => a + x.calls, 0) * 64,
      cpuMedianUs: Math.min(...t.map((x) => x.cpuMedianUs ?? Infinity)) / 64,
    });
    const b64 = best(newT);
    report(`${name}: quantify, batch 1, per profile`, b1);
    report(`${name}: quantify (legacy path), batch 64, per profile`, best(oldT));
    report(`${name}: quantify (previous path), batch 64, per profile`, best(prevT));
    report(`${name}: network call alone, batch 64, per profile`, best(inferT));
    report(`preprocessing of the batch alone (64 profiles), per profile`, best(prepT));
    report(`${name}: quantify, batch 64, per profile`, b64, {
      name: 'the legacy path',
      t: best(oldT),
    });
    report(`${name}: quantify, batch 64, per profile`, b64, {
      name: 'the previous path',
      t: best(prevT),
    });
    console.log(
      `  target ≤ 0.5 ms/profile at batch 64: ${b64.medianUs <= 500 ? 'met' : 'NOT met'} on this machine; ` +
        `the network call alone takes ${((100 * best(inferT).medianUs) / b64.medianUs).toFixed(0)} % of it ` +
        `(${((100 * best(inferT).cpuMedianUs!) / b64.cpuMedianUs!).toFixed(0)} % of its CPU time)`,
    );
    printShares('  quantify', b64, best(prepT), best(inferT));
    if (q1) {
      const b64one = best(new1T);
      report(`${name}, 1 intra-op thread: network call alone, per profile`, best(infer1T), {
        name: 'the default threads',
        t: best(inferT),
      });
      report(`${name}, 1 intra-op thread: quantify, batch 64, per profile`, b64one, {
        name: 'the default threads',
        t: b64,
      });
      report(`${name}, 1 intra-op thread: quantify, batch 64, per profile`, b64one, {
        name: 'the previous path with 1 thread',
        t: best(prev1T),
      });
      printShares('  quantify, 1 intra-op thread', b64one, best(prepT), best(infer1T));
      if (qw) {
        const cores = availableParallelism();
        const label = `${name}, ${cores} worker threads: quantify, batch 64, per profile`;
        const b64w = best(newWT);
        report(label, b64w, { name: 'the default threads', t: b64 });
        report(label, b64w, { name: '1 intra-op thread', t: b64one });
        report(label, b64w, { name: 'the previous path', t: best(prevT) });
        console.log(
          `  target ≤ 0.5 ms/profile at batch 64: ${b64w.medianUs <= 500 ? 'met' : 'NOT met'} on this machine (${cores} cores) with worker threads; ` +
            `preprocessing + network on one thread: ${((best(prepT).cpuMedianUs! + best(infer1T).cpuMedianUs!) / 1000).toFixed(2)} ms CPU per profile, ` +
            `i.e. ≥ ${((best(prepT).cpuMedianUs! + best(infer1T).cpuMedianUs!) / 1000 / cores).toFixed(2)} ms per profile on ${cores} cores`,
        );
        await qw.release();
      }
      await q1.release();
    }
    await q.release();
  }
  const out = new Float32Array(grid!.nDepth * grid!.nChannels);
  const naive = timeIt(() => naivePreprocess(profiles[0], grid!), 500);
  const legacy = timeIt(() => legacyPreprocess(profiles[0], grid!, out, 0, plans, rows), 1000);
  const pre = new Preprocessor(card!);
  const preV2 = new PreprocessorV2(card!);
  const preV3 = new PreprocessorV3(card!);
  const preV4 = new PreprocessorV4(card!);
  const fastT: Timing[] = [];
  const prevT: Timing[] = [];
  const v3T: Timing[] = [];
  const olderT: Timing[] = [];
  for (let round = 0; round < 3; round++) {
    olderT.push(timeIt(() => preV2.prepare(profiles[round], { out }), 500));
    v3T.push(timeIt(() => preV3.prepare(profiles[round], { out }), 500));
    prevT.push(timeIt(() => preV4.prepare(profiles[round], { out }), 500));
    fastT.push(timeIt(() => pre.prepare(profiles[round], { out }), 500));
  }
  const minT = (t: Timing[]): Timing => ({
    ...t.reduce((a, b) => (b.medianUs < a.medianUs ? b : a)),
    cpuMedianUs: Math.min(...t.map((x) => x.cpuMedianUs ?? Infinity)),
  });
  const fast = minT(fastT);
  const previous = minT(prevT);
  const v3 = minT(v3T);
  const older = minT(olderT);
  const legacy2 = timeIt(() => legacyPreprocess(profiles[0], grid!, out, 0, plans, rows), 1000);
  const legacyBest = legacy.medianUs < legacy2.medianUs ? legacy : legacy2;
  report('preprocessing, naive (O(channels × bins) overlap scan)', naive);
  report('preprocessing, legacy (segment plan, Math.log1p)', legacyBest, {
    name: 'naive',
    t: naive,
  });
  report('preprocessing, windowed + guards, separate passes (V2)', older, {
    name: 'legacy',
    t: legacyBest,
  });
  report('preprocessing, fused (V3)', v3, { name: 'legacy', t: legacyBest });
  report('preprocessing, previous (one-pass two rows, table log, V4)', previous, {
    name: 'legacy',
    t: legacyBest,
  });
  report('preprocessing, current', fast, { name: 'legacy', t: legacyBest });
  report('  same vs the separate passes (V2)', fast, { name: 'V2', t: older });
  report('  same vs the fused preprocessing (V3)', fast, { name: 'V3', t: v3 });
  report('  same vs the previous preprocessing (V4)', fast, { name: 'previous', t: previous });
  // The current preprocessing writes the same model input as the previous ones.
  const x = new Float32Array(out.length);
  const y = new Float32Array(out.length);
  for (const [label, other] of [
    ['previous (V4)', preV4],
    ['V3', preV3],
    ['V2', preV2],
  ] as const) {
    let maxRel = 0;
    for (const p of profiles.slice(0, 8)) {
      other.prepare(p, { out: x });
      pre.prepare(p, { out: y });
      for (let i = 0; i < x.length; i++)
        maxRel = Math.max(maxRel, Math.abs(x[i] - y[i]) / Math.max(Math.abs(x[i]), 1e-30));
    }
    console.log(
      `  max relative difference to the ${label} preprocessing: ${maxRel.toExponential(2)}`,
    );
  }
  // Same input where both agree: a 5 µm scan whose window starts at its first position.
  const aligned: DepthProfile = {
    ...profiles[0],
    depthsUm: Float64Array.from({ length: N_STEPS }, (_, j) => j * 5),
  };
  const a = new Float32Array(out.length);
  legacyPreprocess(aligned, grid!, a, 0, plans, rows);
  const b = preprocessProfile(aligned, card!);
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  console.log(`  max |legacy − new| over the input of a 5 µm scan: ${maxDiff.toExponential(2)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
