/**
 * The shipped default model (models/): its ONNX file matches the card's SHA-256, and the parity
 * vectors exported from PyTorch give the same outputs through createQuantifier with
 * onnxruntime-node and onnxruntime-web (wasm), within the card's tolerance.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createQuantifier, type OrtLike } from '../../src/model/index.js';
import { parityVectors } from './helpers';

const MODELS = fileURLToPath(new URL('../../models/', import.meta.url));
const card = JSON.parse(readFileSync(`${MODELS}cmxrf-default.json`, 'utf8'));
const model = new Uint8Array(readFileSync(`${MODELS}cmxrf-default.onnx`));
const parity = parityVectors(MODELS);
const KEYS = {
  presence_logit: 'presenceLogit',
  log10_mass_fraction: 'log10MassFraction',
  density_g_per_cm3: 'densityGPerCm3',
  surface_um: 'surfaceUm',
  setup: 'setup',
} as const;

async function loadWeb(): Promise<OrtLike> {
  const web = (await import('onnxruntime-web')) as unknown as OrtLike & {
    env: { wasm: { numThreads: number } };
  };
  web.env.wasm.numThreads = 1;
  return web;
}

describe.each([
  ['onnxruntime-node', async () => ortNode as OrtLike],
  ['onnxruntime-web (wasm)', loadWeb],
] as const)('default model parity through %s', (_name, load) => {
  it(`matches PyTorch within atol ${parity.atol} (SHA-256 verified at load)`, async () => {
    const q = await createQuantifier({ runtime: await load(), model, card });
    try {
      const n = parity.input.shape[0];
      // Depth-mask models: the last parity profile is a short scan (mask zeros after step 15).
      const mask = parity.mask ? Float32Array.from(parity.mask.data) : undefined;
      if (card.input.depthMask) expect(mask?.includes(0)).toBe(true);
      const raw = await q.runNormalized(Float32Array.from(parity.input.data), n, mask);
      for (const [name, key] of Object.entries(KEYS)) {
        const a = raw[key];
        const b = parity.outputs[name].data;
        expect(a.length).toBe(b.length);
        let m = 0;
        for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        expect(m, name).toBeLessThanOrEqual(parity.atol);
      }
    } finally {
      await q.release();
    }
  });
});
