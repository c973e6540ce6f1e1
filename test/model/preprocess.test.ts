import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ModelGrid } from '../../src/model/card';
import { parseModelCard } from '../../src/model/card';
import { depthResamplePlan } from '../../src/model/depthResample';
import { applyEnergyRebin, energyRebinPlan } from '../../src/model/energyRebin';
import { ProfileNotRepresentableError } from '../../src/model/errors';
import { preprocessProfile } from '../../src/model/preprocess';
import { range, syntheticProfile, tinyCardJson } from './helpers';

const card = parseModelCard(tinyCardJson());
const GRID: ModelGrid = card.input.grid; // 40 × 5 µm, 1024 × 0.024 keV from 1.0 keV
const norm = (rate: number): number => Math.fround(Math.log1p(rate * 10) / 4);

describe('energyRebinPlan (exact bin overlap)', () => {
  it('conserves counts of channels inside the model range', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.003, max: 0.05, noNaN: true }),
        fc.double({ min: -0.5, max: 0.9, noNaN: true }),
        (gain, offset) => {
          const n = Math.ceil((26 - offset) / gain) + 2;
          const plan = energyRebinPlan(
            { offsetKeV: offset, gainKeVPerChannel: gain, nChannels: n },
            GRID,
          )!;
          expect(plan).toBeDefined();
          // Every source channel lying entirely inside [1.0, 25.576] keV is distributed with total weight 1.
          const total = new Float64Array(n);
          plan.srcIndex.forEach((s, i) => (total[s] += plan.weight[i]));
          for (let ch = 0; ch < n; ch++) {
            const lo = offset + (ch - 0.5) * gain;
            const hi = lo + gain;
            if (lo >= 1.0 + 1e-9 && hi <= 25.576 - 1e-9) expect(total[ch]).toBeCloseTo(1, 10);
            if (hi <= 1.0 - 1e-9 || lo >= 25.576 + 1e-9) expect(total[ch]).toBe(0);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('maps a 10 eV spectrum onto 24 eV bins with the right overlaps', () => {
    // Channel ch covers [0.01 ch, 0.01 (ch + 1)) keV; bin 0 = [1.000, 1.024) = channels 100, 101 and 0.4 of 102.
    const c = { offsetKeV: 0.005, gainKeVPerChannel: 0.01, nChannels: 4096 };
    const plan = energyRebinPlan(c, GRID)!;
    const src = new Float64Array(4096).fill(0);
    src[100] = 10;
    src[101] = 20;
    src[102] = 30;
    const out = new Float64Array(1024);
    applyEnergyRebin(plan, src, 0, out, 0);
    expect(out[0]).toBeCloseTo(10 + 20 + 0.4 * 30, 10);
    expect(out[1]).toBeCloseTo(0.6 * 30, 10);
    const sum = out.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(60, 10);
  });

  it('is the identity on the model grid itself', () => {
    const plan = energyRebinPlan(
      { offsetKeV: 1.012, gainKeVPerChannel: 0.024, nChannels: 1024 },
      GRID,
    )!;
    expect(plan.srcIndex.length).toBe(1024);
    plan.srcIndex.forEach((s, i) => {
      expect(plan.dstIndex[i]).toBe(s);
      expect(plan.weight[i]).toBeCloseTo(1, 12);
    });
  });

  it('refuses a calibration that does not cover 1.0–25.576 keV', () => {
    expect(
      energyRebinPlan({ offsetKeV: 0.005, gainKeVPerChannel: 0.01, nChannels: 2048 }, GRID),
    ).toBeUndefined();
    expect(
      energyRebinPlan({ offsetKeV: 1.2, gainKeVPerChannel: 0.01, nChannels: 4096 }, GRID),
    ).toBeUndefined();
    expect(
      energyRebinPlan({ offsetKeV: 0, gainKeVPerChannel: -0.01, nChannels: 4096 }, GRID),
    ).toBeUndefined();
  });
});

describe('depthResamplePlan (linear interpolation along the scan axis)', () => {
  it('is the identity for 5 µm steps', () => {
    const p = depthResamplePlan(range(40, 5), 40, 5);
    if ('problem' in p) throw new Error(p.problem);
    for (let m = 0; m < 40; m++) expect(p.lower[m] + p.upperWeight[m]).toBe(m);
  });
  it('interpolates 2 µm and 10 µm steps, relative to the first position', () => {
    const fine = depthResamplePlan(range(100, 2, 1000), 40, 5);
    if ('problem' in fine) throw new Error(fine.problem);
    // x_1 = 1005 µm lies between steps 2 (1004) and 3 (1006), halfway.
    expect([fine.lower[1], fine.upperWeight[1]]).toEqual([2, 0.5]);
    const coarse = depthResamplePlan(range(21, 10.26), 40, 5);
    if ('problem' in coarse) throw new Error(coarse.problem);
    expect(coarse.lower[3]).toBe(1);
    expect(coarse.upperWeight[3]).toBeCloseTo((15 - 10.26) / 10.26, 12);
  });
  it('reports too short a scan and non-increasing positions', () => {
    const short = depthResamplePlan(range(39, 5), 40, 5);
    expect('problem' in short && short.problem).toMatch(/195 µm .* span 190 µm/);
    const unsorted = depthResamplePlan([0, 5, 5, 10], 4, 5);
    expect('problem' in unsorted && unsorted.step).toBe(2);
  });
});

describe('preprocessProfile', () => {
  it('normalises by live time: x = ln(1 + counts / t · 10) / 4 on the model grid', () => {
    const lt = range(40, 0.5, 2); // 2 … 21.5 s
    const p = syntheticProfile({
      depthsUm: range(40, 5),
      offsetKeV: 1.012,
      gainKeVPerChannel: 0.024,
      nChannels: 1024,
      liveTimeS: lt,
    });
    const x = preprocessProfile(p, card);
    expect(x.length).toBe(40 * 1024);
    for (const [j, k] of [
      [0, 0],
      [7, 100],
      [39, 1023],
    ]) {
      expect(x[j * 1024 + k]).toBeCloseTo(norm(p.counts[j * 1024 + k] / lt[j]), 6);
    }
  });

  it('doubling live time and counts together leaves the input unchanged', () => {
    const a = syntheticProfile({
      depthsUm: range(41, 5),
      offsetKeV: 0.005,
      gainKeVPerChannel: 0.01,
      nChannels: 3000,
      liveTimeS: 5,
    });
    const b = {
      ...a,
      counts: a.counts.map((c) => 2 * c),
      liveTimesS: a.liveTimesS.map((t) => 2 * t),
    };
    expect(preprocessProfile(b, card)).toEqual(preprocessProfile(a, card));
  });

  it('conserves counts through rebinning: total rate of a flat-in-depth profile', () => {
    // 10 eV channels, 1 count each, t = 1 s: every 24 eV bin holds 2.4 counts/s.
    const p = syntheticProfile({
      depthsUm: range(40, 5),
      offsetKeV: 0.005,
      gainKeVPerChannel: 0.01,
      nChannels: 2600,
      liveTimeS: 1,
      counts: () => 1,
    });
    const x = preprocessProfile(p, card);
    for (const i of [0, 511, 40 * 1024 - 1]) expect(x[i]).toBeCloseTo(norm(2.4), 6);
  });

  it('interpolates rates linearly between depth steps of 10 µm', () => {
    // counts at step j = 100 j per channel on the model grid, t = 10 s; model step m sits at 5 m µm → rate = 5 m.
    const p = syntheticProfile({
      depthsUm: range(21, 10),
      offsetKeV: 1.012,
      gainKeVPerChannel: 0.024,
      nChannels: 1024,
      counts: (j) => 100 * j,
    });
    const x = preprocessProfile(p, card);
    for (const m of [0, 1, 2, 17, 39]) expect(x[m * 1024 + 5]).toBeCloseTo(norm(5 * m), 6);
  });

  it('writes into a caller buffer at an offset', () => {
    const p = syntheticProfile({
      depthsUm: range(40, 5),
      offsetKeV: 1.012,
      gainKeVPerChannel: 0.024,
      nChannels: 1024,
    });
    const out = new Float32Array(2 * 40 * 1024);
    preprocessProfile(p, card, { out, outOffset: 40 * 1024 });
    expect(out.subarray(40 * 1024)).toEqual(preprocessProfile(p, card));
    expect(out.subarray(0, 40 * 1024).every((v) => v === 0)).toBe(true);
  });

  const base = {
    depthsUm: range(40, 5),
    offsetKeV: 0.005,
    gainKeVPerChannel: 0.01,
    nChannels: 2600,
  };
  const expectProblem = (f: () => unknown, problem: string, message: RegExp): void => {
    try {
      f();
      expect.unreachable('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(ProfileNotRepresentableError);
      expect((e as ProfileNotRepresentableError).problem).toBe(problem);
      expect((e as Error).message).toMatch(message);
    }
  };

  it('throws a typed error for an energy range the calibration does not cover', () => {
    const p = { ...syntheticProfile({ ...base, nChannels: 2048 }), source: 'short.msa' };
    expectProblem(
      () => preprocessProfile(p, card),
      'energy-range',
      /^short\.msa: .*needs 1–25\.576 keV.*covers 0–20\.48 keV/,
    );
  });
  it('throws a typed error for too few depth steps', () => {
    expectProblem(
      () => preprocessProfile(syntheticProfile({ ...base, depthsUm: range(20, 5) }), card),
      'depth-coverage',
      /40 steps of 5 µm.*span 95 µm/,
    );
  });
  it('throws a typed error naming step and channel of a NaN, Infinity or negative count', () => {
    const p = syntheticProfile(base);
    p.counts[3 * 2600 + 17] = NaN;
    expectProblem(
      () => preprocessProfile(p, card),
      'non-finite-counts',
      /step 3, channel 17.*Value: `NaN`/,
    );
    p.counts[3 * 2600 + 17] = Infinity;
    expectProblem(() => preprocessProfile(p, card), 'non-finite-counts', /step 3, channel 17/);
    p.counts[3 * 2600 + 17] = -1;
    expectProblem(
      () => preprocessProfile(p, card),
      'negative-counts',
      /step 3, channel 17.*Value: `-1`/,
    );
  });
  it('throws typed errors for bad live times and inconsistent shapes', () => {
    const p = syntheticProfile({ ...base, liveTimeS: 0 });
    expectProblem(() => preprocessProfile(p, card), 'live-time', /step 0.*> 0 s/);
    const q = syntheticProfile(base);
    expectProblem(() => preprocessProfile({ ...q, nSteps: 41 }, card), 'shape', /counts must hold/);
  });
});
