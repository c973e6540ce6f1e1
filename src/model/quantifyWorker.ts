/**
 * Worker thread of a quantifier with `workers` ({@link loadQuantifier}): holds a quantifier of
 * the model it is given (its own onnxruntime-node session) and quantifies the parts of batches
 * the main thread posts (`quantifySettled`), answering with the outcomes (errors as
 * {@link SerializedError}). The counts of a part lie in shared memory the main thread reuses once
 * the answer is back.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DepthProfile } from '../profile';
import { loadOnnxRuntimeNode } from './node';
import type { PoolRequest, PoolResponse, PoolWorkerData } from './pool';
import { createQuantifier } from './quantifier';
import { serializeError } from './workerErrors';

const port = parentPort;
if (!port) throw new Error('cmxrf quantify worker: start it as a worker thread');
const data = workerData as PoolWorkerData;

async function main(): Promise<void> {
  const q = await createQuantifier({
    runtime: await loadOnnxRuntimeNode(),
    model: data.model,
    card: data.card,
    threshold: data.threshold,
    batchSize: data.batchSize,
    sessionOptions: data.sessionOptions,
    verifySha256: false,
  });
  const reply = (r: PoolResponse): void => port!.postMessage(r);
  const runOne = async (m: PoolRequest): Promise<void> => {
    try {
      const profiles = m.profiles.map((p) => {
        if (!p?.countsAt) return p;
        const { countsAt: at, ...rest } = p;
        const counts = at.float32
          ? new Float32Array(m.buffer, at.byteOffset, at.length)
          : new Float64Array(m.buffer, at.byteOffset, at.length);
        return { ...rest, counts };
      }) as DepthProfile[];
      const outcomes = await q.quantifySettled(profiles, m.options);
      reply({
        type: 'done',
        id: m.id,
        outcomes: outcomes.map((o) =>
          o.status === 'fulfilled' ? o : { status: 'rejected', reason: serializeError(o.reason) },
        ),
      });
    } catch (e) {
      reply({ type: 'failed', id: m.id, error: serializeError(e) });
    }
  };
  // One part at a time, in the order posted.
  let queue: Promise<void> = Promise.resolve();
  port!.on('message', (m: PoolRequest | { close: true }) => {
    if ('close' in m) {
      // After the parts posted before (a worker terminated inside onnxruntime's run aborts
      // the process): free the session, then end the thread.
      void queue.then(() => q.release()).finally(() => process.exit(0));
      return;
    }
    queue = queue.then(() => runOne(m));
  });
  reply({ type: 'ready' });
}

main().catch((e: unknown) =>
  port.postMessage({ type: 'init-failed', error: serializeError(e) } satisfies PoolResponse),
);
