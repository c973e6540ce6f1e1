import { describe, expect, it } from 'vitest';
import { modelId, parseModelCard } from '../../src/model/card';
import { ModelCardError } from '../../src/model/errors';
import { PREDICTED_ELEMENTS } from '../../src/predictedElements';
import { range, syntheticProfile, tinyCardJson, tinyModelBytes } from './helpers';

// The card as loosely typed JSON, for mutation in tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseCard = Record<string, any>;
const mutate = (f: (c: LooseCard) => void): Record<string, unknown> => {
  const c = tinyCardJson() as LooseCard;
  f(c);
  return c;
};
const problemsOf = (json: unknown): string[] => {
  try {
    parseModelCard(json);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelCardError);
    expect((e as ModelCardError).code).toBe('MODEL_ERROR');
    return (e as ModelCardError).problems.map((p) => p.field);
  }
  return [];
};

describe('parseModelCard', () => {
  it('accepts the exported card and derives the model id', () => {
    const card = parseModelCard(tinyCardJson());
    expect(card.input.grid).toEqual({
      nDepth: 40,
      depthStepUm: 5,
      nChannels: 1024,
      startKeV: 1,
      binWidthKeV: 0.024,
    });
    expect(card.elements).toEqual([...PREDICTED_ELEMENTS]);
    expect(modelId(card)).toMatch(/^cmxrf-tiny@[0-9a-f]{12}$/);
  });

  it("accepts the training data's simulator physics and rejects an invalid one", () => {
    const physics = { doubleScatter: 'directional', higherScatterOrders: true };
    expect(parseModelCard(mutate((c) => (c.simulator = physics))).simulator).toEqual(physics);
    expect(problemsOf(mutate((c) => (c.simulator = { ...physics, doubleScatter: 'x' })))).toEqual([
      'simulator',
    ]);
    expect(problemsOf(mutate((c) => (c.simulator = { doubleScatter: 'isotropic' })))).toEqual([
      'simulator',
    ]);
    expect(problemsOf(mutate((c) => (c.simulator = 'directional')))).toEqual(['simulator']);
  });

  it('lists every missing or invalid field with its value', () => {
    const json = mutate((c) => {
      delete c.onnx.sha256;
      c.input.grid.nDepth = 0;
      c.input.normalization.kind = 'sqrt';
      c.input.normalization.scale = 'four';
    });
    expect(problemsOf(json)).toEqual([
      'onnx.sha256',
      'input.grid.nDepth',
      'input.shape',
      'input.normalization.kind',
      'input.normalization.scale',
    ]);
    expect(() => parseModelCard(json)).toThrow(
      /Invalid model card cmxrf-tiny: onnx\.sha256: expected 64 lower-case hex digits, got nothing; input\.grid\.nDepth: expected a positive integer, got 0;.*kind: expected "log1p".*got "sqrt"/,
    );
  });

  it('checks outputs, the setup order and the element order', () => {
    expect(problemsOf(mutate((c) => c.outputs.splice(0, 1)))).toEqual(['outputs[presence_logit]']);
    expect(
      problemsOf(
        mutate(
          (c) =>
            (c.outputs[4].order = ['tB', 'tA', 'tM', 'sigmaMaxUm', 'sigmaExpPerKeV', 'sigmaOffUm']),
        ),
      ),
    ).toEqual(['outputs[setup].order']);
    expect(problemsOf(mutate((c) => (c.outputs[1].shape = ['batch', 52])))).toEqual([
      'outputs[log10_mass_fraction].shape',
    ]);
    expect(
      problemsOf(mutate((c) => ([c.elements[0], c.elements[1]] = [c.elements[1], c.elements[0]]))),
    ).toEqual(['elements[0]']);
    expect(problemsOf(mutate((c) => c.elements.pop()))).toEqual(['elements']);
  });

  it('rejects a non-object', () => {
    expect(problemsOf(null)).toEqual(['(root)']);
    expect(problemsOf([1])).toEqual(['(root)']);
  });
});

describe('presenceProbabilityThreshold', () => {
  it('is optional, must lie in (0, 1), and becomes the quantifier default', async () => {
    const { parseModelCard } = await import('../../src/model/index.js');
    const { readFileSync } = await import('node:fs');
    const card = JSON.parse(
      readFileSync(new URL('../fixtures/model/cmxrf-tiny.json', import.meta.url), 'utf8'),
    );
    expect(
      parseModelCard({ ...card, presenceProbabilityThreshold: 0.7 }).presenceProbabilityThreshold,
    ).toBe(0.7);
    expect(() => parseModelCard({ ...card, presenceProbabilityThreshold: 1.5 })).toThrow(
      /presenceProbabilityThreshold/,
    );
    const ort = await import('onnxruntime-node');
    const { createQuantifier } = await import('../../src/model/index.js');
    const q = await createQuantifier({
      runtime: ort,
      model: tinyModelBytes(),
      card: { ...card, presenceProbabilityThreshold: 0.8 },
    });
    try {
      const r = await q.quantify(
        syntheticProfile({
          depthsUm: range(40, 5),
          offsetKeV: 1.012,
          gainKeVPerChannel: 0.024,
          nChannels: 1024,
        }),
      );
      expect(r.threshold).toBe(0.8);
      for (const e of r.elements) expect(e.detected).toBe(e.presenceProbability >= 0.8);
    } finally {
      await q.release();
    }
  });
});
