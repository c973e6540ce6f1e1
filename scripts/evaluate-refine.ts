/**
 * Acceptance evaluation of the FP refinement (`npm run eval:refine -- [options]`).
 *
 * Held-out profiles are drawn from the training prior (composition, density, setup, surface,
 * live time) with a seed no dataset uses, and simulated with an instrument perturbed off
 * nominal (uniform in the ranges below; `--nominal` disables the perturbation), then
 * Poisson noise on 4096 × 10 eV spectra. Each profile is quantified by the shipped default
 * network (onnxruntime-node) and refined with the NOMINAL instrument. Printed: the median
 * relative error of mass fractions ≥ 0.1 wt% for the network alone and after refinement, its
 * reduction, and how often the refined ±1σ and ±2σ intervals cover the truth (mass fractions
 * overall and per concentration level, density, surface).
 *
 * Options: --n <profiles> (default 60), --from <first profile index> (default 0: profiles
 * from..n−1), --seed <text> (default 'refine-eval'), --nominal,
 * --json <file> (per-profile records), --options <JSON> (extra refine options),
 * --ranges <ranges.json> (draw each profile's instrument from a randomization ranges file around
 * --instrument <description.json>, default instruments/m4-tornado.json, instead of the ranges
 * below, and refine with that description's nominal instrument; calibration drift applied only
 * with --drift).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  drawCalibrationDrift,
  drawInstrument,
  instrumentFromDescription,
  parseInstrumentDescription,
  parseInstrumentRanges,
} from '../src/instrument/index.js';
import { loadDefaultQuantifier } from '../src/model/node.js';
import type { QuantificationResult } from '../src/model/result.js';
import { refine } from '../src/refine/index.js';
import type { RefineOptions, RefineResult } from '../src/refine/index.js';
import {
  createRng,
  poissonNoise,
  sampleComposition,
  sampleDensity,
  sampleLiveTimeS,
  sampleSetup,
  sampleSurfaceUm,
  uniform,
  type Rng,
} from '../src/sampling/index.js';
import {
  confocalProfileFromSpectrum,
  createMxrfSimulator,
  defaultInstrument,
  type InstrumentOverrides,
} from '../src/spectra/index.js';

/** Off-nominal ranges of the instrument (uniform). */
const PERTURBATION = {
  voltageKV: [45, 55],
  incidenceDeg: [46, 54],
  exitDeg: [46, 54],
  fwhmAtMnKaEv: [130, 165],
  airPathInMm: [1.5, 5],
  airPathOutMm: [3, 8],
  opticCentreKeV: [12.5, 15.5],
  opticWidthKeV: [6.5, 9.5],
} as const;

function perturbedInstrument(rng: Rng): InstrumentOverrides {
  const u = (r: readonly [number, number]) => uniform(rng, r[0], r[1]);
  const P = PERTURBATION;
  return {
    tube: { voltageKV: u(P.voltageKV) },
    incidenceDeg: u(P.incidenceDeg),
    exitDeg: u(P.exitDeg),
    detector: { fwhmAtMnKaEv: u(P.fwhmAtMnKaEv) },
    airPathInMm: u(P.airPathInMm),
    airPathOutMm: u(P.airPathOutMm),
    excitationOptic: { centreKeV: u(P.opticCentreKeV), widthKeV: u(P.opticWidthKeV) },
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const median = (x: number[]) => {
  if (x.length === 0) return NaN;
  const s = [...x].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

async function main(): Promise<void> {
  const n = Number(arg('n') ?? 60);
  const seed = arg('seed') ?? 'refine-eval';
  const nominal = process.argv.includes('--nominal');
  const jsonOut = arg('json');
  const refineOptions = JSON.parse(arg('options') ?? '{}') as RefineOptions;
  const quantifier = await loadDefaultQuantifier();
  const rangesFile = arg('ranges');
  const base = rangesFile
    ? parseInstrumentDescription(
        JSON.parse(readFileSync(arg('instrument') ?? 'instruments/m4-tornado.json', 'utf8')),
      )
    : undefined;
  const ranges =
    rangesFile && base
      ? parseInstrumentRanges(JSON.parse(readFileSync(rangesFile, 'utf8')), base, rangesFile)
      : undefined;
  const nominalSim = createMxrfSimulator(
    base ? instrumentFromDescription(base).instrument : defaultInstrument(),
  );
  const depthsUm = Float64Array.from({ length: 40 }, (_, i) => i * 5);

  const netErr: number[] = [];
  const refErr: number[] = [];
  let covered = 0;
  let coveredStat = 0;
  let coverN = 0;
  let covered2 = 0;
  let rhoCovered = 0;
  let x0Covered = 0;
  let rhoCovered2 = 0;
  let x0Covered2 = 0;
  // ±1σ coverage of mass fractions per concentration level (lower bounds, mass fractions).
  const LEVELS = [1e-3, 1e-2, 1e-1] as const;
  const levelN = [0, 0, 0];
  const levelCovered = [0, 0, 0];
  let flagged = 0;
  const netRho: number[] = [];
  const refRho: number[] = [];
  const netX0: number[] = [];
  const refX0: number[] = [];
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const records: unknown[] = [];
  const t0 = Date.now();
  const only = arg('only');
  const verbose = process.argv.includes('--verbose');
  const from = Number(arg('from') ?? 0);
  for (let i = from; i < n; i++) {
    if (only !== undefined && i !== Number(only)) continue;
    const rng = createRng(`${seed}:${i}`);
    const comp = sampleComposition(rng);
    const densityGPerCm3 = sampleDensity(rng, comp.archetype);
    const setup = sampleSetup(rng);
    const surfaceUm = sampleSurfaceUm(rng, { nSteps: 40, stepUm: 5 });
    const liveTimeS = sampleLiveTimeS(rng);
    const drawn =
      base && ranges && !nominal
        ? drawInstrument(base, ranges, createRng(`${seed}:${i}:instrument`))
        : undefined;
    const instrument = drawn ? drawn.values : nominal ? {} : perturbedInstrument(rng);
    const sim = drawn
      ? createMxrfSimulator(instrumentFromDescription(drawn.description).instrument)
      : nominal
        ? nominalSim
        : createMxrfSimulator(instrument as InstrumentOverrides);
    const spectrum = sim.simulate({ composition: comp.massFractions, densityGPerCm3 });
    const expected = confocalProfileFromSpectrum<Float64Array>(spectrum, setup, surfaceUm, {
      depthsUm,
      out: new Float64Array(40 * spectrum.counts.length),
    });
    for (let k = 0; k < expected.counts.length; k++) expected.counts[k] *= liveTimeS;
    // With --drift (and --ranges): the spectra are labelled with the drawn calibration error.
    const drift =
      ranges && drawn && process.argv.includes('--drift')
        ? drawCalibrationDrift(ranges, createRng(`${seed}:${i}:drift`))
        : undefined;
    const profile = {
      ...expected,
      calibration: drift
        ? {
            ...expected.calibration,
            offsetKeV: expected.calibration.offsetKeV + drift.offsetKeV,
            gainKeVPerChannel: expected.calibration.gainKeVPerChannel * drift.gainFactor,
          }
        : expected.calibration,
      counts: poissonNoise(expected.counts, rng),
      liveTimesS: new Float64Array(40).fill(liveTimeS),
      source: `${seed}:${i}`,
    };
    const net: QuantificationResult = await quantifier.quantify(profile);
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    let r: RefineResult;
    try {
      r = refine(profile, net, {
        ...refineOptions,
        simulator: nominalSim,
        onProgress: verbose ? (p) => console.log(JSON.stringify(p)) : undefined,
      });
    } catch (e) {
      console.log(`profile ${i}: refine failed: ${String(e)}`);
      continue;
    }
    times.push(performance.now() - t1);
    const dc = process.cpuUsage(c1);
    cpuTimes.push((dc.user + dc.system) / 1000);
    if (!r.fitDescribesData) flagged++;
    const fitted = new Map(r.elements.map((e) => [e.element, e]));
    for (const q of net.elements) {
      const truth = comp.massFractions[q.element] ?? 0;
      if (truth < 1e-3) continue;
      const f = fitted.get(q.element);
      netErr.push(Math.abs(q.massFractionRaw - truth) / truth);
      refErr.push(Math.abs((f ? f.value : q.massFractionRaw) - truth) / truth);
      if (f) {
        coverN++;
        if (Math.abs(f.value - truth) <= f.sigma) covered++;
        if (Math.abs(f.value - truth) <= 2 * f.sigma) covered2++;
        if (Math.abs(f.value - truth) <= f.sigmaStatistical) coveredStat++;
        const level = truth >= LEVELS[2] ? 2 : truth >= LEVELS[1] ? 1 : 0;
        levelN[level]++;
        if (Math.abs(f.value - truth) <= f.sigma) levelCovered[level]++;
      }
    }
    if (Math.abs(r.densityGPerCm3.value - densityGPerCm3) <= r.densityGPerCm3.sigma) rhoCovered++;
    if (Math.abs(r.surfaceUm.value - surfaceUm) <= r.surfaceUm.sigma) x0Covered++;
    const rhoErr = Math.abs(r.densityGPerCm3.value - densityGPerCm3);
    if (rhoErr <= 2 * r.densityGPerCm3.sigma) rhoCovered2++;
    if (Math.abs(r.surfaceUm.value - surfaceUm) <= 2 * r.surfaceUm.sigma) x0Covered2++;
    netRho.push(Math.abs(net.densityGPerCm3 - densityGPerCm3) / densityGPerCm3);
    refRho.push(Math.abs(r.densityGPerCm3.value - densityGPerCm3) / densityGPerCm3);
    netX0.push(Math.abs(net.surfaceUm - surfaceUm));
    refX0.push(Math.abs(r.surfaceUm.value - surfaceUm));
    records.push({
      index: i,
      archetype: comp.archetype,
      instrument,
      truth: comp.massFractions,
      densityGPerCm3,
      surfaceUm,
      liveTimeS,
      network: Object.fromEntries(
        net.elements.filter((e) => e.detected).map((e) => [e.element, e.massFractionRaw]),
      ),
      refined: Object.fromEntries(r.elements.map((e) => [e.element, [e.value, e.sigma]])),
      refinedDensity: [r.densityGPerCm3.value, r.densityGPerCm3.sigma],
      networkSurfaceUm: net.surfaceUm,
      refinedSurfaceUm: [r.surfaceUm.value, r.surfaceUm.sigma, r.surfaceUm.sigmaStatistical],
      setup,
      refinedSetup: Object.fromEntries(
        Object.entries(r.setup).map(([k, v]) => [k, [v.value, v.sigma]]),
      ),
      networkDensity: net.densityGPerCm3,
      drift,
      refinedDetector: Object.fromEntries(
        Object.entries(r.detector).map(([k, v]) => [k, [v.value, v.sigma]]),
      ),
      devianceRatio: r.fit.devianceRatio,
      fitDescribesData: r.fitDescribesData,
      warnings: r.warnings.map((w) => w.message),
      matrixMix: r.matrixMix.value,
      iterations: r.convergence.iterations,
      simulations: r.convergence.simulations,
      ms: times[times.length - 1],
      cpuMs: cpuTimes[cpuTimes.length - 1],
    });
    if ((i + 1) % 10 === 0)
      console.log(
        `${i + 1}/${n}: median rel. error ≥ 0.1 wt% network ${(100 * median(netErr)).toFixed(1)} %, ` +
          `refined ${(100 * median(refErr)).toFixed(1)} %, coverage ${((100 * covered) / Math.max(coverN, 1)).toFixed(1)} %`,
      );
  }
  await quantifier.release();
  const mNet = median(netErr);
  const mRef = median(refErr);
  const m = times.length;
  console.log(`\n# FP refinement acceptance (${nominal ? 'nominal' : 'perturbed'} instrument)`);
  console.log(
    `seed '${seed}', ${m} profiles refined of ${n}, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  if (!nominal)
    console.log(
      rangesFile
        ? `instrument drawn from ${rangesFile} (calibration drift ${process.argv.includes('--drift') ? 'applied' : 'not applied'})`
        : `perturbation ranges: ${JSON.stringify(PERTURBATION)}`,
    );
  console.log(`mass fractions ≥ 0.1 wt%: ${netErr.length} (profile, element) pairs`);
  console.log(`  median relative error, network alone: ${(100 * mNet).toFixed(2)} %`);
  console.log(`  median relative error, refined:       ${(100 * mRef).toFixed(2)} %`);
  console.log(`  reduction: ${(100 * (1 - mRef / mNet)).toFixed(1)} % (target ≥ 30 %)`);
  console.log(
    `  ±1σ coverage (fitted pairs, n = ${coverN}): ${((100 * covered) / coverN).toFixed(1)} % ` +
      `(target 68 ± 7 %); ±2σ ${((100 * covered2) / coverN).toFixed(1)} %; ` +
      `Fisher-only ±1σ ${((100 * coveredStat) / coverN).toFixed(1)} %`,
  );
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(b, 1)).toFixed(1)} %`;
  console.log(
    '  ±1σ coverage by level: ' +
      ['0.1–1 wt%', '1–10 wt%', '≥ 10 wt%']
        .map((name, k) => `${name} ${pct(levelCovered[k], levelN[k])} (n = ${levelN[k]})`)
        .join(', '),
  );
  console.log(
    `density: median rel. error network ${(100 * median(netRho)).toFixed(2)} %, refined ` +
      `${(100 * median(refRho)).toFixed(2)} %, ±1σ coverage ${pct(rhoCovered, m)}, ` +
      `±2σ ${pct(rhoCovered2, m)}`,
  );
  console.log(
    `surface: median abs. error network ${median(netX0).toFixed(2)} µm, refined ` +
      `${median(refX0).toFixed(2)} µm, ±1σ coverage ${pct(x0Covered, m)}, ±2σ ${pct(x0Covered2, m)}`,
  );
  console.log(`fitDescribesData false: ${flagged} of ${m}`);
  const within = cpuTimes.filter((t) => t <= 2000).length;
  console.log(
    `refine time: wall median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms; ` +
      `CPU median ${median(cpuTimes).toFixed(0)} ms, max ${Math.max(...cpuTimes).toFixed(0)} ms, ` +
      `${within} of ${cpuTimes.length} within 2 s`,
  );
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(records, null, 1));
}

await main();
