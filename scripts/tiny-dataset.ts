/**
 * Writes a tiny dataset (in-process, no workers) for cross-language tests:
 * `tsx scripts/tiny-dataset.ts <outDir> [count] [seed]`. Used by training/tests to check that
 * numpy memory-maps what the TypeScript generator writes.
 */
import { generateDataset } from '../src/dataset/index.js';

const [outDir, count = '6', seed = 'tiny'] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: tsx scripts/tiny-dataset.ts <outDir> [count] [seed]');
  process.exit(2);
}
generateDataset({ outDir, count: Number(count), seed, shardSize: 4, workers: 0 }).then(
  (m) => console.log(`wrote ${m.count} profiles in ${m.shards.length} shards to ${outDir}`),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
