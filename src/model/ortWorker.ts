/**
 * Worker thread behind {@link workerOnnxRuntime}: holds one onnxruntime-node session and runs it
 * on the inputs the main thread copies into a shared buffer.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadOnnxRuntimeNode } from './node';
import type { OrtSessionLike } from './runtime';
import type { OrtWorkerData, OrtWorkerRequest, OrtWorkerResponse } from './workerRuntime';

const port = parentPort;
if (!port) throw new Error('cmxrf ONNX worker: start it as a worker thread');
const data = workerData as OrtWorkerData;

async function main(): Promise<void> {
  const ort = await loadOnnxRuntimeNode();
  const session: OrtSessionLike = await ort.InferenceSession.create(data.model, data.options);
  // A private copy of each input (onnxruntime reads it while the main thread may already write
  // the next one into the shared buffer), reused from run to run.
  let scratch = new Float32Array(0);
  const reply = (r: OrtWorkerResponse): void => port!.postMessage(r);
  const runOne = async (m: Extract<OrtWorkerRequest, { type: 'run' }>): Promise<void> => {
    try {
      const total = m.feeds.reduce((s, f) => s + f.length, 0);
      if (scratch.length < total) scratch = new Float32Array(total);
      const shared = new Float32Array(m.buffer);
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
      for (const f of m.feeds) {
        const view = scratch.subarray(f.offset, f.offset + f.length);
        view.set(shared.subarray(f.offset, f.offset + f.length));
        feeds[f.name] = new ort.Tensor('float32', view, f.dims);
      }
      // The shared buffer is free again: the main thread may copy the next input.
      reply({ type: 'copied', id: m.id });
      const out = await session.run(feeds);
      const outputs: Record<string, { type: string; dims: number[]; data: unknown }> = {};
      for (const [k, t] of Object.entries(out))
        outputs[k] = { type: t.type, dims: [...t.dims], data: t.data };
      reply({ type: 'outputs', id: m.id, outputs });
    } catch (e) {
      reply({ type: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e) });
    }
  };
  // One run at a time, in the order posted (the scratch copy of a run is its input until it
  // has run).
  let queue: Promise<void> = Promise.resolve();
  port!.on('message', (m: OrtWorkerRequest) => {
    if (m.type === 'close') {
      // After the runs posted before (a worker terminated inside onnxruntime's run aborts the
      // process): free the session, then end the thread.
      void queue.then(() => session.release?.()).finally(() => process.exit(0));
      return;
    }
    queue = queue.then(() => runOne(m));
  });
  port!.postMessage({
    type: 'ready',
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
  } satisfies OrtWorkerResponse);
}

main().catch((e: unknown) =>
  port.postMessage({
    type: 'init-failed',
    message: e instanceof Error ? e.message : String(e),
  } satisfies OrtWorkerResponse),
);
