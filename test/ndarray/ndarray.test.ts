import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors';
import {
  depthProfileFromNdarray,
  profileToNdarray,
  resultsToNdarray,
} from '../../src/ndarray/index';
import { fakeResult } from '../report/helpers';

const calibration = { offsetKeV: 0, gainKeVPerChannel: 0.02, nChannels: 3 };

describe('depthProfileFromNdarray', () => {
  it('uses a contiguous Float64Array without copying', () => {
    const data = new Float64Array([0, 1, 2, 3, 4, 5, 9]);
    const p = depthProfileFromNdarray(ndarray(data, [2, 3]), {
      calibration,
      depthStepUm: 5,
      firstDepthUm: 10,
      liveTimesS: 2,
    });
    expect(p.counts.buffer).toBe(data.buffer);
    expect(Array.from(p.counts)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(p.depthsUm)).toEqual([10, 15]);
    expect(Array.from(p.liveTimesS)).toEqual([2, 2]);
  });

  it('reads transposed, sliced and integer ndarrays by their strides', () => {
    // Stored [channel][step]; the transpose is [step][channel].
    const stored = ndarray(new Int32Array([0, 10, 1, 11, 2, 12]), [3, 2]);
    const p = depthProfileFromNdarray(stored.transpose(1, 0), {
      calibration,
      depthsUm: [0, 7],
      liveTimesS: [1, 2],
    });
    expect(p.counts).toBeInstanceOf(Float64Array);
    expect(Array.from(p.counts)).toEqual([0, 1, 2, 10, 11, 12]);
    const big = ndarray(
      new Float32Array(4 * 5).map((_, i) => i),
      [4, 5],
    );
    const sub = depthProfileFromNdarray(big.hi(3, 4).lo(1, 1), {
      calibration,
      depthStepUm: 1,
      liveTimesS: 1,
    });
    expect(Array.from(sub.counts)).toEqual([6, 7, 8, 11, 12, 13]);
  });

  it('names the problem: shape, calibration, bad count, live time', () => {
    const ok = { calibration, depthStepUm: 5, liveTimesS: 1 };
    expect(() => depthProfileFromNdarray(ndarray(new Float64Array(3), [3]), ok)).toThrow(/2-D/);
    expect(() => depthProfileFromNdarray(ndarray(new Float64Array(8), [2, 4]), ok)).toThrow(
      /nChannels must equal shape\[1\] = 4/,
    );
    const nan = new Float64Array(6);
    nan[4] = NaN;
    expect(() => depthProfileFromNdarray(ndarray(nan, [2, 3]), ok)).toThrow(
      /counts\[1, 1\] must be a finite count/,
    );
    expect(() =>
      depthProfileFromNdarray(ndarray(new Float64Array(6), [2, 3]), { ...ok, liveTimesS: [1, 0] }),
    ).toThrow(InvalidArgumentError);
    expect(() =>
      depthProfileFromNdarray(
        { data: new Float64Array(5), shape: [2, 3], stride: [3, 1], offset: 0 },
        ok,
      ),
    ).toThrow(/storage 0…5 but data has 5/);
  });
});

describe('ndarray views', () => {
  it('views a profile without copying', () => {
    const counts = new Float64Array(6);
    const a = profileToNdarray({
      counts,
      nSteps: 2,
      nChannels: 3,
      depthsUm: new Float64Array(2),
      liveTimesS: new Float64Array(2),
      calibration,
    });
    a.set(1, 2, 7);
    expect(counts[5]).toBe(7);
    expect(a.shape).toEqual([2, 3]);
  });
  it('packs results row by row', () => {
    const t = resultsToNdarray([fakeResult({ Fe: 0.01 }), fakeResult({ Pb: 0.2 })]);
    const fe = t.elements.indexOf('Fe');
    const pb = t.elements.indexOf('Pb');
    expect(t.massFraction.shape).toEqual([2, 53]);
    expect(t.massFraction.get(0, fe)).toBe(0.01);
    expect(t.massFraction.get(1, pb)).toBe(0.2);
    expect(t.massFraction.get(1, fe)).toBe(0);
    expect(t.presenceProbability.get(0, fe)).toBe(0.99);
    expect(t.setup.get(1, t.setupNames.indexOf('sigmaMaxUm'))).toBe(24);
    expect(t.surfaceUm.get(1)).toBe(42);
  });
});
