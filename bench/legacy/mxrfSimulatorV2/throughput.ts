/**
 * FROZEN COPY of the simulator's `throughput` module as it was before the spectrum speed-up (continuum
 * response read once for both spectra, Sherman numerators precomputed per shell, …), kept
 * unchanged so that the spectrum benchmark can time the current simulator against it on the same
 * sample and check that both give the same spectrum. Not part of the package; do not edit.
 */
/**
 * Detector throughput as a digital pulse processor produces it: dead time, live time and
 * unresolved pile-up, modelled separately.
 *
 * Model (see docs/physics.md, "Detector throughput"):
 * - Photons reach the detector as a Poisson process of rate R (all peaks and continuum).
 * - The live-time clock runs only while the processor can accept a new event. Every photon
 *   that arrives during live time starts an event, so a spectrum normalised by live time holds
 *   R events per live second at any rate: dead time costs real time, not counts per live time.
 * - Photons that follow the previous photon of the event within the pulse-pair resolution τ
 *   (the fast channel cannot separate them) are unresolved: they join the event, whose energy is
 *   the sum. The number of extra photons is geometric: P(k) = e^{−x}(1 − e^{−x})^k, x = Rτ.
 *   Per live second: R e^{−x} single events with the arrival spectrum s(E), R e^{−x}p (s⊗s)(E)
 *   doubles and R e^{−x}p² (s⊗s⊗s)(E) triples (p = 1 − e^{−x}); quadruples and beyond are
 *   dropped (their share p³ stays below 0.5 % of events for x ≤ 0.19).
 * - After the last photon of an event the processor stays busy for the dead time τ_d (photons in
 *   that time are not recorded and not counted in the live time). Real time per live time:
 *   1 + R·D with D = τ_d − τ + (e^x − 1)/R the mean busy time per event.
 *
 * Validity: Poisson arrivals (no beam pulsing), sum energy = E1 + E2 (no ballistic deficit of
 * partly overlapping pulses), τ_d taken as at least τ; rates with Rτ ≤ 0.19 (≈ 380 kcps at τ = 0.5 µs), where the
 * dropped higher orders stay under 0.5 % of the events. Checked against a Monte Carlo pulse train
 * in the tests.
 *
 * @module
 */
import type { PeakList } from './detectorResponse.js';
import type { Arrival } from './scatter.js';

/** Largest R·τ for which the dropped higher pile-up orders stay below 0.5 % of events. */
export const MAX_PILE_UP_RT = 0.19;

/** Node spacing of the pile-up convolution grid (keV). */
export const PILE_UP_STEP_KEV = 0.08;

/** Throughput figures of one spectrum. */
export interface Throughput {
  /** Photons reaching the detector per second (input count rate R). */
  inputRatePerS: number;
  /** Recorded events per second of real time. */
  outputRatePerS: number;
  /** Real time / live time. */
  realPerLive: number;
  /** Share of events holding two or more unresolved photons. */
  pileUpFraction: number;
}

/** Scratch of the pile-up convolution (per simulator). @internal */
export interface PileUpScratch {
  s: Float64Array;
  sw: Float64Array;
  d: Float64Array;
  t: Float64Array;
}

/** Allocates the pile-up scratch for spectra up to `maxKeV`. @internal */
export function preparePileUp(maxKeV: number): PileUpScratch {
  const n = Math.ceil(maxKeV / PILE_UP_STEP_KEV) + 2;
  const a = () => new Float64Array(n);
  return { s: a(), sw: a(), d: a(), t: a() };
}

/**
 * Unresolved-pile-up probabilities at rate `ratePerS` and pulse-pair resolution `tauS`:
 * shares of single, double and triple events among all events, and the share of higher orders
 * (dropped).
 */
export function pileUpOrders(
  ratePerS: number,
  tauS: number,
): { single: number; double: number; triple: number; higher: number } {
  const x = ratePerS * tauS;
  const q = Math.exp(-x);
  const p = 1 - q;
  return { single: q, double: q * p, triple: q * p * p, higher: p * p * p };
}

/**
 * Real time per live time for rate `ratePerS`, pulse-pair resolution `tauS` and dead time per
 * event `deadS` (busy time after the last photon of an event).
 */
export function realPerLiveTime(ratePerS: number, tauS: number, deadS: number): number {
  if (ratePerS <= 0) return 1;
  const x = ratePerS * tauS;
  const busy = Math.max(deadS, tauS) - tauS + (x > 1e-8 ? Math.expm1(x) / ratePerS : tauS);
  return 1 + ratePerS * Math.max(busy, 0);
}

function deposit(a: Float64Array, aw: Float64Array, e: number, c: number, mu: number): void {
  const x = e / PILE_UP_STEP_KEV;
  const i = Math.floor(x);
  if (i < 0 || i + 1 >= a.length) return;
  const t = x - i;
  a[i] += c * (1 - t);
  a[i + 1] += c * t;
  aw[i] += c * mu * (1 - t);
  aw[i + 1] += c * mu * t;
}

/** out[k] = Σ_{i+j=k} a[i]·b[j] for k < n (first nonzero indices ia, ib). */
function convolve(
  a: Float64Array,
  ia: number,
  b: Float64Array,
  ib: number,
  out: Float64Array,
): void {
  const n = out.length;
  out.fill(0);
  for (let i = ia; i < n; i++) {
    const v = a[i];
    if (v === 0) continue;
    const jMax = n - i;
    for (let j = ib; j < jMax; j++) out[i + j] += v * b[j];
  }
}

/**
 * Applies unresolved pile-up in place: scales the single-photon peaks and arrival spectrum by
 * the share of single events and adds double and triple events (weighted with the mean μ_in) to the
 * arrival spectrum (channel energies `channelEnergyKeV`). Returns the throughput figures.
 * @internal
 */
export function applyPileUp(
  scratch: PileUpScratch,
  peaks: PeakList,
  arrival: Arrival,
  channelEnergyKeV: Float64Array,
  liveTimeS: number,
  tauS: number,
  deadS: number,
  enabled: boolean,
): Throughput {
  let total = 0;
  for (let i = 0; i < peaks.length; i++) total += peaks.counts[i];
  const nCh = arrival.counts.length;
  for (let c = 0; c < nCh; c++) total += arrival.counts[c];
  const rate = total / liveTimeS;
  const realPerLive = realPerLiveTime(rate, tauS, deadS);
  const o = pileUpOrders(rate, enabled ? tauS : 0);
  const result: Throughput = {
    inputRatePerS: rate,
    outputRatePerS: rate / realPerLive,
    realPerLive,
    pileUpFraction: 1 - o.single,
  };
  if (!enabled || !(tauS > 0) || total === 0) return result;

  // Normalised arrival spectrum s(E) on the pile-up grid (tent deposit keeps centroids).
  const { s, sw, d, t } = scratch;
  s.fill(0);
  sw.fill(0);
  for (let i = 0; i < peaks.length; i++) {
    deposit(s, sw, peaks.energyKeV[i], peaks.counts[i] / total, peaks.muIn[i]);
  }
  for (let c = 0; c < nCh; c++) {
    const v = arrival.counts[c];
    if (v === 0) continue;
    deposit(s, sw, channelEnergyKeV[c], v / total, arrival.weighted[c] / v);
  }
  let i0 = 0;
  while (i0 < s.length && s[i0] === 0) i0++;
  // Doubles s⊗s and triples (s⊗s)⊗s. The μ_in of a sum event is taken as the spectrum's mean
  // μ_in (a sum event has no single incident path; they are a few % of the counts).
  convolve(s, i0, s, i0, d);
  let d0 = 0;
  while (d0 < d.length && d[d0] === 0) d0++;
  convolve(d, d0, s, i0, t);
  let sTot = 0;
  let swTot = 0;
  for (let k = 0; k < s.length; k++) {
    sTot += s[k];
    swTot += sw[k];
  }
  const muMean = sTot > 0 ? swTot / sTot : 0;
  // Singles: every photon stays with probability e^{−x}; events per live time = R.
  const events = rate * liveTimeS;
  for (let i = 0; i < peaks.length; i++) peaks.counts[i] *= o.single;
  for (let c = 0; c < nCh; c++) {
    arrival.counts[c] *= o.single;
    arrival.weighted[c] *= o.single;
  }
  const gain = channelEnergyKeV.length > 1 ? channelEnergyKeV[1] - channelEnergyKeV[0] : 1;
  const off = channelEnergyKeV[0];
  const cD = events * o.double;
  const cT = events * o.triple;
  // Each node stands for the energies within ±step/2: spread it uniformly over those channels.
  const half = (0.5 * PILE_UP_STEP_KEV) / gain;
  for (let k = 0; k < d.length; k++) {
    const v = d[k] * cD + t[k] * cT;
    if (v === 0) continue;
    const vw = v * muMean;
    const centre = (k * PILE_UP_STEP_KEV - off) / gain;
    const lo = Math.max(Math.ceil(centre - half), 0);
    const hi = Math.min(Math.ceil(centre + half) - 1, nCh - 1);
    if (hi < lo) continue;
    const inv = 1 / (hi - lo + 1);
    for (let ch = lo; ch <= hi; ch++) {
      arrival.counts[ch] += v * inv;
      arrival.weighted[ch] += vw * inv;
    }
  }
  return result;
}
