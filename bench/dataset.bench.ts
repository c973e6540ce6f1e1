/**
 * Dataset generation benchmark: 22,080 profiles (the size of the original training set) with 2
 * workers, printed next to the original 95 h (XMI-MSIM). Baseline in the same run: the same
 * generator with 0 workers (in-process) on a 512-profile subset, extrapolated.
 *
 * Domain randomization: 1024 profiles in-process with instruments drawn from
 * `instruments/m4-tornado.ranges.json` (one simulator per block)  at three block sizes, as a ratio
 * to the nominal-instrument baseline. `CMXRF_BENCH_DATASET_COUNT=0` runs only this part.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '../src/dataset/index.js';
import { parseInstrumentJson, parseInstrumentRanges } from '../src/instrument/index.js';

const ORIGINAL_HOURS = 95;

export async function run(): Promise<void> {
  const count = Number(process.env.CMXRF_BENCH_DATASET_COUNT ?? 22080);
  console.log(
    `\n## dataset: ${count} profiles (40 × 1024, float32), original work: ${ORIGINAL_HOURS} h for 22,080`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'cmxrf-bench-ds-'));
  try {
    const t0 = performance.now();
    await generateDataset({
      outDir: join(dir, 'single'),
      count: 512,
      seed: 'bench',
      shardSize: 512,
      workers: 0,
    });
    const singleS = (performance.now() - t0) / 1000;
    console.log(
      `baseline: 0 workers, 512 profiles: ${singleS.toFixed(1)} s (${((singleS / 512) * 1000).toFixed(2)} ms/profile, ${(512 / singleS).toFixed(1)} profiles/s) → ${((singleS / 512) * count).toFixed(0)} s extrapolated`,
    );
    const root = join(import.meta.dirname, '..', 'instruments');
    const description = parseInstrumentJson(readFileSync(join(root, 'm4-tornado.json'), 'utf8'));
    const rangesJson = JSON.parse(readFileSync(join(root, 'm4-tornado.ranges.json'), 'utf8'));
    const nRandom = 1024;
    for (const blockSize of [512, 256, 128]) {
      const ranges = parseInstrumentRanges({ ...rangesJson, blockSize }, description);
      const tr = performance.now();
      await generateDataset({
        outDir: join(dir, `random-${blockSize}`),
        count: nRandom,
        seed: 'bench',
        shardSize: 512,
        workers: 0,
        instrumentDescription: description,
        instrumentRanges: ranges,
      });
      const rs = (performance.now() - tr) / 1000;
      console.log(
        `randomized instruments, block ${blockSize} (${nRandom / blockSize} simulators): ${nRandom} profiles in ${rs.toFixed(1)} s ` +
          `(${(nRandom / rs).toFixed(1)} profiles/s; ${(((singleS / 512) * nRandom) / rs).toFixed(2)}× the nominal baseline's rate)`,
      );
    }
    if (count === 0) return;
    const t1 = performance.now();
    await generateDataset({
      outDir: join(dir, 'two'),
      count,
      seed: 'bench',
      shardSize: 512,
      workers: 2,
    });
    const s = (performance.now() - t1) / 1000;
    console.log(`2 workers: ${count} profiles in ${s.toFixed(1)} s (${(count / s).toFixed(0)} profiles/s; ` +
      `${((singleS / 512) * count / s).toFixed(2)}× the in-process baseline; ${((ORIGINAL_HOURS * 3600 * count) / 22080 / s).toFixed(0)}× faster than the original 95 h)`); // prettier-ignore
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
