/**
 * The preprocessing (fused resampling and logarithm passes) writes exactly the model input and
 * report of the previous preprocessing, kept as a frozen copy for the model benchmark: scans at
 * finer, equal and coarser steps than the model's, both intensity conventions, negative counts,
 * a calibration drift, varying live times and calibration offsets.
 */
import { describe, expect, it } from 'vitest';
import { Preprocessor as PreviousPreprocessor } from '../../bench/legacy/preprocessV2/preprocess';
import { parseModelCard } from '../../src/model/card';
import { Preprocessor } from '../../src/model/preprocess';
import type { DepthProfile } from '../../src/profile';
import { tinyCardJson } from './helpers';

const card = parseModelCard(tinyCardJson());

function profile(nSteps: number, stepUm: number, seed: number): DepthProfile {
  const nc = 4096;
  const counts = new Float64Array(nSteps * nc);
  let s = seed >>> 0;
  for (let i = 0; i < counts.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const k = i % nc;
    const j = Math.floor(i / nc);
    const x = 20 + j * stepUm;
    const depth = x < 50 ? 0.02 : Math.exp(-0.01 * (x - 50));
    // The second peak moves in the second half of the scan (a drift of `seed` channels).
    const shift = j > nSteps / 2 ? seed : 0;
    const peak =
      Math.exp(-(((k - 640) / 8) ** 2)) * 500 + Math.exp(-(((k - 805 - shift) / 9) ** 2)) * 300;
    const negative = seed === 3 && k % 500 === 7 ? 2 : 0;
    counts[i] = Math.floor(((s >>> 8) / 2 ** 24) * 3 + peak * depth) - negative;
  }
  return {
    counts,
    nSteps,
    nChannels: nc,
    depthsUm: Float64Array.from({ length: nSteps }, (_, j) => 20 + j * stepUm),
    calibration: { offsetKeV: 0.005 * seed, gainKeVPerChannel: 0.01, nChannels: nc },
    liveTimesS: Float64Array.from({ length: nSteps }, (_, j) => 10 + (j % 3)),
    source: `seed-${seed}`,
  };
}

describe('fused preprocessing', () => {
  it('writes the previous preprocessing’s input and report bit for bit', () => {
    const current = new Preprocessor(card);
    const previous = new PreviousPreprocessor(card);
    let compared = 0;
    for (const [nSteps, stepUm] of [
      [45, 4.5],
      [110, 2],
      [40, 5],
      [35, 8],
      [70, 3.3],
    ]) {
      for (const seed of [1, 3]) {
        const p = profile(nSteps, stepUm, seed);
        for (const intensityConvention of ['per-step', 'per-position'] as const) {
          const a = previous.prepare(p, { intensityConvention });
          const b = current.prepare(p, { intensityConvention });
          let differ = 0;
          for (let i = 0; i < a.input.length; i++) if (!Object.is(a.input[i], b.input[i])) differ++;
          expect(differ).toBe(0);
          expect(b.scan).toEqual(a.scan);
          // The current window also records its measured steps (short scans of depth-mask models).
          const { measuredSteps, ...window } = b.window;
          expect(window).toEqual(a.window);
          expect(measuredSteps).toBe(card.input.grid.nDepth);
          expect(b.warnings).toEqual(a.warnings);
          compared++;
        }
      }
    }
    expect(compared).toBe(20);
  });
});
