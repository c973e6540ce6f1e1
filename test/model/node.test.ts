import { existsSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelIntegrityError, ModelNotAvailableError } from '../../src/model/errors';
import {
  defaultModelCardPath,
  loadDefaultQuantifier,
  loadQuantifier,
  quantify,
} from '../../src/model/node';
import { range, syntheticProfile, TINY_CARD_PATH, TINY_ONNX_PATH } from './helpers';

const profile = syntheticProfile({
  depthsUm: range(40, 5),
  offsetKeV: 1.012,
  gainKeVPerChannel: 0.024,
  nChannels: 1024,
});

describe('loadQuantifier (Node, onnxruntime-node)', () => {
  it('loads a model from its card or its .onnx path', async () => {
    for (const path of [TINY_CARD_PATH, TINY_ONNX_PATH]) {
      const q = await loadQuantifier(path, { threshold: 0.3 });
      expect(q.card.name).toBe('cmxrf-tiny');
      const r = await q.quantify(profile);
      expect(r.threshold).toBe(0.3);
      await q.release();
    }
  });

  it('throws ModelIntegrityError when the ONNX file does not match the card', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmxrf-model-'));
    copyFileSync(TINY_CARD_PATH, join(dir, 'cmxrf-tiny.json'));
    const bytes = readFileSync(TINY_ONNX_PATH);
    bytes[100] ^= 0xff;
    writeFileSync(join(dir, 'cmxrf-tiny.onnx'), bytes);
    const err = await loadQuantifier(join(dir, 'cmxrf-tiny.json')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelIntegrityError);
    expect((err as ModelIntegrityError).file).toBe(join(dir, 'cmxrf-tiny.onnx'));
  });

  it('throws ModelNotAvailableError naming a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmxrf-model-'));
    copyFileSync(TINY_CARD_PATH, join(dir, 'cmxrf-tiny.json'));
    await expect(loadQuantifier(join(dir, 'nope.json'))).rejects.toThrow(
      /nope\.json: the model card does not exist/,
    );
    const err = await loadQuantifier(join(dir, 'cmxrf-tiny.json')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelNotAvailableError);
    expect((err as Error).message).toMatch(/cmxrf-tiny\.onnx: the ONNX model does not exist/);
  });
});

describe('default model', () => {
  it('is looked for in the package models/ folder', async () => {
    expect(await defaultModelCardPath()).toMatch(/models[/\\]cmxrf-default\.json$/);
  });

  it('loads when shipped, or throws a ModelNotAvailableError that says it is not shipped', async () => {
    const shipped = existsSync(await defaultModelCardPath());
    if (shipped) {
      const q = await loadDefaultQuantifier();
      expect(q.card.name).toBe('cmxrf-default');
      expect((await quantify(profile)).elements).toHaveLength(53);
    } else {
      const err = await quantify(profile).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelNotAvailableError);
      expect((err as Error).message).toMatch(
        /default cmxrf model is not available.*ships no trained default model/,
      );
    }
  });
});
