/**
 * `loadQuantifier(path, { networkWorker: true })`: the network in a worker thread gives the
 * results of onnxruntime-node on the calling thread (same intra-op threads), batched, chunked,
 * concurrent and with rejected profiles; a run is posted before the caller yields (so the
 * preprocessing of the next chunk overlaps it); failures and release reject; an idle worker does
 * not keep the process alive.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors';
import { ModelRuntimeError, type Quantifier, loadQuantifier } from '../../src/model/index.js';
import { workerOnnxRuntime } from '../../src/model/workerRuntime';
import type { DepthProfile } from '../../src/profile';

const CARD = fileURLToPath(new URL('../../models/cmxrf-default.json', import.meta.url));
const ONNX = fileURLToPath(new URL('../../models/cmxrf-default.onnx', import.meta.url));

/** A thick sample behind air (surface at `surfaceUm`), two peaks, seeded counts. */
function profile(seed: number, surfaceUm: number, nSteps = 45, stepUm = 4.5): DepthProfile {
  const nc = 4096;
  const counts = new Float64Array(nSteps * nc);
  let s = seed >>> 0;
  for (let j = 0; j < nSteps; j++) {
    const x = 20 + j * stepUm;
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
    depthsUm: Float64Array.from({ length: nSteps }, (_, j) => 20 + j * stepUm),
    calibration: { offsetKeV: 0.005, gainKeVPerChannel: 0.01, nChannels: nc },
    liveTimesS: new Float64Array(nSteps).fill(10),
    source: `synthetic-${seed}`,
  };
}

describe('networkWorker: onnxruntime-node in a worker thread', () => {
  let here: Quantifier;
  let worker: Quantifier;
  const many = Array.from({ length: 40 }, (_, i) => profile(300 + i, 45 + (i % 11) * 3));
  // Flat count rate: no surface, rejected in the middle of the first chunk.
  many[9] = profile(999, -100);

  beforeAll(async () => {
    here = await loadQuantifier(CARD, { sessionOptions: { intraOpNumThreads: 1 } });
    worker = await loadQuantifier(CARD, {
      networkWorker: true,
      sessionOptions: { intraOpNumThreads: 1 },
    });
  });
  afterAll(async () => {
    await here?.release();
    await worker?.release();
  });

  it('gives the results of the calling thread: chunked batch, small batches, a rejected profile', async () => {
    const expected = await here.quantifySettled(many, { batchSize: 64 });
    expect(expected[9].status).toBe('rejected');
    const got = await worker.quantifySettled(many, { batchSize: 64 });
    expect(got).toEqual(expected);
    expect(got[9].status === 'rejected' && got[9].reason.message).toMatch(/no-surface/);
    expect(await worker.quantifySettled(many, { batchSize: 7 })).toEqual(expected);
    expect(await worker.quantify(many[3])).toEqual(
      expected[3].status === 'fulfilled' ? expected[3].value : undefined,
    );
  });

  it('concurrent calls share the worker and each gets its own results', async () => {
    const good = many.filter((_, i) => i !== 9);
    const expected = await here.quantify(good);
    const reversed = [...good].reverse();
    const [a, b, c] = await Promise.all([
      worker.quantify(good),
      worker.quantify(reversed, { batchSize: 5 }),
      worker.quantify(good.slice(0, 3)),
    ]);
    expect(a).toEqual(expected);
    expect(b).toEqual([...expected].reverse());
    expect(c).toEqual(expected.slice(0, 3));
  });

  it('posts a run before the caller yields: the network works while the caller is busy', async () => {
    const session = await workerOnnxRuntime().InferenceSession.create(
      new Uint8Array(readFileSync(ONNX)),
      { intraOpNumThreads: 1 },
    );
    const ort = workerOnnxRuntime();
    const batch = 64;
    const feeds = {
      profile: new ort.Tensor('float32', new Float32Array(batch * 40 * 1024).fill(0.2), [
        batch,
        40,
        1024,
      ]),
      depth_mask: new ort.Tensor('float32', new Float32Array(batch * 40).fill(1), [batch, 40]),
    };
    try {
      await session.run(feeds);
      let t = performance.now();
      await session.run(feeds);
      const alone = performance.now() - t;
      // Run, then keep this thread from yielding for 10 times as long: a run posted at once
      // is done meanwhile and resolves right after; one posted only when this thread yields
      // would take its whole run time after that.
      const pending = session.run(feeds);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(500, 10 * alone));
      t = performance.now();
      const out = await pending;
      const after = performance.now() - t;
      expect(out.presence_logit.dims).toEqual([batch, 53]);
      expect(after).toBeLessThan(0.5 * alone);
    } finally {
      await session.release?.();
    }
  });

  it('a run after release, and the runs pending at release, reject', async () => {
    const session = await workerOnnxRuntime().InferenceSession.create(
      new Uint8Array(readFileSync(ONNX)),
    );
    const ort = workerOnnxRuntime();
    const feeds = {
      profile: new ort.Tensor('float32', new Float32Array(40 * 1024), [1, 40, 1024]),
      depth_mask: new ort.Tensor('float32', new Float32Array(40).fill(1), [1, 40]),
    };
    // The first is posted, the second waits for the shared input buffer.
    const first = expect(session.run(feeds)).rejects.toThrow(/released/);
    const second = expect(session.run(feeds)).rejects.toThrow(/released/);
    await session.release?.();
    await first;
    await second;
    await expect(session.run(feeds)).rejects.toThrow(/released/);
    const q = await loadQuantifier(CARD, { networkWorker: true });
    await q.release();
    await expect(q.quantify(many[0])).rejects.toBeInstanceOf(ModelRuntimeError);
  });

  it('a failing run rejects and the next run still works', async () => {
    const ort = workerOnnxRuntime();
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(ONNX)));
    try {
      // Wrong shape: onnxruntime refuses it inside the worker.
      const bad = {
        profile: new ort.Tensor('float32', new Float32Array(10), [1, 10]),
        depth_mask: new ort.Tensor('float32', new Float32Array(40).fill(1), [1, 40]),
      };
      const good = {
        profile: new ort.Tensor('float32', new Float32Array(40 * 1024), [1, 40, 1024]),
        depth_mask: new ort.Tensor('float32', new Float32Array(40).fill(1), [1, 40]),
      };
      const [a, b] = await Promise.allSettled([session.run(bad), session.run(good)]);
      expect(a.status).toBe('rejected');
      expect(b.status).toBe('fulfilled');
    } finally {
      await session.release?.();
    }
    await expect(ort.InferenceSession.create(new Uint8Array([1, 2, 3]))).rejects.toThrow();
  });

  it('refuses invalid options', async () => {
    await expect(loadQuantifier(CARD, { networkWorker: 'yes' as never })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    const ort = await import('onnxruntime-node');
    await expect(
      loadQuantifier(CARD, { networkWorker: true, runtime: ort as never }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('an idle worker does not keep the process alive', () => {
    const script = `
      import { loadQuantifier } from ${JSON.stringify(new URL('../../src/model/index.ts', import.meta.url).href)};
      const q = await loadQuantifier(${JSON.stringify(CARD)}, { networkWorker: true });
      const g = q.card.input.grid;
      const out = await q.runNormalized(new Float32Array(g.nDepth * g.nChannels), 1);
      console.log('outputs', out.presenceLogit.length);
      // no release()
    `;
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 60_000,
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
      },
    );
    expect(r.error).toBeUndefined();
    expect(r.stdout).toContain('outputs 53');
    expect(r.status).toBe(0);
  });
});
