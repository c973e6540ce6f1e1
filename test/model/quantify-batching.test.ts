/**
 * `quantify` gives the same results however its profiles are batched, on repeated and
 * concurrent calls (which share the quantifier's input buffer), and with one intra-op thread as
 * with the default threads; and each result is the network's answer on the preprocessed
 * profile, decoded (no other arithmetic on the way). With one intra-op thread onnxruntime's
 * results do not depend on the batch size; with several they may differ in the last float32
 * digits between batch sizes, so the batching checks use one thread.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDepthProfileAuto } from '../../src/io/index.js';
import { type Quantifier, loadQuantifier } from '../../src/model/index.js';
import type { OrtTensorLike } from '../../src/model/runtime';
import { sigmoid } from '../../src/model/result';
import { thickSampleProfile } from './helpers';
import type { DepthProfile } from '../../src/profile';

const CARD = fileURLToPath(new URL('../../models/cmxrf-default.json', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../examples/data/glass.csv', import.meta.url));

const profiles: DepthProfile[] = [
  thickSampleProfile(1, 45, 4.5, 20, 60),
  thickSampleProfile(2, 40, 5, 0, 45),
  thickSampleProfile(3, 90, 2.5, 10, 70),
  thickSampleProfile(4, 60, 5, 0, 140),
  thickSampleProfile(5, 30, 8, 0, 50),
  parseDepthProfileAuto(readFileSync(EXAMPLE), { fileName: EXAMPLE }),
  thickSampleProfile(6, 45, 4.5, 20, 55),
];

describe('quantify with the default model: batching, buffer reuse, session options', () => {
  let q: Quantifier;
  let oneThread: Quantifier;
  beforeAll(async () => {
    q = await loadQuantifier(CARD);
    oneThread = await loadQuantifier(CARD, {
      sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 },
    });
  });
  afterAll(async () => {
    await q?.release();
    await oneThread?.release();
  });

  it('each result is the network on the preprocessed profile, decoded', async () => {
    const results = await oneThread.quantify(profiles);
    const { nDepth } = q.card.input.grid;
    // Profiles placed by one pass (a second pass re-centres the window on the network's own
    // surface, so its input is not `preprocess(p)`); most of them are.
    const onePass = profiles.filter((_, i) => results[i].window.passes === 1);
    expect(onePass.length).toBeGreaterThanOrEqual(profiles.length - 2);
    for (const [i, p] of profiles.entries()) {
      const r = results[i];
      if (r.window.passes !== 1) continue;
      const mask = new Float32Array(nDepth).fill(0);
      mask.fill(1, 0, r.window.measuredSteps ?? nDepth);
      const raw = await oneThread.runNormalized(q.preprocess(p), 1, mask);
      expect(r.densityGPerCm3).toBe(raw.densityGPerCm3[0]);
      expect(r.surfaceUm).toBe(r.window.startUm + raw.surfaceUm[0]);
      expect(r.setup.tA).toBe(raw.setup[0]);
      expect(r.setup.sigmaOffUm).toBe(raw.setup[5]);
      r.elements.forEach((e, k) => {
        expect(e.presenceProbability).toBe(sigmoid(raw.presenceLogit[k]));
        expect(e.massFractionRaw).toBe(10 ** raw.log10MassFraction[k]);
      });
    }
    // The profiles differ, so the check above compares different numbers.
    expect(new Set(results.map((r) => r.densityGPerCm3)).size).toBe(profiles.length);
  });

  it('gives identical results for any batch size, on repeated and on concurrent calls', async () => {
    const t = oneThread;
    const all = await t.quantify(profiles, { batchSize: 64 });
    const again = await t.quantify(profiles, { batchSize: 64 });
    expect(again).toEqual(all);
    const byThree = await t.quantify(profiles, { batchSize: 3 });
    expect(byThree).toEqual(all);
    const one = await Promise.all(profiles.map((p) => t.quantify(p)));
    expect(one).toEqual(all);
    // Two calls in flight at once: the second cannot take the first's buffer.
    const [a, b] = await Promise.all([
      t.quantify(profiles, { batchSize: 4 }),
      t.quantify([...profiles].reverse(), { batchSize: 5 }),
    ]);
    expect(a).toEqual(all);
    expect(b).toEqual([...all].reverse());
  });

  it('a batch run in chunks (network on one chunk while the next is preprocessed) gives the per-profile results, a rejected profile in between', async () => {
    const t = oneThread;
    const many: DepthProfile[] = Array.from({ length: 40 }, (_, i) =>
      i % 7 === 5 ? profiles[5] : thickSampleProfile(100 + i, 45, 4.5, 20, 50 + (i % 9) * 2),
    );
    // Not representable (no surface: the count rate is flat): rejected, its slot reused.
    many[17] = thickSampleProfile(999, 45, 4.5, 20, -100);
    const settled = await t.quantifySettled(many, { batchSize: 64 });
    expect(settled[17].status).toBe('rejected');
    expect(settled.filter((x) => x.status === 'fulfilled').length).toBe(39);
    for (let i = 0; i < many.length; i++) {
      if (i === 17) continue;
      const alone = await t.quantify(many[i]);
      const s = settled[i];
      expect(s.status, `profile ${i}`).toBe('fulfilled');
      if (s.status === 'fulfilled') expect(s.value, `profile ${i}`).toEqual(alone);
    }
  });

  it('a runtime that takes (detaches) the input buffer of each run gets the same results', async () => {
    const ort = await import('onnxruntime-node');
    // Each run copies its inputs and detaches the buffers it was given, as a runtime that
    // transfers them to a worker would.
    const detaching = {
      Tensor: ort.Tensor,
      InferenceSession: {
        create: async (bytes: Uint8Array, opts?: Record<string, unknown>) => {
          const session = await ort.InferenceSession.create(bytes, opts);
          return {
            inputNames: session.inputNames,
            outputNames: session.outputNames,
            run: async (feeds: Record<string, OrtTensorLike>) => {
              const copies: Record<string, OrtTensorLike> = {};
              for (const [k, t] of Object.entries(feeds)) {
                const data = t.data as Float32Array;
                copies[k] = new ort.Tensor('float32', Float32Array.from(data), t.dims);
                if (data.buffer.byteLength > 0)
                  structuredClone(data.buffer, { transfer: [data.buffer] });
              }
              return session.run(copies as never);
            },
            release: () => session.release(),
          };
        },
      },
    };
    const d = await loadQuantifier(CARD, {
      runtime: detaching as never,
      sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 },
    });
    try {
      const many = Array.from({ length: 40 }, (_, i) =>
        thickSampleProfile(200 + i, 45, 4.5, 20, 45 + (i % 11) * 3),
      );
      const expected = await oneThread.quantify(many, { batchSize: 64 });
      expect(await d.quantify(many, { batchSize: 64 })).toEqual(expected);
      // Again (the quantifier's kept buffers were taken) and in batches of 24.
      expect(await d.quantify(many, { batchSize: 24 })).toEqual(expected);
    } finally {
      await d.release();
    }
  });

  it('one intra-op thread gives the same results as the default threads (float32 rounding)', async () => {
    // The same up to float32 rounding: several threads may sum in another order.
    const a = await oneThread.quantify(profiles);
    const b = await q.quantify(profiles);
    let worst = 0;
    const walk = (x: unknown, y: unknown, path: string): void => {
      if (typeof x === 'number' && typeof y === 'number') {
        if (x !== y) worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), 1e-30));
        return;
      }
      if (x && typeof x === 'object') {
        expect(Object.keys(y as object), path).toEqual(Object.keys(x));
        for (const k of Object.keys(x))
          walk(
            (x as Record<string, unknown>)[k],
            (y as Record<string, unknown>)[k],
            `${path}.${k}`,
          );
        return;
      }
      expect(y, path).toEqual(x);
    };
    walk(a, b, 'results');
    expect(worst).toBeLessThan(1e-5);
  });

  it('after release, a call fails with a runtime error, not on a stale buffer', async () => {
    const r = await loadQuantifier(CARD);
    await r.quantify(profiles.slice(0, 2));
    await r.release();
    await expect(r.quantify(profiles[0])).rejects.toThrow();
  });
});
