/** Shared helpers of the model tests: the tiny fixture model, parity vectors, synthetic profiles. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DepthProfile } from '../../src/profile';

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/model/', import.meta.url));
export const TINY_CARD_PATH = `${FIXTURE_DIR}cmxrf-tiny.json`;
export const TINY_ONNX_PATH = `${FIXTURE_DIR}cmxrf-tiny.onnx`;
export const SCAN_CSV_PATH = `${FIXTURE_DIR}scan-10um.csv`;

export function tinyCardJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(TINY_CARD_PATH, 'utf8')) as Record<string, unknown>;
}

export function tinyModelBytes(): Uint8Array {
  return new Uint8Array(readFileSync(TINY_ONNX_PATH));
}

interface TensorJson {
  shape: number[];
  dtype: string;
  data: number[];
}

export function parityVectors(dir = FIXTURE_DIR): {
  input: TensorJson;
  /** The `depth_mask` input, for models that declare one. */
  mask?: TensorJson;
  outputs: Record<string, TensorJson>;
  atol: number;
} {
  const i = JSON.parse(readFileSync(`${dir}parity/input.json`, 'utf8')) as {
    inputs: { profile: TensorJson; depth_mask?: TensorJson };
  };
  const o = JSON.parse(readFileSync(`${dir}parity/output.json`, 'utf8')) as {
    outputs: Record<string, TensorJson>;
    atol: number;
  };
  return { input: i.inputs.profile, mask: i.inputs.depth_mask, outputs: o.outputs, atol: o.atol };
}

/**
 * A profile on the model grid whose preprocessing gives back `normalized` (the inverse of
 * x = ln(1 + rate·ref)/scale with counts = rate · liveTimeS).
 */
export function profileFromNormalized(
  normalized: ArrayLike<number>,
  offset: number,
  nDepth = 40,
  nChannels = 1024,
  liveTimeS = 10,
): DepthProfile {
  const counts = new Float64Array(nDepth * nChannels);
  for (let i = 0; i < counts.length; i++)
    counts[i] = (Math.expm1(normalized[offset + i] * 4) / 10) * liveTimeS;
  return {
    counts,
    nSteps: nDepth,
    nChannels,
    depthsUm: Float64Array.from({ length: nDepth }, (_, n) => n * 5),
    calibration: { offsetKeV: 1.012, gainKeVPerChannel: 0.024, nChannels },
    liveTimesS: new Float64Array(nDepth).fill(liveTimeS),
    source: `parity #${offset / (nDepth * nChannels)}`,
  };
}

/**
 * A profile with a linear calibration and given depths, counts from `f(step, channel)`. The
 * default counts vary over channels and rise tenfold after the 8th position (a surface edge, as
 * quantification requires).
 */
export function syntheticProfile(o: {
  depthsUm: number[];
  offsetKeV: number;
  gainKeVPerChannel: number;
  nChannels: number;
  liveTimeS?: number | number[];
  counts?: (step: number, channel: number) => number;
}): DepthProfile {
  const nSteps = o.depthsUm.length;
  const counts = new Float64Array(nSteps * o.nChannels);
  const f = o.counts ?? ((j, k) => (1 + ((j * 7 + k * 13) % 17)) * (j < 8 ? 0.1 : 1));
  for (let j = 0; j < nSteps; j++)
    for (let k = 0; k < o.nChannels; k++) counts[j * o.nChannels + k] = f(j, k);
  const lt = o.liveTimeS ?? 10;
  return {
    counts,
    nSteps,
    nChannels: o.nChannels,
    depthsUm: Float64Array.from(o.depthsUm),
    calibration: {
      offsetKeV: o.offsetKeV,
      gainKeVPerChannel: o.gainKeVPerChannel,
      nChannels: o.nChannels,
    },
    liveTimesS: Float64Array.from(Array.isArray(lt) ? lt : new Array(nSteps).fill(lt)),
  };
}

export const range = (n: number, step = 1, start = 0): number[] =>
  Array.from({ length: n }, (_, i) => start + i * step);

/**
 * A thick sample behind air: `nSteps` positions of `stepUm` from `firstUm`, the surface at
 * `surfaceUm`, two peaks on a flat background, seeded counts (integers, Poisson-like scatter).
 */
export function thickSampleProfile(
  seed: number,
  nSteps: number,
  stepUm: number,
  firstUm: number,
  surfaceUm: number,
): DepthProfile {
  const nc = 4096;
  const counts = new Float64Array(nSteps * nc);
  let s = seed >>> 0;
  for (let j = 0; j < nSteps; j++) {
    const x = firstUm + j * stepUm;
    const inside = x < surfaceUm ? 0.02 : Math.exp(-0.015 * (x - surfaceUm));
    for (let k = 0; k < nc; k++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const peak =
        Math.exp(-(((k - 640) / 8) ** 2)) * 500 + Math.exp(-(((k - 805) / 9) ** 2)) * 300;
      counts[j * nc + k] = Math.floor(((s >>> 8) / 2 ** 24) * 3 + (peak + 2) * inside);
    }
  }
  return {
    counts,
    nSteps,
    nChannels: nc,
    depthsUm: Float64Array.from({ length: nSteps }, (_, j) => firstUm + j * stepUm),
    calibration: { offsetKeV: 0.005, gainKeVPerChannel: 0.01, nChannels: nc },
    liveTimesS: new Float64Array(nSteps).fill(10),
    source: `synthetic-${seed}`,
  };
}
