/**
 * Writing and verifying one dataset shard. A shard is complete only when its `.done.json`
 * marker exists and the SHA-256 of every file matches it. Every file is written under a
 * temporary name and renamed, the marker last, so a crash (even `kill -9`) never leaves a shard
 * that looks complete but is not.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PREDICTED_ELEMENTS } from '../predictedElements.js';
import type { ReferenceComposition } from './compositions.js';
import { MODEL_GRID } from './grid.js';
import type { SimulatorSource } from './instrumentSource.js';
import { npyHeader } from './npy.js';
import { generateSample, N_LABELS, PROFILE_SIZE, type SampleRecord } from './sample.js';

/** File names of shard `k`. */
export function shardFiles(k: number): {
  profiles: string;
  labels: string;
  samples: string;
  done: string;
} {
  const base = `shard-${String(k).padStart(5, '0')}`;
  return {
    profiles: `${base}.profiles.npy`,
    labels: `${base}.labels.npy`,
    samples: `${base}.samples.json`,
    done: `${base}.done.json`,
  };
}

/** Contents of a shard's `.done.json` marker (also its manifest entry). */
export interface ShardRecord {
  index: number;
  /** Index of the first sample. */
  start: number;
  n: number;
  files: { profiles: string; labels: string; samples: string };
  sha256: { profiles: string; labels: string; samples: string };
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Range of samples of shard k. */
export function shardRange(
  k: number,
  count: number,
  shardSize: number,
): { start: number; n: number } {
  const start = k * shardSize;
  return { start, n: Math.max(Math.min(shardSize, count - start), 0) };
}

/**
 * Returns the shard's record if it is complete and intact (all hashes match), else undefined.
 * @example
 * ```ts
 * verifyShard('data/train', 0); // the shard's record when complete and intact, else undefined
 * ```
 */
export function verifyShard(dir: string, k: number, expectedN?: number): ShardRecord | undefined {
  const f = shardFiles(k);
  const donePath = join(dir, f.done);
  if (!existsSync(donePath)) return undefined;
  try {
    const rec = JSON.parse(readFileSync(donePath, 'utf8')) as ShardRecord;
    if (expectedN !== undefined && rec.n !== expectedN) return undefined;
    for (const key of ['profiles', 'labels', 'samples'] as const) {
      const p = join(dir, rec.files[key]);
      if (!existsSync(p) || sha256(readFileSync(p)) !== rec.sha256[key]) return undefined;
    }
    return rec;
  } catch {
    return undefined;
  }
}

/**
 * Generates shard k (samples [k·shardSize, …)) and writes it crash-safely into `dir`.
 * `onSample` is called after every sample (for progress). With `compositions`, sample i takes
 * composition i mod n instead of a draw from the prior.
 */
export function writeShard(
  source: SimulatorSource,
  dir: string,
  seed: string | number,
  k: number,
  count: number,
  shardSize: number,
  onSample?: () => void,
  compositions?: readonly ReferenceComposition[],
): ShardRecord {
  const { start, n } = shardRange(k, count, shardSize);
  const f = shardFiles(k);
  const donePath = join(dir, f.done);
  if (existsSync(donePath)) unlinkSync(donePath); // stale marker: the shard is being rewritten
  const profHeader = npyHeader([n, MODEL_GRID.nDepth, MODEL_GRID.nChannels]);
  const labHeader = npyHeader([n, N_LABELS]);
  const profBytes = new Uint8Array(profHeader.length + n * PROFILE_SIZE * 4);
  const labBytes = new Uint8Array(labHeader.length + n * N_LABELS * 4);
  profBytes.set(profHeader, 0);
  labBytes.set(labHeader, 0);
  // Headers are multiples of 64 bytes, so the float32 views are aligned.
  const profiles = new Float32Array(profBytes.buffer, profHeader.length, n * PROFILE_SIZE);
  const labels = new Float32Array(labBytes.buffer, labHeader.length, n * N_LABELS);
  const samples: SampleRecord[] = [];
  for (let i = 0; i < n; i++) {
    const index = start + i;
    const { sim, record } = source.forProfile(seed, index);
    samples.push(
      generateSample(
        sim,
        seed,
        index,
        profiles.subarray(i * PROFILE_SIZE, (i + 1) * PROFILE_SIZE),
        labels.subarray(i * N_LABELS, (i + 1) * N_LABELS),
        {
          ...(record ? { instrument: record } : {}),
          ...(compositions ? { composition: compositions[index % compositions.length] } : {}),
        },
      ),
    );
    onSample?.();
  }
  const samplesText = JSON.stringify({ elements: PREDICTED_ELEMENTS, samples }) + '\n';
  writeAtomic(join(dir, f.profiles), profBytes);
  writeAtomic(join(dir, f.labels), labBytes);
  writeAtomic(join(dir, f.samples), samplesText);
  const rec: ShardRecord = {
    index: k,
    start,
    n,
    files: { profiles: f.profiles, labels: f.labels, samples: f.samples },
    sha256: { profiles: sha256(profBytes), labels: sha256(labBytes), samples: sha256(samplesText) },
  };
  writeAtomic(donePath, JSON.stringify(rec, null, 2) + '\n');
  return rec;
}
