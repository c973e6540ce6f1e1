import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ortNode from 'onnxruntime-node';
import type * as OrtCommon from 'onnxruntime-common';
import {
  createQuantifier,
  type Quantifier,
  type QuantifyProgress,
} from '../../src/model/quantifier';
import {
  ModelIntegrityError,
  ModelRuntimeError,
  ProfileNotRepresentableError,
} from '../../src/model/errors';
import type { OrtLike } from '../../src/model/runtime';
import { PREDICTED_ELEMENTS } from '../../src/predictedElements';
import {
  parityVectors,
  profileFromNormalized,
  range,
  syntheticProfile,
  tinyCardJson,
  tinyModelBytes,
} from './helpers';

// Compile-time: the runtime packages satisfy the structural contract.
const _node: OrtLike = ortNode;
const _common: OrtLike = {} as typeof OrtCommon;
void _node;
void _common;

const OUTPUTS = [
  'presence_logit',
  'log10_mass_fraction',
  'density_g_per_cm3',
  'surface_um',
  'setup',
] as const;
const RAW_KEYS = {
  presence_logit: 'presenceLogit',
  log10_mass_fraction: 'log10MassFraction',
  density_g_per_cm3: 'densityGPerCm3',
  surface_um: 'surfaceUm',
  setup: 'setup',
} as const;
const parity = parityVectors();
const nParity = parity.input.shape[0];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function loadWeb(): Promise<OrtLike> {
  const web = (await import('onnxruntime-web')) as unknown as OrtLike & {
    env: { wasm: { numThreads: number } };
  };
  web.env.wasm.numThreads = 1; // no worker threads in the test process
  return web;
}

const RUNTIMES: [string, () => Promise<OrtLike>][] = [
  ['onnxruntime-node (CPU)', async () => ortNode],
  ['onnxruntime-web (wasm, in Node)', loadWeb],
];

describe.each(RUNTIMES)('parity with PyTorch through %s', (_name, load) => {
  let q: Quantifier;
  beforeAll(async () => {
    q = await createQuantifier({
      runtime: await load(),
      model: tinyModelBytes(),
      card: tinyCardJson(),
    });
  });
  afterAll(() => q.release());

  it(`normalised parity inputs give the PyTorch outputs within atol ${parity.atol}`, async () => {
    const raw = await q.runNormalized(Float32Array.from(parity.input.data), nParity);
    for (const name of OUTPUTS) {
      expect(maxAbsDiff(raw[RAW_KEYS[name]], parity.outputs[name].data), name).toBeLessThanOrEqual(
        parity.atol,
      );
    }
  });

  it('the same inputs as counts, through preprocessing and quantify, give the PyTorch outputs', async () => {
    const per = 40 * 1024;
    const profiles = range(nParity).map((b) => profileFromNormalized(parity.input.data, b * per));
    expect(
      maxAbsDiff(q.preprocess(profiles[0]), parity.input.data.slice(0, per)),
    ).toBeLessThanOrEqual(1e-6);
    const results = await q.quantify(profiles, { batchSize: 1 });
    const o = parity.outputs;
    results.forEach((r, b) => {
      const logits = o.presence_logit.data.slice(b * 53, b * 53 + 53);
      const log10w = o.log10_mass_fraction.data.slice(b * 53, b * 53 + 53);
      expect(
        maxAbsDiff(
          r.elements.map((e) => Math.log(e.presenceProbability / (1 - e.presenceProbability))),
          logits,
        ),
      ).toBeLessThanOrEqual(parity.atol);
      expect(
        maxAbsDiff(
          r.elements.map((e) => Math.log10(e.massFractionRaw)),
          log10w,
        ),
      ).toBeLessThanOrEqual(parity.atol);
      expect(Math.abs(r.densityGPerCm3 - o.density_g_per_cm3.data[b])).toBeLessThanOrEqual(
        parity.atol,
      );
      expect(Math.abs(r.surfaceUm - o.surface_um.data[b])).toBeLessThanOrEqual(parity.atol);
      expect(
        maxAbsDiff(Object.values(r.setup), o.setup.data.slice(b * 6, b * 6 + 6)),
      ).toBeLessThanOrEqual(parity.atol);
    });
  });
});

describe('createQuantifier', () => {
  let q: Quantifier;
  beforeAll(async () => {
    q = await createQuantifier({
      runtime: ortNode,
      model: tinyModelBytes(),
      card: tinyCardJson(),
      batchSize: 3,
    });
  });
  afterAll(() => q.release());

  const measured = (i: number) => ({
    ...syntheticProfile({
      depthsUm: range(30, 7, 100 + i),
      offsetKeV: 0.005,
      gainKeVPerChannel: 0.01,
      nChannels: 2600,
      counts: (j, k) => (((j + i) * k) % 23) * (j < 6 ? 0.1 : 1),
    }),
    source: `p${i}`,
  });

  it('returns typed results in input order with gated and raw mass fractions', async () => {
    const profiles = range(7).map(measured);
    const progress: QuantifyProgress[] = [];
    const results = await q.quantify(profiles, {
      threshold: 0.5,
      onProgress: (p) => progress.push(p),
    });
    expect(results.map((r) => r.source)).toEqual(profiles.map((p) => p.source));
    expect(progress).toEqual([
      { status: 'batch', profilesDone: 3, profilesTotal: 7 },
      { status: 'batch', profilesDone: 6, profilesTotal: 7 },
      { status: 'batch', profilesDone: 7, profilesTotal: 7 },
      { status: 'done', profilesTotal: 7 },
    ]);
    const r = results[4];
    expect(r.modelId).toBe(q.modelId);
    expect(r.elements.map((e) => e.element)).toEqual([...PREDICTED_ELEMENTS]);
    for (const e of r.elements) {
      expect(e.presenceProbability).toBeGreaterThan(0);
      expect(e.presenceProbability).toBeLessThan(1);
      expect(e.detected).toBe(e.presenceProbability >= 0.5);
      expect(e.massFraction).toBe(e.detected ? e.massFractionRaw : 0);
      expect(e.massFractionRaw).toBeGreaterThan(0);
    }
    expect(Object.keys(r.setup)).toEqual([
      'tA',
      'tB',
      'tM',
      'sigmaMaxUm',
      'sigmaExpPerKeV',
      'sigmaOffUm',
    ]);
    expect(Number.isFinite(r.densityGPerCm3)).toBe(true);
    // Batching does not change results; one profile in gives one result out.
    const single = await q.quantify(profiles[4]);
    expect(single.densityGPerCm3).toBeCloseTo(r.densityGPerCm3, 5);
    // surfaceUm is on the profile's scan axis: shifting the scan positions shifts it.
    const shifted = await q.quantify({
      ...profiles[4],
      depthsUm: profiles[4].depthsUm.map((d) => d + 1000),
    });
    expect(shifted.surfaceUm - single.surfaceUm).toBeCloseTo(1000, 3);
  });

  it('threshold 0 detects everything, threshold 1 (almost) nothing', async () => {
    const p = measured(0);
    expect((await q.quantify(p, { threshold: 0 })).elements.every((e) => e.detected)).toBe(true);
    expect(
      (await q.quantify(p, { threshold: 1 })).elements.every((e) => e.massFraction === 0),
    ).toBe(true);
    await expect(q.quantify(p, { threshold: 1.5 })).rejects.toThrow(
      /threshold must be a number in \[0, 1\]/,
    );
  });

  it('names the profile that cannot be represented', async () => {
    const bad = { ...measured(2), depthsUm: Float64Array.from(range(30, 5)), nSteps: 30 };
    const err = await q.quantify([measured(0), bad]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProfileNotRepresentableError);
    expect((err as ProfileNotRepresentableError).profileIndex).toBe(1);
    expect((err as Error).message).toMatch(/^p2: .*short-scan.*30 positions over 145 µm/);
  });

  it('throws ModelIntegrityError when the bytes do not match the card SHA-256', async () => {
    const bytes = tinyModelBytes();
    bytes[bytes.length - 1] ^= 1;
    const err = await createQuantifier({
      runtime: ortNode,
      model: bytes,
      card: tinyCardJson(),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelIntegrityError);
    expect((err as ModelIntegrityError).expectedSha256).toBe(
      (tinyCardJson().onnx as { sha256: string }).sha256,
    );
    expect((err as Error).message).toMatch(/cmxrf-tiny\.onnx: SHA-256 mismatch/);
  });

  it('wraps runtime failures in ModelRuntimeError', async () => {
    const bytes = new TextEncoder().encode('not an onnx model');
    const err = await createQuantifier({
      runtime: ortNode,
      model: bytes,
      card: tinyCardJson(),
      verifySha256: false,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelRuntimeError);
    expect((err as Error).message).toMatch(/could not load the model/);
  });

  it('checks graph names against the card', async () => {
    const card = tinyCardJson() as { input: { name: string } };
    card.input.name = 'spectra';
    await expect(
      createQuantifier({ runtime: ortNode, model: tinyModelBytes(), card }),
    ).rejects.toThrow(/lacks input "spectra"/);
  });
});
