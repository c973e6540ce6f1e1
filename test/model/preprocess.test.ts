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

describe('depthResamplePlan (intensity convention: counts per step ∝ step length)', () => {
  const plan = (depths: number[], startUm: number, convention?: 'per-step' | 'per-position') => {
    const p = depthResamplePlan(depths, { startUm, nDepth: 40, stepUm: 5, convention });
    if ('problem' in p) throw new Error(p.problem);
    return p;
  };
  /** Model value of step m for measured rates r_j. */
  const value = (p: ReturnType<typeof plan>, m: number, rate: (j: number) => number): number => {
    let v = 0;
    for (let t = p.offsets[m]; t < p.offsets[m + 1]; t++) v += p.weights[t] * rate(p.steps[t]);
    return v;
  };
  it('is the identity for 5 µm steps whose positions are the model steps', () => {
    const p = plan(range(50, 5), 25);
    for (let m = 0; m < 40; m++) {
      expect(p.offsets[m + 1] - p.offsets[m]).toBe(1);
      expect(p.steps[p.offsets[m]]).toBe(m + 5);
      expect(p.weights[p.offsets[m]]).toBe(1);
    }
    expect([p.firstStep, p.lastStep]).toEqual([5, 44]);
  });
  it('sums finer steps over the 5 µm model cell: 1 µm steps of rate r give 5 r', () => {
    const p = plan(range(300, 1), 20);
    // A scan of 1 µm steps records 1/5 of the counts of a 5 µm step per position.
    for (const m of [0, 7, 39]) expect(value(p, m, () => 2)).toBeCloseTo(10, 12);
    // 2 µm steps: 2.5 cells per model cell.
    const q = plan(range(150, 2), 20);
    for (const m of [0, 13, 39]) expect(value(q, m, () => 4)).toBeCloseTo(10, 12);
  });
  it('averages a linear profile without bias and interpolates coarse steps linearly', () => {
    // Rate density linear in depth: d(x) = 3 + 0.1 x per µm, so a 5 µm step at x records 5 d(x).
    const d = (x: number): number => 3 + 0.1 * x;
    const fine = range(300, 1);
    const pf = plan(fine, 20);
    for (const m of [1, 20, 38])
      expect(value(pf, m, (j) => d(fine[j]) * 1)).toBeCloseTo(5 * d(20 + 5 * m), 9);
    const coarse = range(30, 10.26);
    const pc = plan(coarse, 12);
    for (const m of [0, 3, 39])
      expect(value(pc, m, (j) => d(coarse[j]) * 10.26)).toBeCloseTo(5 * d(12 + 5 * m), 9);
  });
  it("'per-position' takes each position's rate as the rate of a 5 µm step", () => {
    const p = plan(range(300, 1), 20, 'per-position');
    expect(value(p, 5, () => 2)).toBeCloseTo(2, 12);
  });
  it('reports a window outside the scan and non-increasing positions', () => {
    const short = depthResamplePlan(range(39, 5), { startUm: 0, nDepth: 40, stepUm: 5 });
    expect('problem' in short && short.problem).toMatch(
      /0–195 µm .*\(39 positions spanning 190 µm/,
    );
    const unsorted = depthResamplePlan([0, 5, 5, 10], { startUm: 0, nDepth: 2, stepUm: 5 });
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

  it('conserves counts through rebinning: total rate behind a surface edge', () => {
    // 10 eV channels, 1 count each behind the edge, t = 1 s: every 24 eV bin holds 2.4 counts/s.
    const p = syntheticProfile({
      depthsUm: range(40, 5),
      offsetKeV: 0.005,
      gainKeVPerChannel: 0.01,
      nChannels: 2600,
      liveTimeS: 1,
      counts: (j) => (j < 5 ? 0.1 : 1),
    });
    const x = preprocessProfile(p, card);
    for (const i of [5 * 1024, 5 * 1024 + 511, 40 * 1024 - 1])
      expect(x[i]).toBeCloseTo(norm(2.4), 6);
    expect(x[3 * 1024 + 7]).toBeCloseTo(norm(0.24), 6);
  });

  it('interpolates 10 µm steps linearly, as rates of a 5 µm step (half those of 10 µm)', () => {
    // Air at 0 µm, then 2000 − 50 j counts per channel in t = 10 s: a rate of 200 − 5 j per
    // 10 µm step, i.e. 100 − 0.25 x per 5 µm step at x = 10 j µm.
    const p = syntheticProfile({
      depthsUm: range(21, 10),
      offsetKeV: 1.012,
      gainKeVPerChannel: 0.024,
      nChannels: 1024,
      counts: (j) => (j === 0 ? 0 : 2000 - 50 * j),
    });
    const x = preprocessProfile(p, card);
    for (const m of [2, 3, 17, 39]) expect(x[m * 1024 + 5]).toBeCloseTo(norm(100 - 1.25 * m), 6);
    expect(x[1024 + 5]).toBeCloseTo(norm(0.5 * 97.5), 6);
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
  it('throws a typed error for too few depth steps, naming the steps needed', () => {
    expectProblem(
      () => preprocessProfile(syntheticProfile({ ...base, depthsUm: range(20, 5) }), card),
      'short-scan',
      /needs a scan over 195 µm \(40 steps of 5 µm\).*20 positions over 95 µm \(40 positions at its 5 µm step would do, 20 more\)/,
    );
  });
  it('names --invert-axis for positions that decrease into the sample', () => {
    const p = syntheticProfile({ ...base, depthsUm: range(40, -5, 500) });
    expectProblem(() => preprocessProfile(p, card), 'depth-coverage', /step 1.*--invert-axis/);
  });
  it('throws a typed error naming step and channel of a NaN or Infinity count', () => {
    const p = syntheticProfile(base);
    p.counts[3 * 2600 + 17] = NaN;
    expectProblem(
      () => preprocessProfile(p, card),
      'non-finite-counts',
      /step 3, channel 17.*Value: `NaN`/,
    );
    p.counts[3 * 2600 + 17] = Infinity;
    expectProblem(() => preprocessProfile(p, card), 'non-finite-counts', /step 3, channel 17/);
  });
  it('throws typed errors for bad live times and inconsistent shapes', () => {
    const p = syntheticProfile({ ...base, liveTimeS: 0 });
    expectProblem(() => preprocessProfile(p, card), 'live-time', /step 0.*> 0 s/);
    const q = syntheticProfile(base);
    expectProblem(() => preprocessProfile({ ...q, nSteps: 41 }, card), 'shape', /counts must hold/);
  });
});
