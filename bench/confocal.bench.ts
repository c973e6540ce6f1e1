/**
 * Benchmark of the confocal transform: one 40 × 4096 profile (`confocalDepthProfile`, Float32
 * output: channel blocks with batched table exponentials, block rows copied into the output),
 * against
 * (1) the original kernel (frozen copy in `legacy/confocalKernelV1.ts`, Cody erfcx at every
 * element), (2) the block-transpose kernel (`legacy/confocalKernelV2.ts`), (3) the column-write
 * kernel the current one replaced (`legacy/confocalKernelV3.ts`, Math.exp per channel, each
 * channel written straight into its column of the output) on the same inputs and (4) a naive
 * per-element evaluation (Abramowitz–Stegun 7.1.26 erfc, σ and T recomputed per element), all
 * timed in the same run. Kernels and the current path alternate, so that a change of machine
 * load hits all of them; the best of the rounds is reported, by wall-clock and by CPU time.
 */
import { confocalDepthProfile } from '../src/spectra/confocalTransform';
import { fillConfocal as fillConfocalV1 } from './legacy/confocalKernelV1';
import { fillConfocal as fillConfocalV2 } from './legacy/confocalKernelV2';
import { fillConfocal as fillConfocalV3 } from './legacy/confocalKernelV3';
import type { Timing } from './util';
import type { ConfocalSetup } from '../src/profile';
import { report, timeIt } from './util';

const N_CHANNELS = 4096;
const N_STEPS = 40;
const STEP_UM = 5;

/** Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), extended to x < 0 by reflection. */
function erfcAS(x: number): number {
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-ax * ax);
  return x >= 0 ? y : 2 - y;
}

/** Direct formula per element, the way one would first write it (overflows for large μσ). */
function naiveProfile(
  phi0: Float64Array,
  mu: Float64Array,
  energyKeV: Float64Array,
  s: ConfocalSetup,
  x0Um: number,
  out: Float32Array,
): void {
  for (let n = 0; n < N_STEPS; n++) {
    const z = n * STEP_UM - x0Um;
    for (let k = 0; k < N_CHANNELS; k++) {
      const e = energyKeV[k];
      const sigma = s.sigmaMaxUm * Math.exp(-s.sigmaExpPerKeV * e) + s.sigmaOffUm;
      const t = s.tA * Math.exp(-((e - s.tM) ** 2) / (2 * s.tB * s.tB));
      const m = mu[k];
      const a = Math.exp(-m * z + (m * m * sigma * sigma) / 2);
      const c = 0.5 * erfcAS((m * sigma * sigma - z) / (Math.SQRT2 * sigma));
      out[n * N_CHANNELS + k] = phi0[k] * m * STEP_UM * a * c * t;
    }
  }
}

/** Seeded inputs: a smooth continuum with peaks, μ_lin ∝ E^−2.7 with an absorption edge. */
function inputs(): { phi0: Float64Array; mu: Float64Array; energyKeV: Float64Array } {
  const energyKeV = new Float64Array(N_CHANNELS);
  const mu = new Float64Array(N_CHANNELS);
  const phi0 = new Float64Array(N_CHANNELS);
  for (let k = 0; k < N_CHANNELS; k++) {
    const e = 0.005 + 0.01 * k;
    energyKeV[k] = e;
    mu[k] = 0.02 * Math.pow(Math.max(e, 0.5) / 10, -2.7) * (e > 7.112 ? 8 : 1) + 1e-4;
    phi0[k] =
      50 + 1e4 * Math.exp(-((e - 6.4) ** 2) / 0.01) + 5e3 * Math.exp(-((e - 8.05) ** 2) / 0.012);
  }
  return { phi0, mu, energyKeV };
}

/** Time of the frozen original kernel (V1) on the machine the speed targets were set on (µs). */
export const V1_REFERENCE_US = 1600;

const SETUP: ConfocalSetup = {
  tA: 1,
  tB: 5,
  tM: 11,
  sigmaMaxUm: 25,
  sigmaExpPerKeV: 0.12,
  sigmaOffUm: 6,
};
const X0_UM = 40;

/** The bench's kernel parameters (inputs, setup, scan grid), without an output buffer. */
function kernelParams() {
  const { phi0, mu, energyKeV } = inputs();
  return {
    phi0,
    muLinPerUm: mu,
    energyKeV,
    setup: SETUP,
    x0Um: X0_UM,
    depthsUm: Float64Array.from({ length: N_STEPS }, (_, n) => n * STEP_UM),
    nSteps: N_STEPS,
    nChannels: N_CHANNELS,
    gridUm: STEP_UM,
    stepUm: STEP_UM,
    normalise: true,
  };
}

/**
 * Machine yardstick: the frozen original confocal kernel (V1) timed here on the bench's inputs,
 * in µs (best median of three rounds). Its ratio to {@link V1_REFERENCE_US} estimates how much
 * slower this machine is than the one the speed targets were set on.
 */
export function timeOriginalKernelUs(): number {
  const params = { ...kernelParams(), out: new Float32Array(N_STEPS * N_CHANNELS) };
  let best = Infinity;
  for (let round = 0; round < 3; round++)
    best = Math.min(best, timeIt(() => fillConfocalV1(params), 300).medianUs);
  return best;
}

/** Prints µs per 40 × 4096 profile and the ratio to the naive baseline. */
export async function run(): Promise<void> {
  const params = kernelParams();
  const { phi0, muLinPerUm: mu, energyKeV, setup, x0Um } = params;
  const naiveOut = new Float32Array(N_STEPS * N_CHANNELS);
  const out = new Float32Array(N_STEPS * N_CHANNELS);
  const calibration = { offsetKeV: 0.005, gainKeVPerChannel: 0.01, nChannels: N_CHANNELS };
  const baseline = timeIt(() => naiveProfile(phi0, mu, energyKeV, setup, x0Um, naiveOut));
  const v1Out = new Float32Array(N_STEPS * N_CHANNELS);
  const v2Out = new Float32Array(N_STEPS * N_CHANNELS);
  const v3Out = new Float32Array(N_STEPS * N_CHANNELS);
  const channels = { phi0, muLinPerUm: mu, energyKeV, calibration };
  const cases: [string, () => unknown][] = [
    ['v1', () => fillConfocalV1({ ...params, out: v1Out })],
    ['v2', () => fillConfocalV2({ ...params, out: v2Out })],
    ['v3', () => fillConfocalV3({ ...params, out: v3Out })],
    ['fn', () => confocalDepthProfile(channels, setup, x0Um, { out })],
  ];
  const best: Record<string, Timing> = {};
  for (let round = 0; round < 3; round++)
    for (const [name, fn] of cases) {
      const t = timeIt(fn, 300);
      if (!best[name] || t.medianUs < best[name].medianUs) best[name] = t;
    }
  const { v1, v2, v3, fn: t } = best;
  report('naive (A&S 7.1.26, σ/T per element)', baseline);
  report('original kernel (frozen copy V1)', v1);
  report('block-transpose kernel (frozen copy V2)', v2, { name: 'original kernel', t: v1 });
  report('column-write kernel (frozen copy V3)', v3, { name: 'original kernel', t: v1 });
  report(`confocalDepthProfile ${N_STEPS}×${N_CHANNELS}`, t, {
    name: 'original kernel',
    t: v1,
  });
  report(`  same vs the block-transpose kernel`, t, { name: 'block-transpose kernel', t: v2 });
  report(`  same vs the column-write kernel`, t, { name: 'column-write kernel', t: v3 });
  const cpuUs = t.cpuMedianUs ?? t.medianUs;
  console.log(
    `  ${(baseline.medianUs / t.medianUs).toFixed(1)}× faster than naive; target ≤ 0.5 ms per ` +
      `profile: ${t.medianUs <= 500 ? 'met' : 'NOT met'} on this machine by wall-clock ` +
      `(${fmtMs(t.medianUs)}), ${cpuUs <= 500 ? 'met' : 'NOT met'} by CPU time (${fmtMs(cpuUs)})`,
  );
  // The target was set where the original kernel took 1.6 ms: the same work scaled by the
  // ratio measured here (machine-independent, unlike the absolute time).
  const scaledUs = (V1_REFERENCE_US * t.medianUs) / v1.medianUs;
  console.log(
    `  scaled to the machine the target was set on (original kernel 1.6 ms there): ` +
      `${fmtMs(scaledUs)} — ${scaledUs <= 500 ? 'met' : 'NOT met'} by the ratio`,
  );
  for (const [name, other] of [
    ['column-write kernel V3', v3Out],
    ['block-transpose kernel V2', v2Out],
    ['original kernel V1', v1Out],
  ] as const) {
    let maxDiff = 0;
    let zeros = 0;
    for (let i = 0; i < out.length; i++) {
      if ((out[i] === 0) !== (other[i] === 0)) zeros++;
      else if (other[i] !== 0)
        maxDiff = Math.max(maxDiff, Math.abs(out[i] - other[i]) / Math.abs(other[i]));
    }
    console.log(
      `  max relative difference to the ${name} (Float32 output): ${maxDiff.toExponential(2)}, ` +
        `values zero in one only: ${zeros}`,
    );
  }
  let maxRel = 0;
  let naiveNonFinite = 0;
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(naiveOut[i])) naiveNonFinite++;
    else if (out[i] > 1e-3) maxRel = Math.max(maxRel, Math.abs(naiveOut[i] - out[i]) / out[i]);
  }
  console.log(
    `  naive: ${naiveNonFinite} of ${out.length} values NaN/Infinity (exp overflow × erfc ` +
      `underflow at large μσ); on the rest max relative difference ${maxRel.toExponential(2)} ` +
      '(A&S 7.1.26 is good to 1.5e-7 absolute, which exp(μ²σ²/2) amplifies)',
  );
}

/** µs as "x.xxx ms". */
function fmtMs(us: number): string {
  return `${(us / 1000).toFixed(3)} ms`;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
