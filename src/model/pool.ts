/**
 * Quantification in worker threads (Node): {@link loadQuantifier} with `workers: n` starts n
 * workers, each with its own quantifier (an onnxruntime-node session of the same model).
 * `quantify` and `quantifySettled` of two or more profiles hand the batch out in parts of up to
 * {@link POOL_TASK_PROFILES} profiles to whichever worker is free, so preprocessing and network
 * of different parts run on different cores. A worker quantifies its part exactly as the calling
 * thread would (the network's outputs do not depend on the batch they run in), so the results
 * are the same; errors keep their class and fields ({@link deserializeError}) and their index in
 * the whole batch (`firstProfileIndex`).
 *
 * The counts go to a worker through shared memory reused from part to part (one copy, no new
 * memory per part): structured cloning a 45 × 4096 profile into fresh memory cost as much as
 * preprocessing it.
 *
 * `node:*` modules are imported at run time, so browser bundles of `cmxrf/model` do not pull
 * them in.
 *
 * @module
 */
import { CmxrfError, InvalidArgumentError } from '../errors';
import type { DepthProfile } from '../profile';
import { ModelRuntimeError } from './errors';
import {
  type QuantifyOptions,
  type QuantifySettledResult,
  type Quantifier,
  assertProfileArray,
  settledValues,
} from './quantifier';
import type { QuantificationResult } from './result';
import { type SerializedError, deserializeError } from './workerErrors';
import { startScriptWorker } from '../workerScript';

/** Largest number of profiles posted to a worker at once. */
export const POOL_TASK_PROFILES = 16;

/**
 * Parts posted to a worker ahead of its answers: while it quantifies one, the next is already
 * there.
 */
const IN_FLIGHT = 2;

/** What a worker starts with (`workerData`). */
export interface PoolWorkerData {
  model: Uint8Array;
  card: unknown;
  threshold?: number;
  batchSize?: number;
  sessionOptions?: Record<string, unknown>;
}

/**
 * A profile as posted: float64 or float32 counts lie in the part's shared buffer (`countsAt`);
 * anything else is posted as it is (the worker's quantifier then rejects it as the calling
 * thread's would).
 */
export type PostedProfile = Omit<DepthProfile, 'counts'> & {
  counts?: unknown;
  countsAt?: { byteOffset: number; length: number; float32: boolean };
};

/** Main thread → worker. */
export interface PoolRequest {
  id: number;
  buffer: SharedArrayBuffer;
  profiles: PostedProfile[];
  options: QuantifyOptions;
}

/** Worker → main thread. */
export type PoolResponse =
  | { type: 'ready' }
  | { type: 'init-failed'; error: SerializedError }
  | {
      type: 'done';
      id: number;
      outcomes: (
        | { status: 'fulfilled'; value: QuantificationResult }
        | { status: 'rejected'; reason: SerializedError }
      )[];
    }
  | { type: 'failed'; id: number; error: SerializedError };

type NodeWorker = import('node:worker_threads').Worker;

interface Task {
  id: number;
  profiles: readonly DepthProfile[];
  options: QuantifyOptions;
  resolve: (o: QuantifySettledResult[]) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: NodeWorker;
  /** Posted, not yet answered, with the shared buffer each holds. */
  tasks: { task: Task; buffer: SharedArrayBuffer }[];
  /** Shared buffers of answered parts, for the next ones. */
  spare: SharedArrayBuffer[];
  alive: boolean;
}

const sharedCounts = (c: unknown): c is Float64Array | Float32Array =>
  c instanceof Float64Array || c instanceof Float32Array;

/** Bytes of a part's counts in shared memory, each profile's on an 8-byte boundary. */
function countsBytes(profiles: readonly DepthProfile[]): number {
  let n = 0;
  for (const p of profiles)
    if (sharedCounts(p?.counts)) n += Math.ceil(p.counts.byteLength / 8) * 8;
  return n;
}

/** Copies a part's counts into `buffer` and returns the profiles to post. */
function stage(profiles: readonly DepthProfile[], buffer: SharedArrayBuffer): PostedProfile[] {
  let at = 0;
  return profiles.map((p) => {
    if (typeof p !== 'object' || p === null || !sharedCounts(p.counts)) return p;
    const { counts, ...rest } = p;
    const float32 = counts instanceof Float32Array;
    const view = float32
      ? new Float32Array(buffer, at, counts.length)
      : new Float64Array(buffer, at, counts.length);
    view.set(counts);
    const posted = { ...rest, countsAt: { byteOffset: at, length: counts.length, float32 } };
    at += Math.ceil(counts.byteLength / 8) * 8;
    return posted;
  });
}

/**
 * Wraps `base` (the calling thread's quantifier of the same model: single profiles,
 * `preprocess`, `runNormalized`) with `workers` worker threads for batches.
 *
 * @throws {ModelRuntimeError} when a worker cannot start its session.
 */
export async function withWorkers(
  base: Quantifier,
  workers: number,
  data: PoolWorkerData,
): Promise<Quantifier> {
  const slots: Slot[] = [];
  const queue: Task[] = [];
  let nextId = 0;
  let released = false;
  const where = 'cmxrf quantify worker';

  const fail = (slot: Slot, e: unknown): void => {
    slot.alive = false;
    for (const t of slot.tasks.splice(0)) t.task.reject(e);
    if (!slots.some((s) => s.alive))
      for (const q of queue.splice(0))
        q.reject(new ModelRuntimeError('every quantify worker has stopped.', { cause: e }));
  };
  const post = (slot: Slot, t: Task): void => {
    try {
      const need = countsBytes(t.profiles);
      const at = slot.spare.findIndex((b) => b.byteLength >= need);
      const buffer = at >= 0 ? slot.spare.splice(at, 1)[0] : new SharedArrayBuffer(need);
      const profiles = stage(t.profiles, buffer);
      slot.worker.postMessage({
        id: t.id,
        buffer,
        profiles,
        options: t.options,
      } satisfies PoolRequest);
      slot.tasks.push({ task: t, buffer });
      slot.worker.ref();
    } catch (e) {
      // A value that cannot be cloned (a function or a class instance in a profile).
      t.reject(
        new InvalidArgumentError(
          `profiles must be plain data to go to a quantify worker: ${String(e)}`,
        ),
      );
    }
  };
  const pump = (): void => {
    // One part per worker per round, so that the first parts spread over the workers.
    for (let more = true; more;) {
      more = false;
      for (const slot of slots) {
        if (!slot.alive || slot.tasks.length >= IN_FLIGHT || queue.length === 0) continue;
        post(slot, queue.shift()!);
        more = true;
      }
    }
    for (const slot of slots) if (slot.tasks.length === 0) slot.worker.unref();
  };

  const starting = Array.from({ length: workers }, async () => {
    const worker = await startScriptWorker(
      import.meta.url,
      './quantifyWorker.ts',
      ['./model-worker.js', '../model-worker.js'],
      data,
    );
    const slot: Slot = { worker, tasks: [], spare: [], alive: true };
    slots.push(slot);
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: PoolResponse) => {
        if (m.type === 'ready') return resolve();
        if (m.type === 'init-failed') {
          slot.alive = false;
          return reject(deserializeError(m.error, where));
        }
        const at = slot.tasks.findIndex((t) => t.task.id === m.id);
        if (at < 0) return;
        const [{ task: t, buffer }] = slot.tasks.splice(at, 1);
        // Kept for the next parts: the largest IN_FLIGHT buffers.
        slot.spare.push(buffer);
        if (slot.spare.length > IN_FLIGHT) {
          slot.spare.sort((a, b) => b.byteLength - a.byteLength);
          slot.spare.length = IN_FLIGHT;
        }
        if (m.type === 'failed') t.reject(deserializeError(m.error, where));
        else
          t.resolve(
            m.outcomes.map((o) =>
              o.status === 'fulfilled'
                ? o
                : { status: 'rejected', reason: deserializeError(o.reason, where) as CmxrfError },
            ),
          );
        pump();
      });
      worker.on('error', (e) => {
        reject(e);
        fail(slot, new ModelRuntimeError(`a quantify worker failed: ${e.message}`, { cause: e }));
      });
      worker.on('exit', (code) => {
        if (!slot.alive) return;
        const e = new ModelRuntimeError(`a quantify worker exited (code ${code}).`);
        reject(e);
        fail(slot, e);
      });
    });
    worker.unref();
  });
  const started = await Promise.allSettled(starting);
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    // The started ones free their sessions and exit; the failed ones are idle.
    await Promise.all(slots.map((s) => (s.alive ? stopWorker(s.worker) : s.worker.terminate())));
    const e = failed.reason as unknown;
    throw e instanceof CmxrfError
      ? e
      : new ModelRuntimeError(`a quantify worker did not start: ${String(e)}`, { cause: e });
  }

  const run = (profiles: readonly DepthProfile[], options: QuantifyOptions) =>
    new Promise<QuantifySettledResult[]>((resolve, reject) => {
      if (released) {
        reject(new ModelRuntimeError('the quantifier was released.'));
        return;
      }
      queue.push({ id: nextId++, profiles, options, resolve, reject });
      pump();
    });

  async function quantifySettled(
    profiles: readonly DepthProfile[],
    o: QuantifyOptions = {},
  ): Promise<QuantifySettledResult[]> {
    assertProfileArray(profiles);
    const n = profiles.length;
    if (n < 2 || released) return base.quantifySettled(profiles, o);
    const { onProgress, ...rest } = o;
    const first = rest.firstProfileIndex ?? 0;
    // Parts small enough that every worker gets two or more (the last parts balance the load).
    const size = Math.max(1, Math.min(POOL_TASK_PROFILES, Math.ceil(n / (2 * workers))));
    const outcomes: QuantifySettledResult[] = new Array(n);
    let done = 0;
    const parts: Promise<void>[] = [];
    for (let start = 0; start < n; start += size) {
      const part = profiles.slice(start, start + size);
      parts.push(
        run(part, { ...rest, firstProfileIndex: first + start }).then((r) => {
          r.forEach((x, i) => (outcomes[start + i] = x));
          done += part.length;
          onProgress?.({ status: 'batch', profilesDone: done, profilesTotal: n });
        }),
      );
    }
    // A runtime failure rejects the call; the other parts finish or fail on their own.
    const settled = await Promise.allSettled(parts);
    const bad = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (bad) throw bad.reason;
    onProgress?.({ status: 'done', profilesTotal: n });
    return outcomes;
  }

  async function quantify(
    arg: DepthProfile | readonly DepthProfile[],
    o: QuantifyOptions = {},
  ): Promise<QuantificationResult | QuantificationResult[]> {
    if (!Array.isArray(arg)) return base.quantify(arg as DepthProfile, o);
    return settledValues(await quantifySettled(arg, o));
  }

  return {
    card: base.card,
    modelId: base.modelId,
    quantify: quantify as Quantifier['quantify'],
    quantifySettled,
    preprocess: (p) => base.preprocess(p),
    runNormalized: (input, batch, mask) => base.runNormalized(input, batch, mask),
    async release() {
      if (released) return;
      released = true;
      for (const t of queue.splice(0))
        t.reject(new ModelRuntimeError('the quantifier was released.'));
      await Promise.all(
        slots.map(async (s) => {
          s.alive = false;
          for (const t of s.tasks.splice(0))
            t.task.reject(new ModelRuntimeError('the quantifier was released.'));
          await stopWorker(s.worker);
        }),
      );
      await base.release();
    },
  };
}

/** Ends a worker after what it is running (a worker terminated inside onnxruntime's run
 * aborts the process). */
async function stopWorker(worker: NodeWorker): Promise<void> {
  // Exited already (thread id −1): nothing to wait for.
  if (worker.threadId === -1) return;
  const exited = new Promise<void>((r) => worker.once('exit', () => r()));
  worker.ref();
  worker.postMessage({ close: true });
  await exited;
}
