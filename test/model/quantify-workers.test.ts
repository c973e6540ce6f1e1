/**
 * `loadQuantifier(path, { workers: n })`: batches quantified in worker threads give the results
 * of the calling thread (same intra-op threads), in order, with the typed errors of rejected
 * profiles (class, fields, index in the whole batch); progress, float32 counts, concurrent
 * calls, release and bad options; idle workers do not keep the process alive. And the error
 * transport itself.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CmxrfError, InvalidArgumentError, ParseError } from '../../src/errors';
import {
  ModelCardError,
  ModelRuntimeError,
  ProfileNotRepresentableError,
  type Quantifier,
  type QuantifyProgress,
  loadQuantifier,
} from '../../src/model/index.js';
import { withWorkers } from '../../src/model/pool';
import { deserializeError, serializeError } from '../../src/model/workerErrors';
import type { DepthProfile } from '../../src/profile';
import { thickSampleProfile } from './helpers';

const CARD = fileURLToPath(new URL('../../models/cmxrf-default.json', import.meta.url));

/** A thick sample behind air (surface at `surfaceUm`): 45 steps of 4.5 µm from 20 µm. */
const profile = (seed: number, surfaceUm: number): DepthProfile =>
  thickSampleProfile(seed, 45, 4.5, 20, surfaceUm);

describe('quantify with worker threads', () => {
  let here: Quantifier;
  let pool: Quantifier;
  const many = Array.from({ length: 40 }, (_, i) => profile(300 + i, 45 + (i % 11) * 3));
  // Flat count rate (no surface) and a step in mm read as µm: rejected, in different parts.
  many[9] = profile(999, -100);
  delete many[9].source;
  many[33] = { ...many[33], depthsUm: many[33].depthsUm.map((d) => d * 1000) };

  beforeAll(async () => {
    here = await loadQuantifier(CARD, { sessionOptions: { intraOpNumThreads: 1 } });
    pool = await loadQuantifier(CARD, { workers: 2, sessionOptions: { intraOpNumThreads: 1 } });
  });
  afterAll(async () => {
    await here?.release();
    await pool?.release();
  });

  it('gives the results and typed errors of the calling thread, in order', async () => {
    const expected = await here.quantifySettled(many, { batchSize: 64 });
    const got = await pool.quantifySettled(many, { batchSize: 64 });
    expect(got.map((g) => g.status)).toEqual(expected.map((e) => e.status));
    expect(isDeepStrictEqual(got, expected)).toBe(true);
    for (const i of [9, 33]) {
      const g = got[i];
      expect(g.status).toBe('rejected');
      if (g.status !== 'rejected') continue;
      expect(g.reason).toBeInstanceOf(ProfileNotRepresentableError);
      expect(g.reason).toBeInstanceOf(CmxrfError);
      expect((g.reason as ProfileNotRepresentableError).profileIndex).toBe(i);
    }
    // The unnamed profile is named by its index in the whole batch, not in its part.
    expect(got[9].status === 'rejected' && got[9].reason.message).toMatch(/^profile #9: /);
    expect(await pool.quantifySettled(many, { batchSize: 5 })).toEqual(expected);
  });

  it('quantify throws the first rejected profile; parts, progress and firstProfileIndex', async () => {
    await expect(pool.quantify(many)).rejects.toMatchObject({
      name: 'ProfileNotRepresentableError',
      profileIndex: 9,
    });
    const good = many.filter((_, i) => i !== 9 && i !== 33);
    const events: QuantifyProgress[] = [];
    const got = await pool.quantify(good, { onProgress: (p) => events.push(p) });
    expect(got).toEqual(await here.quantify(good));
    const done = events.filter((e) => e.status === 'batch').map((e) => e.profilesDone);
    expect(done.length).toBeGreaterThan(1);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(done[done.length - 1]).toBe(good.length);
    expect(events[events.length - 1]).toEqual({ status: 'done', profilesTotal: good.length });
    // An offset given by the caller adds to the part's.
    const off = await pool.quantifySettled(many.slice(0, 12), { firstProfileIndex: 100 });
    expect(off[9].status === 'rejected' && off[9].reason.message).toMatch(/^profile #109: /);
    const offHere = await here.quantifySettled(many.slice(0, 12), { firstProfileIndex: 100 });
    expect(off).toEqual(offHere);
    await expect(here.quantifySettled(many, { firstProfileIndex: -1 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('float32 counts, concurrent calls, single profiles', async () => {
    const f32 = many.slice(0, 6).map((p) => ({ ...p, counts: Float32Array.from(p.counts) }));
    expect(await pool.quantifySettled(f32)).toEqual(await here.quantifySettled(f32));
    const good = many.slice(10, 30);
    const expected = await here.quantify(good);
    const [a, b, c] = await Promise.all([
      pool.quantify(good),
      pool.quantify([...good].reverse(), { batchSize: 3 }),
      pool.quantify(good[4]),
    ]);
    expect(a).toEqual(expected);
    expect(b).toEqual([...expected].reverse());
    expect(c).toEqual(expected[4]);
  });

  it('refuses what cannot go to a worker, and bad options', async () => {
    const odd = { ...many[0], excitation: { f: () => 1 } } as unknown as DepthProfile;
    await expect(pool.quantify([many[1], odd])).rejects.toBeInstanceOf(InvalidArgumentError);
    const wrong = { ...many[0], counts: Array.from(many[0].counts) } as unknown as DepthProfile;
    const expected = await here.quantifySettled([many[1], wrong, null as never]);
    // Counts in a plain array go by message (not shared memory); null is rejected as a shape.
    expect(expected.map((x) => x.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(await pool.quantifySettled([many[1], wrong, null as never])).toEqual(expected);
    await expect(loadQuantifier(CARD, { workers: -1 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(loadQuantifier(CARD, { workers: 1.5 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    const ort = await import('onnxruntime-node');
    await expect(
      loadQuantifier(CARD, { workers: 1, runtime: ort as never }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('release rejects the parts not yet done and later calls', async () => {
    const q = await loadQuantifier(CARD, { workers: 1 });
    const pending = expect(q.quantify(many.slice(10, 40))).rejects.toBeInstanceOf(
      ModelRuntimeError,
    );
    await q.release();
    await pending;
    await expect(q.quantify(many.slice(10, 12))).rejects.toBeInstanceOf(ModelRuntimeError);
  });

  it('a worker that cannot start its quantifier fails the load with its typed error', async () => {
    const base = await loadQuantifier(CARD, { sessionOptions: { intraOpNumThreads: 1 } });
    try {
      const model = new Uint8Array(readFileSync(CARD.replace(/\.json$/, '.onnx')));
      await expect(
        withWorkers(base, 2, { model, card: { name: 'broken' } }),
      ).rejects.toBeInstanceOf(ModelCardError);
    } finally {
      await base.release();
    }
  });

  it('idle workers do not keep the process alive', () => {
    const script = `
      import { loadQuantifier } from ${JSON.stringify(new URL('../../src/model/index.ts', import.meta.url).href)};
      const q = await loadQuantifier(${JSON.stringify(CARD)}, { workers: 2 });
      const r = await q.quantifySettled([{ counts: new Float64Array(4), nSteps: 2, nChannels: 2,
        depthsUm: Float64Array.of(0, 5), liveTimesS: Float64Array.of(1, 1),
        calibration: { offsetKeV: 0, gainKeVPerChannel: 0.01, nChannels: 2 } }, { nSteps: 1 }]);
      console.log('outcomes', r.map((x) => x.status).join(','));
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
    expect(r.stdout).toContain('outcomes rejected,rejected');
    expect(r.status).toBe(0);
  });
});

describe('errors across a worker boundary', () => {
  it('keep their class, fields, message and stack', () => {
    const e = new ProfileNotRepresentableError({
      problem: 'no-surface',
      detail: 'flat.',
      source: 'a.msa',
      step: 3,
      value: 1.5,
    });
    const d = deserializeError(structuredClone(serializeError(e)), 'test');
    expect(d).toBeInstanceOf(ProfileNotRepresentableError);
    expect(isDeepStrictEqual(d, e)).toBe(true);
    const p = new ParseError({ file: 'x.csv', line: 4 }, 'a number', '"x"');
    const dp = deserializeError(structuredClone(serializeError(p)), 'test') as ParseError;
    expect(dp).toBeInstanceOf(ParseError);
    expect([dp.file, dp.line, dp.code, dp.message]).toEqual([p.file, p.line, p.code, p.message]);
  });

  it('other errors and thrown values become CmxrfErrors that name them', () => {
    const t = deserializeError(serializeError(new TypeError('boom')), 'test');
    expect(t).toBeInstanceOf(CmxrfError);
    expect(t.message).toBe('TypeError: boom');
    expect((t as CmxrfError).code).toBe('MODEL_ERROR');
    const v = deserializeError(serializeError('plain'), 'test');
    expect(v.message).toBe('Error: plain');
    expect(v.stack).toContain('at test');
  });
});
