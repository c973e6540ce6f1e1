/**
 * Dataset generator: `count` simulated CMXRF depth profiles in shards, on all cores
 * (worker_threads), deterministic (same seed and count ⇒ byte-identical shards for any worker
 * count), resumable (finished shards are verified by SHA-256 and skipped) and crash-safe.
 * Output layout: docs/dataset-format.md.
 *
 * @module
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { CmxrfError, InvalidArgumentError } from '../errors.js';
import { startScriptWorker } from '../workerScript.js';
import { LABEL_NAMES, PREDICTED_ELEMENTS } from '../predictedElements.js';
import type { InstrumentDescription } from '../instrument/description.js';
import type { InstrumentRanges } from '../instrument/ranges.js';
import type { InstrumentOverrides } from '../spectra/instrument.js';
import { DEFAULT_SIMULATOR_PHYSICS, type SimulatorPhysics } from '../spectra/mxrfSimulator.js';
import type { ReferenceComposition } from './compositions.js';
import { MODEL_GRID } from './grid.js';
import {
  createSimulatorSource,
  DEFAULT_INSTRUMENT_BLOCK_SIZE,
  type InstrumentPlan,
} from './instrumentSource.js';
import { shardRange, verifyShard, writeShard, type ShardRecord } from './shard.js';

/** Dataset format version written to the manifest. */
export const DATASET_FORMAT_VERSION = 1;

/** Progress of {@link generateDataset}. */
export type DatasetProgress =
  | { status: 'verifying'; shards: number }
  | {
      status: 'progress';
      done: number;
      total: number;
      skipped: number;
      ratePerS: number;
      etaS: number;
    }
  | { status: 'done'; total: number; generated: number; skipped: number; elapsedS: number };

/** Options of {@link generateDataset}. */
export interface GenerateDatasetOptions {
  /** Output directory (created if missing). */
  outDir: string;
  /** Number of profiles. */
  count: number;
  /** Seed (string or integer). */
  seed: string | number;
  /** Profiles per shard. @default 512, or the instrument block size with `instrumentRanges` */
  shardSize?: number;
  /** Worker threads; 0 runs in this thread. @default os.availableParallelism() */
  workers?: number;
  /** Instrument overrides for the simulator. @default defaults of the M4 Tornado-class model */
  instrument?: InstrumentOverrides;
  /** The nominal instrument as a description (`cmxrf/instrument`); replaces `instrument`. */
  instrumentDescription?: InstrumentDescription;
  /**
   * Domain randomization: each block of `ranges.blockSize` profiles is simulated with an
   * instrument drawn from these ranges around `instrumentDescription` (required with it), and
   * each profile gets a calibration drift; both are recorded per profile in the samples sidecar.
   */
  instrumentRanges?: InstrumentRanges;
  /** Fixed compositions (held-out sets): profile i takes composition i mod n. */
  compositions?: readonly ReferenceComposition[];
  onProgress?: (p: DatasetProgress) => void;
}

/** `manifest.json` of a dataset. */
export interface DatasetManifest {
  formatVersion: number;
  generator: string;
  cmxrfVersion: string;
  seed: string | number;
  count: number;
  shardSize: number;
  instrument: InstrumentOverrides;
  /** The nominal instrument description, when the dataset was generated from one. */
  instrumentDescription?: InstrumentDescription;
  /** The randomization ranges, when the instruments were randomized. */
  instrumentRanges?: InstrumentRanges;
  /** Names of the fixed compositions, when the dataset uses them. */
  compositions?: string[];
  /** The simulator physics the spectra were made with (absent in datasets made before it was recorded: `LEGACY_SIMULATOR_PHYSICS`). */
  simulator?: SimulatorPhysics;
  grid: typeof MODEL_GRID;
  elements: readonly string[];
  labelNames: readonly string[];
  shards: ShardRecord[];
}

const CMXRF_VERSION = '0.1.0';

function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, path);
}

/** Starts one worker: the built `dataset-worker.js`, or (running from TypeScript sources, e.g.
 * under vitest/tsx) `worker.ts` through tsx's loader. */
function startWorker(workerData: unknown): Promise<Worker> {
  return startScriptWorker(
    import.meta.url,
    './worker.ts',
    ['./dataset-worker.js', '../dataset-worker.js', './worker.js'],
    workerData,
  );
}

/**
 * Generates (or completes) a dataset. Resolves with the manifest once every shard is written.
 * @throws {@link InvalidArgumentError} for bad options or an output directory holding a dataset
 *   with other parameters.
 * @example await generateDataset({ outDir: 'data/train', count: 22080, seed: 1 });
 */
export async function generateDataset(options: GenerateDatasetOptions): Promise<DatasetManifest> {
  const { outDir, count, seed } = options;
  // With randomized instruments, shards default to the instrument block, so that each drawn
  // instrument's simulator is prepared by one worker only.
  const shardSize =
    options.shardSize ??
    (options.instrumentRanges
      ? (options.instrumentRanges.blockSize ?? DEFAULT_INSTRUMENT_BLOCK_SIZE)
      : 512);
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(count) || count < 1)
    throw new InvalidArgumentError(`count must be a positive integer. Value: \`${count}\`.`);
  if (!Number.isInteger(shardSize) || shardSize < 1)
    throw new InvalidArgumentError(
      `shardSize must be a positive integer. Value: \`${shardSize}\`.`,
    );
  if (!Number.isInteger(workers) || workers < 0)
    throw new InvalidArgumentError(`workers must be an integer ≥ 0. Value: \`${workers}\`.`);
  if (typeof seed !== 'string' && !Number.isFinite(seed))
    throw new InvalidArgumentError(`seed must be a string or number. Value: \`${String(seed)}\`.`);
  const instrument = options.instrument ?? {};
  const description = options.instrumentDescription;
  const ranges = options.instrumentRanges;
  if (ranges && !description)
    throw new InvalidArgumentError(
      'instrumentRanges needs instrumentDescription (the nominal instrument the ranges are drawn around).',
    );
  const compositions = options.compositions;
  if (compositions !== undefined && compositions.length === 0)
    throw new InvalidArgumentError('compositions must not be empty.');
  const plan: InstrumentPlan = { instrument, description, ranges };
  try {
    mkdirSync(outDir, { recursive: true });
    accessSync(outDir, constants.W_OK);
  } catch (e) {
    throw new CmxrfError(
      'IO_ERROR',
      `Cannot write the dataset directory ${outDir}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const params = {
    formatVersion: DATASET_FORMAT_VERSION,
    seed,
    count,
    shardSize,
    instrument,
    ...(description ? { instrumentDescription: description } : {}),
    ...(ranges ? { instrumentRanges: ranges } : {}),
    ...(compositions ? { compositions } : {}),
    // A dataset is resumed only with the physics it was started with.
    simulator: DEFAULT_SIMULATOR_PHYSICS,
  };
  const paramsPath = join(outDir, 'dataset-params.json');
  if (existsSync(paramsPath)) {
    const old = readFileSync(paramsPath, 'utf8');
    if (old.trim() !== JSON.stringify(params)) {
      throw new InvalidArgumentError(
        `${outDir} holds a dataset with other parameters (${old.trim()}); requested ${JSON.stringify(params)}. Use another directory.`,
      );
    }
  } else {
    writeFileSync(`${paramsPath}.tmp-${process.pid}`, JSON.stringify(params) + '\n');
    renameSync(`${paramsPath}.tmp-${process.pid}`, paramsPath);
  }
  const nShards = Math.ceil(count / shardSize);
  options.onProgress?.({ status: 'verifying', shards: nShards });
  const records: (ShardRecord | undefined)[] = [];
  const pending: number[] = [];
  let skipped = 0;
  for (let k = 0; k < nShards; k++) {
    const rec = verifyShard(outDir, k, shardRange(k, count, shardSize).n);
    records[k] = rec;
    if (rec) skipped += rec.n;
    else pending.push(k);
  }
  const t0 = performance.now();
  let done = skipped;
  let lastReport = 0;
  const report = (force = false) => {
    const now = performance.now();
    if (!force && now - lastReport < 200) return;
    lastReport = now;
    const elapsed = (now - t0) / 1000;
    const rate = elapsed > 0 ? (done - skipped) / elapsed : 0;
    options.onProgress?.({
      status: 'progress',
      done,
      total: count,
      skipped,
      ratePerS: rate,
      etaS: rate > 0 ? (count - done) / rate : Infinity,
    });
  };
  if (pending.length > 0 && workers === 0) {
    const source = createSimulatorSource(plan);
    for (const k of pending) {
      records[k] = writeShard(
        source,
        outDir,
        seed,
        k,
        count,
        shardSize,
        () => {
          done++;
          report();
        },
        compositions,
      );
    }
  } else if (pending.length > 0) {
    const queue = [...pending];
    const nWorkers = Math.min(workers, queue.length);
    const pool = await Promise.all(
      Array.from({ length: nWorkers }, () => startWorker({ plan, compositions })),
    );
    await new Promise<void>((resolve, reject) => {
      let active = 0;
      let failed = false;
      for (const worker of pool) {
        active++;
        const next = () => {
          const k = queue.shift();
          worker.postMessage(
            k === undefined || failed ? null : { dir: outDir, seed, count, shardSize, shard: k },
          );
        };
        worker.on(
          'message',
          (m: {
            type: string;
            n?: number;
            record?: ShardRecord;
            message?: string;
            shard?: number;
          }) => {
            if (m.type === 'samples') {
              done += m.n ?? 0;
              report();
            } else if (m.type === 'shard' && m.record) {
              records[m.record.index] = m.record;
              next();
            } else if (m.type === 'error') {
              failed = true;
              reject(new CmxrfError('IO_ERROR', `dataset shard ${m.shard} failed: ${m.message}`));
              worker.postMessage(null);
            }
          },
        );
        worker.on('error', (e) => {
          failed = true;
          reject(e);
        });
        worker.on('exit', () => {
          if (--active === 0 && !failed) resolve();
        });
        next();
      }
    });
  }
  report(true);
  const manifest: DatasetManifest = {
    formatVersion: DATASET_FORMAT_VERSION,
    generator: 'cmxrf generateDataset',
    cmxrfVersion: CMXRF_VERSION,
    seed,
    count,
    shardSize,
    instrument,
    ...(description ? { instrumentDescription: description } : {}),
    ...(ranges ? { instrumentRanges: ranges } : {}),
    ...(compositions ? { compositions: compositions.map((c) => c.name) } : {}),
    simulator: { ...DEFAULT_SIMULATOR_PHYSICS },
    grid: MODEL_GRID,
    elements: PREDICTED_ELEMENTS,
    labelNames: LABEL_NAMES,
    shards: records.map((r, k) => {
      if (!r) throw new CmxrfError('IO_ERROR', `shard ${k} missing after generation`);
      return r;
    }),
  };
  writeJsonAtomic(join(outDir, 'manifest.json'), manifest);
  options.onProgress?.({
    status: 'done',
    total: count,
    generated: count - skipped,
    skipped,
    elapsedS: (performance.now() - t0) / 1000,
  });
  return manifest;
}
