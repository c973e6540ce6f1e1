import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseModelCard } from '../../src/model/card';
import {
  applyEnergyRebin,
  applyEnergyRebinRuns,
  applyEnergyRebinRunsWithStats,
  applyEnergyRebinRunsWithStats2,
  energyRebinPlan,
  energyRebinRuns,
} from '../../src/model/energyRebin';
import { Log1pRow } from '../../src/model/fastLog';
import { tinyCardJson } from './helpers';

describe('Log1pRow (table log1p of the model input)', () => {
  it('equals Math.fround(Math.log1p(v · ref) · invScale) within 1 float32 ulp over 30 decades', () => {
    const n = 4096;
    const src = new Float64Array(n);
    const rng = fc.sample(fc.double({ min: -25, max: 7, noNaN: true }), n);
    for (let k = 0; k < n; k++) src[k] = Math.pow(10, rng[k]);
    src[0] = 0;
    src[1] = -3; // negative rates count as 0
    src[2] = 1e-300;
    const dst = new Float32Array(n);
    new Log1pRow(n).apply(src, 0, dst, 0, 10, 0.25);
    for (let k = 0; k < n; k++) {
      const ref = Math.fround(Math.log1p(Math.max(src[k], 0) * 10) * 0.25);
      const ulp = ref === 0 ? 1e-45 : Math.abs(Math.fround(ref * (1 + 2 ** -23)) - ref);
      expect(Math.abs(dst[k] - ref), `v = ${src[k]}`).toBeLessThanOrEqual(ulp);
    }
    expect(dst[0]).toBe(0);
    expect(dst[1]).toBe(0);
  });

  it('apply() at offsets writes its row only, as at offset 0, reusing the instance', () => {
    const n = 1024;
    const src = Float64Array.from({ length: n }, (_, k) =>
      k % 7 === 0 ? 0 : 10 ** ((k % 97) / 10 - 6),
    );
    src[3] = -1;
    const row = new Log1pRow(n);
    const a = new Float32Array(n);
    row.apply(src, 0, a, 0, 10, 0.25);
    const shifted = new Float64Array(n + 5);
    shifted.set(src, 5);
    const b = new Float32Array(n + 9).fill(-7);
    row.apply(shifted, 5, b, 4, 10, 0.25);
    expect(b.subarray(4, 4 + n)).toEqual(a);
    expect([...b.subarray(0, 4), ...b.subarray(4 + n)]).toEqual(new Array(9).fill(-7));
    expect(a[3]).toBe(0);
    expect(a[10]).toBeCloseTo(Math.log1p(10 ** ((10 % 97) / 10 - 6) * 10) * 0.25, 7);
  });

  it('applyScaled() and applySum() equal apply() of the sums formed in a pass of their own', () => {
    const n = 1024;
    const x = Float64Array.from({ length: n }, (_, k) => (k % 11 === 0 ? 0 : ((k * 37) % 101) / 7));
    const z = Float64Array.from({ length: n }, (_, k) => (k % 13 === 0 ? -2 : 1e-9 * k));
    const row = new Log1pRow(n);
    const [w0, w1] = [0.3, 0.7];
    const cases: [Float64Array, (dst: Float32Array) => void][] = [
      [x.map((v) => w1 * v), (d) => row.applyScaled(x, 0, w1, d, 0, 10, 0.25)],
      [
        x.map((v, k) => w0 * v + w1 * z[k]),
        (d) => row.applySum(x, 0, w0, z, 0, w1, d, 0, 10, 0.25),
      ],
      [
        x.map((v, k) => v + w1 * z[k]),
        (d) => row.applySum(x, 0, undefined, z, 0, w1, d, 0, 10, 0.25),
      ],
    ];
    for (const [sums, fused] of cases) {
      const a = new Float32Array(n);
      const b = new Float32Array(n);
      row.apply(sums, 0, a, 0, 10, 0.25);
      fused(b);
      expect(b).toEqual(a);
      expect(new Set(a).size).toBeGreaterThan(100);
    }
  });
});

describe('energyRebinRuns', () => {
  const grid = parseModelCard(tinyCardJson()).input.grid;
  it('gives the segment plan’s rebinning for any calibration that covers the grid', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.003, max: 0.08, noNaN: true }),
        fc.double({ min: -0.9, max: 0.9, noNaN: true }),
        (gain, offset) => {
          const n = Math.ceil((26 - offset) / gain) + 2;
          const plan = energyRebinPlan(
            { offsetKeV: offset, gainKeVPerChannel: gain, nChannels: n },
            grid,
          )!;
          const src = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 101);
          const a = new Float64Array(1024);
          const b = new Float64Array(1024);
          applyEnergyRebin(plan, src, 0, a, 0, 0.5);
          applyEnergyRebinRuns(energyRebinRuns(plan), src, 0, b, 0, 0.5);
          for (let k = 0; k < 1024; k++) expect(b[k]).toBeCloseTo(a[k], 9);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rebins two spectra in one pass exactly as one at a time, with the same stats', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.003, max: 0.08, noNaN: true }),
        fc.double({ min: -0.9, max: 0.9, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        (gain, offset, gap) => {
          const n = Math.ceil((26 - offset) / gain) + 2;
          const runs = energyRebinRuns(
            energyRebinPlan({ offsetKeV: offset, gainKeVPerChannel: gain, nChannels: n }, grid)!,
          );
          // Two spectra `gap` values apart, with negative counts at different channels.
          const o1 = n + gap;
          const src = Float64Array.from({ length: o1 + n }, (_, i) =>
            i % 37 === 5 ? -((i % 5) + 1) : ((i * 7919) % 101) / 3,
          );
          const one = new Float64Array(2 * 1024);
          const two = new Float64Array(2 * 1024);
          const s0 = new Float64Array(2);
          const s1 = new Float64Array(2);
          const pair = new Float64Array(4);
          applyEnergyRebinRunsWithStats(runs, src, 0, one, 0, 0.1, s0);
          applyEnergyRebinRunsWithStats(runs, src, o1, one, 1024, 1 / 3, s1);
          applyEnergyRebinRunsWithStats2(runs, src, 0, o1, two, 0, 1024, 0.1, 1 / 3, pair);
          expect(two).toEqual(one);
          expect([...pair]).toEqual([...s0, ...s1]);
          expect(pair[1]).toBeLessThan(0);
        },
      ),
      { numRuns: 40 },
    );
  });
});
