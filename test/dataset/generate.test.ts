import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  generateDataset,
  MODEL_GRID,
  N_LABELS,
  readNpyHeader,
  shardFiles,
  verifyShard,
} from '../../src/dataset/index.js';
import { LABEL_NAMES, PREDICTED_ELEMENTS } from '../../src/index.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'cmxrf-ds-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const opts = { count: 20, seed: 'test-seed', shardSize: 8 };

describe('generateDataset', () => {
  it('writes numpy-readable shards with the documented shapes, labels and manifest', async () => {
    const dir = tmp();
    const manifest = await generateDataset({ ...opts, outDir: dir, workers: 0 });
    expect(manifest.shards.map((s) => s.n)).toEqual([8, 8, 4]);
    expect(manifest.elements).toEqual(PREDICTED_ELEMENTS);
    expect(manifest.labelNames).toEqual(LABEL_NAMES);
    // The simulator physics the spectra were made with: the simulator's defaults.
    expect(manifest.simulator).toEqual({ doubleScatter: 'directional', higherScatterOrders: true });
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).simulator).toEqual(
      manifest.simulator,
    );
    const f = shardFiles(2);
    const prof = readFileSync(join(dir, f.profiles));
    const h = readNpyHeader(new Uint8Array(prof), f.profiles);
    expect(h).toMatchObject({
      descr: '<f4',
      fortranOrder: false,
      shape: [4, MODEL_GRID.nDepth, MODEL_GRID.nChannels],
    });
    expect(h.dataOffset % 64).toBe(0);
    expect(prof.length).toBe(h.dataOffset + 4 * MODEL_GRID.nDepth * MODEL_GRID.nChannels * 4);
    const lab = new Uint8Array(readFileSync(join(dir, f.labels)));
    const lh = readNpyHeader(lab);
    expect(lh.shape).toEqual([4, N_LABELS]);
    const labels = new Float32Array(lab.buffer.slice(lab.byteOffset + lh.dataOffset));
    const samples = JSON.parse(readFileSync(join(dir, f.samples), 'utf8')).samples;
    for (let i = 0; i < 4; i++) {
      const row = labels.subarray(i * N_LABELS, (i + 1) * N_LABELS);
      let sum = 0;
      for (let e = 0; e < 53; e++) sum += row[e];
      expect(sum).toBeLessThanOrEqual(1 + 1e-6);
      expect(row[53]).toBeCloseTo(samples[i].densityGPerCm3, 5);
      expect(row[54]).toBeCloseTo(samples[i].surfaceUm, 4);
      expect(samples[i].index).toBe(16 + i);
    }
    const profiles = new Float32Array(prof.buffer.slice(prof.byteOffset + h.dataOffset));
    let bad = 0;
    let total = 0;
    for (const v of profiles) {
      if (!(v >= 0) || !Number.isFinite(v)) bad++;
      total += v;
    }
    expect(bad).toBe(0);
    expect(total).toBeGreaterThan(0);
  });

  it('is byte-identical for any worker count and resumes after a crash', async () => {
    const a = tmp();
    const b = tmp();
    const ma = await generateDataset({ ...opts, outDir: a, workers: 0 });
    const mb = await generateDataset({ ...opts, outDir: b, workers: 2 });
    expect(mb.shards).toEqual(ma.shards);
    for (const s of ma.shards) {
      for (const key of ['profiles', 'labels', 'samples'] as const) {
        expect(
          readFileSync(join(b, s.files[key])).equals(readFileSync(join(a, s.files[key]))),
        ).toBe(true);
      }
    }
    // Simulate a crash in shard 1: a truncated file without a completion marker, and a
    // leftover temp file. The shard must not count as complete and must be regenerated.
    const f = shardFiles(1);
    unlinkSync(join(a, f.done));
    writeFileSync(join(a, f.profiles), readFileSync(join(a, f.profiles)).subarray(0, 1000));
    writeFileSync(join(a, `${f.labels}.tmp-999`), 'partial');
    expect(verifyShard(a, 1)).toBeUndefined();
    expect(verifyShard(a, 0)).toBeDefined();
    const events: string[] = [];
    const again = await generateDataset({
      ...opts,
      outDir: a,
      workers: 0,
      onProgress: (p) =>
        events.push(p.status === 'done' ? `done:${p.generated}/${p.skipped}` : p.status),
    });
    expect(events).toContain('done:8/12');
    expect(again.shards).toEqual(ma.shards);
    expect(readFileSync(join(a, f.profiles)).equals(readFileSync(join(b, f.profiles)))).toBe(true);
    // A corrupted file behind a marker is detected by its hash.
    const p0 = join(a, shardFiles(0).labels);
    const bytes = readFileSync(p0);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(p0, bytes);
    expect(verifyShard(a, 0)).toBeUndefined();
  });

  it('refuses to mix parameters in one directory and validates options', async () => {
    const dir = tmp();
    await generateDataset({ ...opts, count: 3, outDir: dir, workers: 0 });
    await expect(
      generateDataset({ ...opts, count: 3, seed: 'other', outDir: dir, workers: 0 }),
    ).rejects.toThrow(/other parameters/);
    // A dataset started with other simulator physics is not completed with these.
    const legacy = tmp();
    await generateDataset({ ...opts, count: 3, outDir: legacy, workers: 0 });
    const paramsPath = join(legacy, 'dataset-params.json');
    const params = JSON.parse(readFileSync(paramsPath, 'utf8')) as Record<string, unknown>;
    delete params.simulator;
    writeFileSync(paramsPath, JSON.stringify(params) + '\n');
    await expect(
      generateDataset({ ...opts, count: 3, outDir: legacy, workers: 0 }),
    ).rejects.toThrow(/other parameters.*"simulator":\{"doubleScatter":"directional"/);
    await expect(generateDataset({ ...opts, count: 0, outDir: tmp() })).rejects.toThrow(/count/);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(true);
  });
});

describe('generateDataset: crash and bad paths', () => {
  it('a run killed with SIGKILL mid-way resumes to the same checksums as an uninterrupted run', async () => {
    const { spawn } = await import('node:child_process');
    const root = new URL('../../', import.meta.url);
    const tsx = new URL('node_modules/.bin/tsx', root).pathname;
    const killed = tmp();
    const count = 24; // scripts/tiny-dataset.ts uses 4 profiles per shard, in-process
    const child = spawn(tsx, ['scripts/tiny-dataset.ts', killed, String(count), 'kill-test'], {
      cwd: root.pathname,
      stdio: 'ignore',
    });
    // Kill as soon as the first shard is complete (the child is then inside a later shard).
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(killed, shardFiles(0).done)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(existsSync(join(killed, 'manifest.json'))).toBe(false);
    const resumed = await generateDataset({
      outDir: killed,
      count,
      seed: 'kill-test',
      shardSize: 4,
      workers: 0,
    });
    const clean = await generateDataset({
      outDir: tmp(),
      count,
      seed: 'kill-test',
      shardSize: 4,
      workers: 0,
    });
    expect(resumed.shards).toEqual(clean.shards);
  });
  it('names an unwritable output directory', async () => {
    const file = join(tmp(), 'a-file');
    writeFileSync(file, 'x');
    await expect(
      generateDataset({ ...opts, outDir: join(file, 'sub'), workers: 0 }),
    ).rejects.toThrow(/Cannot write the dataset directory/);
  });
});
