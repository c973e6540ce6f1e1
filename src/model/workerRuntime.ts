/**
 * An {@link OrtLike} runtime whose sessions run in a worker thread (Node, onnxruntime-node).
 *
 * onnxruntime-node runs a session on the JavaScript thread that calls `run` (its promise only
 * defers the call), so nothing else of the process's JavaScript runs meanwhile. With this
 * runtime the network runs in a worker: `quantify` preprocesses the next part of a batch on the
 * calling thread while the worker runs the network on the previous one. Inputs are copied into a
 * shared buffer (reused from run to run: no new memory per run), outputs come back by message;
 * the network and its results are those of onnxruntime-node on the calling thread.
 *
 * `node:*` modules are imported at run time, so browser bundles of `cmxrf/model` do not pull
 * them in.
 *
 * @module
 */
import { CmxrfError } from '../errors';
import type { OrtLike, OrtSessionLike, OrtTensorLike } from './runtime';

/** What the worker starts with (`workerData`). */
export interface OrtWorkerData {
  model: Uint8Array;
  options?: Record<string, unknown>;
}

/** One input of a run: `length` float32 values at `offset` of the shared buffer. */
interface FeedSlot {
  name: string;
  dims: number[];
  offset: number;
  length: number;
}

/** Main thread → worker. */
export type OrtWorkerRequest =
  { type: 'run'; id: number; buffer: SharedArrayBuffer; feeds: FeedSlot[] } | { type: 'close' };

/** Worker → main thread. */
export type OrtWorkerResponse =
  | { type: 'ready'; inputNames: string[]; outputNames: string[] }
  | { type: 'init-failed'; message: string }
  | { type: 'copied'; id: number }
  | {
      type: 'outputs';
      id: number;
      outputs: Record<string, { type: string; dims: number[]; data: unknown }>;
    }
  | { type: 'failed'; id: number; message: string };

type WorkerThreads = typeof import('node:worker_threads');
type NodeWorker = import('node:worker_threads').Worker;

function importAtRunTime<T>(specifier: string): Promise<T> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

/**
 * Starts the worker script: the built `model-ort-worker.js`, or from TypeScript sources (vitest,
 * tsx) `ortWorker.ts` through tsx's loader.
 */
async function startWorker(data: OrtWorkerData): Promise<NodeWorker> {
  const [{ Worker }, { existsSync }, url, { createRequire }] = await Promise.all([
    importAtRunTime<WorkerThreads>('node:worker_threads'),
    importAtRunTime<typeof import('node:fs')>('node:fs'),
    importAtRunTime<typeof import('node:url')>('node:url'),
    importAtRunTime<typeof import('node:module')>('node:module'),
  ]);
  const self = import.meta.url;
  if (self.endsWith('.ts')) {
    const api = createRequire(url.fileURLToPath(self))
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs');
    const entry = new URL('./ortWorker.ts', self).href;
    const code =
      `import(${JSON.stringify(url.pathToFileURL(api).href)})` +
      `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(code, { eval: true, workerData: data });
  }
  for (const rel of ['./model-ort-worker.js', '../model-ort-worker.js']) {
    const u = new URL(rel, self);
    if (existsSync(url.fileURLToPath(u))) return new Worker(u, { workerData: data });
  }
  throw new CmxrfError(
    'IO_ERROR',
    `the ONNX worker script (model-ort-worker.js) is missing next to ${self}`,
  );
}

/** A float32 tensor as the quantifier builds them (data and dims only). */
class WorkerTensor implements OrtTensorLike {
  readonly dims: readonly number[];
  constructor(
    readonly type: 'float32',
    readonly data: Float32Array,
    dims: readonly number[],
  ) {
    this.dims = [...dims];
  }
}

interface Pending {
  resolve: (out: Record<string, OrtTensorLike>) => void;
  reject: (e: Error) => void;
  /** The worker has copied this run's input out of the shared buffer. */
  copied: boolean;
}

async function createWorkerSession(
  model: Uint8Array,
  options?: Record<string, unknown>,
): Promise<OrtSessionLike> {
  const worker = await startWorker({ model, options });
  const pending = new Map<number, Pending>();
  let shared = new SharedArrayBuffer(0);
  // One input in the shared buffer at a time: until the worker has copied the last one out,
  // further runs wait in `waiting`, in order. A run on a free buffer posts at once
  // (synchronously), so the worker starts on it while the caller goes on with other work.
  let busy = false;
  const waiting: (() => void)[] = [];
  /** The worker copied the input out: the buffer goes to the next waiting run, if any. */
  const bufferFree = (): void => {
    const next = waiting.shift();
    if (next) next();
    else busy = false;
  };
  let stopped: Error | undefined;
  const stop = (e: Error): void => {
    stopped ??= e;
    for (const p of pending.values()) p.reject(stopped);
    pending.clear();
    busy = false;
    // The waiting runs find `stopped` and reject.
    for (const w of waiting.splice(0)) w();
    worker.unref();
  };
  const names = await new Promise<{ inputNames: string[]; outputNames: string[] }>(
    (resolve, reject) => {
      worker.on('message', (m: OrtWorkerResponse) => {
        if (m.type === 'ready') return resolve(m);
        if (m.type === 'init-failed') {
          void worker.terminate();
          return reject(new Error(m.message));
        }
        const p = pending.get(m.id);
        if (!p) return;
        if (!p.copied) {
          p.copied = true;
          bufferFree();
        }
        if (m.type === 'copied') return;
        pending.delete(m.id);
        if (pending.size === 0) worker.unref();
        if (m.type === 'failed') return p.reject(new Error(m.message));
        const out: Record<string, OrtTensorLike> = {};
        for (const [k, t] of Object.entries(m.outputs)) out[k] = t;
        p.resolve(out);
      });
      worker.on('error', (e) => {
        reject(e);
        stop(new Error(`the ONNX worker thread failed: ${e.message}`));
      });
      worker.on('exit', (code) => {
        const e = new Error(`the ONNX worker thread exited (code ${code})`);
        reject(e);
        stop(e);
      });
    },
  );
  worker.unref();

  let nextId = 0;
  /** Copies the inputs into the shared buffer and posts the run; the buffer must be free. */
  const post = (feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>> => {
    if (stopped) return Promise.reject(stopped);
    const slots: FeedSlot[] = [];
    let total = 0;
    for (const [name, t] of Object.entries(feeds)) {
      if (!(t.data instanceof Float32Array))
        return Promise.reject(new Error(`input "${name}": only float32 tensors are supported`));
      slots.push({ name, dims: [...t.dims], offset: total, length: t.data.length });
      total += t.data.length;
    }
    if (shared.byteLength < total * 4) shared = new SharedArrayBuffer(total * 4);
    const view = new Float32Array(shared);
    for (const s of slots) view.set(feeds[s.name].data as Float32Array, s.offset);
    const id = nextId++;
    const result = new Promise<Record<string, OrtTensorLike>>((resolve, reject) =>
      pending.set(id, { resolve, reject, copied: false }),
    );
    busy = true;
    worker.ref();
    worker.postMessage({
      type: 'run',
      id,
      buffer: shared,
      feeds: slots,
    } satisfies OrtWorkerRequest);
    return result;
  };
  return {
    inputNames: names.inputNames,
    outputNames: names.outputNames,
    run(feeds) {
      if (!busy) return post(feeds);
      // Woken with the buffer reserved for this run.
      return new Promise<void>((r) => waiting.push(r)).then(() => {
        const id = nextId;
        const out = post(feeds);
        // A run that failed before posting passes the buffer on.
        if (nextId === id) bufferFree();
        return out;
      });
    },
    async release() {
      if (stopped) return;
      // Not worker.terminate(): a worker stopped inside onnxruntime's run aborts the process.
      // The worker ends after the run in progress; the pending runs reject now.
      const exited = new Promise<void>((r) => worker.once('exit', () => r()));
      stop(new Error('the session was released'));
      worker.ref();
      worker.postMessage({ type: 'close' } satisfies OrtWorkerRequest);
      await exited;
    },
  };
}

/**
 * onnxruntime-node in a worker thread, as an {@link OrtLike} for `createQuantifier`: each
 * session gets a worker of its own (started by `InferenceSession.create`, stopped by `release`;
 * an idle worker does not keep the process alive). Float32 inputs only (the quantifier's).
 */
export function workerOnnxRuntime(): OrtLike {
  return {
    Tensor: WorkerTensor,
    InferenceSession: { create: createWorkerSession },
  };
}
