import { describe, expect, it } from 'vitest';
import { PeakList } from '../../src/spectra/detectorResponse.js';
import {
  applyPileUp,
  pileUpOrders,
  preparePileUp,
  realPerLiveTime,
} from '../../src/spectra/throughput.js';
import { createMxrfSimulator } from '../../src/index.js';

/** Seeded uniform generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Monte Carlo pulse train of a pulse processor, written independently of the model: Poisson
 * photon arrivals; a photon arriving while the processor is idle starts an event; photons
 * following the previous one of the event within τ join it (unresolved); after the last photon
 * the processor is busy for τ_d, photons arriving then are lost; the live clock runs only while
 * idle. Photon kinds: 'A' (p 0.5), 'B' (0.2), continuum 'C' (0.3).
 */
function pulseTrain(rate: number, tau: number, dead: number, nEvents: number, seed: number) {
  const u = rng(seed);
  const exp = () => -Math.log(1 - u()) / rate;
  const kind = () => {
    const r = u();
    return r < 0.5 ? 'A' : r < 0.7 ? 'B' : 'C';
  };
  const events = new Map<string, number>();
  let live = 0;
  let busyUntil = 0;
  let next = exp(); // time of the next photon
  for (let n = 0; n < nEvents; n++) {
    while (next < busyUntil) next += exp(); // lost while busy
    live += next - busyUntil;
    const parts = [kind()];
    let last = next;
    for (;;) {
      next = last + exp();
      if (next - last >= tau) break;
      parts.push(kind());
      last = next;
    }
    busyUntil = last + Math.max(dead, tau);
    const key = parts.sort().join('');
    events.set(key, (events.get(key) ?? 0) + 1);
  }
  return { events, live, real: busyUntil };
}

describe('unresolved pile-up and dead time: model vs Monte Carlo pulse train', () => {
  const rate = 3e5;
  const tau = 0.5e-6;
  const dead = 1.2e-6;
  const n = 200_000;
  const mc = pulseTrain(rate, tau, dead, n, 12345);
  const o = pileUpOrders(rate, tau);
  const count = (k: string) => mc.events.get(k) ?? 0;
  const perLive = (k: string) => count(k) / mc.live;
  it('events per live second equal the input rate (dead time does not remove counts)', () => {
    // n events over the live time: R within the Poisson error (1/√n ≈ 0.22 %).
    expect(n / mc.live / rate).toBeGreaterThan(0.99);
    expect(n / mc.live / rate).toBeLessThan(1.01);
  });
  it('single, double and triple event rates follow the geometric cluster law', () => {
    // Expected per live second: R·P(order)·(composition probability).
    const cases: [string, number][] = [
      ['A', o.single * 0.5],
      ['B', o.single * 0.2],
      ['AA', o.double * 0.25],
      ['AB', o.double * 2 * 0.1],
      ['AAA', o.triple * 0.125],
    ];
    for (const [k, p] of cases) {
      const expected = rate * p;
      const sigma = Math.sqrt(expected * mc.live) / mc.live;
      expect(Math.abs(perLive(k) - expected), `${k}: ${perLive(k)} vs ${expected}`).toBeLessThan(
        4 * sigma + 1e-3 * expected,
      );
    }
  });
  it('real time per live time matches 1 + R·D', () => {
    const expected = realPerLiveTime(rate, tau, dead);
    expect(mc.real / mc.live / expected).toBeGreaterThan(0.99);
    expect(mc.real / mc.live / expected).toBeLessThan(1.01);
  });
});

describe('applyPileUp', () => {
  const nCh = 4096;
  const chE = Float64Array.from({ length: nCh }, (_, c) => c * 0.01);
  const rate = 3e5;
  const tau = 0.5e-6;
  const build = () => {
    const peaks = new PeakList();
    peaks.push(6.4, 0.5 * rate, 10, 0);
    peaks.push(7.06, 0.2 * rate, 20, 0);
    const arrival = { counts: new Float64Array(nCh), weighted: new Float64Array(nCh) };
    // Continuum 0.3·R uniform over 1–12 keV (every triple stays below the last channel).
    for (let c = 100; c < 1200; c++) {
      arrival.counts[c] = (0.3 * rate) / 1100;
      arrival.weighted[c] = arrival.counts[c] * 5;
    }
    return { peaks, arrival };
  };
  const { peaks, arrival } = build();
  const t = applyPileUp(preparePileUp(41), peaks, arrival, chE, 1, tau, 1e-6, true);
  const o = pileUpOrders(rate, tau);
  it('scales single peaks by e^{−Rτ} and keeps events per live time = R·(1 − p³) exactly', () => {
    expect(t.inputRatePerS).toBeCloseTo(rate, 6);
    expect(peaks.counts[0]).toBeCloseTo(0.5 * rate * Math.exp(-rate * tau), 6);
    let total = peaks.counts[0] + peaks.counts[1];
    for (let c = 0; c < nCh; c++) total += arrival.counts[c];
    expect(total / (rate * (o.single + o.double + o.triple))).toBeCloseTo(1, 9);
  });
  it('puts the A+A, A+B sum peaks at their energies with the expected areas and μ_in', () => {
    const win = (e: number) => {
      let c = 0;
      let w = 0;
      for (let ch = Math.round((e - 0.2) / 0.01); ch <= Math.round((e + 0.2) / 0.01); ch++) {
        c += arrival.counts[ch];
        w += arrival.weighted[ch];
      }
      return { c, mu: w / c };
    };
    // Third kind as a line at 1.5 keV (0.3 R): every sum of two or three photons is then a
    // separate line; windows of ±0.2 keV hold A+A and A+B alone.
    const p2 = new PeakList();
    p2.push(6.4, 0.5 * rate, 10, 0);
    p2.push(7.06, 0.2 * rate, 20, 0);
    p2.push(1.5, 0.3 * rate, 5, 0);
    const arr2 = { counts: new Float64Array(nCh), weighted: new Float64Array(nCh) };
    applyPileUp(preparePileUp(41), p2, arr2, chE, 1, tau, 1e-6, true);
    arrival.counts = arr2.counts;
    arrival.weighted = arr2.weighted;
    const aa = win(12.8);
    const ab = win(13.46);
    expect(aa.c / (rate * o.double * 0.25)).toBeCloseTo(1, 6);
    expect(ab.c / (rate * o.double * 0.2)).toBeCloseTo(1, 6);
    // μ_in of sum events: the photon-weighted mean μ_in of the arrival spectrum.
    expect(ab.mu).toBeCloseTo((0.5 * 10 + 0.2 * 20 + 0.3 * 5) / 1, 6);
    expect(aa.mu).toBeCloseTo(10.5, 6);
  });
  it('the default instrument at ~450 kcps: events per live time conserved to < 0.5 %', () => {
    const s = createMxrfSimulator().simulate({
      composition: { Fe: 0.7, Cr: 0.18, Ni: 0.1, Mn: 0.02 },
      densityGPerCm3: 7.9,
    });
    const off = createMxrfSimulator({ detector: { pulsePairResolutionUs: 0 } }).simulate({
      composition: { Fe: 0.7, Cr: 0.18, Ni: 0.1, Mn: 0.02 },
      densityGPerCm3: 7.9,
    });
    const sum = (x: Float64Array) => x.reduce((a, b) => a + b, 0);
    const o2 = pileUpOrders(s.countRatePerS, 0.25e-6);
    // Events lost: quadruples+ (p³) and sums above the last channel.
    const ratio = sum(s.counts) / sum(off.counts);
    expect(ratio).toBeLessThanOrEqual(1);
    expect(ratio).toBeGreaterThan(1 - o2.higher - 0.005);
    expect(s.realTimeS).toBeGreaterThan(s.liveTimeS);
    expect(s.outputCountRatePerS).toBeLessThan(s.countRatePerS);
  });
});
