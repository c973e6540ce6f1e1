/**
 * worker_threads entry of the dataset generator: receives shard jobs, writes shards, reports
 * progress. Not part of the public API.
 *
 * @module
 * @internal
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createSimulatorSource } from './instrumentSource.js';
import { writeShard } from './shard.js';

interface Job {
  dir: string;
  seed: string | number;
  count: number;
  shardSize: number;
  shard: number;
}

const port = parentPort;
if (port) {
  const source = createSimulatorSource(workerData?.plan ?? {});
  port.on('message', (job: Job | null) => {
    if (job === null) {
      port.close();
      return;
    }
    try {
      let pending = 0;
      const rec = writeShard(
        source,
        job.dir,
        job.seed,
        job.shard,
        job.count,
        job.shardSize,
        () => {
          if (++pending === 8) {
            port.postMessage({ type: 'samples', n: pending });
            pending = 0;
          }
        },
        workerData?.compositions,
      );
      if (pending > 0) port.postMessage({ type: 'samples', n: pending });
      port.postMessage({ type: 'shard', record: rec });
    } catch (e) {
      port.postMessage({
        type: 'error',
        shard: job.shard,
        message: e instanceof Error ? e.message : String(e),
      });
    }
  });
}
