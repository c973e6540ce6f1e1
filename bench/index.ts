export {};
/**
 * `npm run bench`: every benchmark prints µs per call and the ratio to a baseline timed in the
 * same run. Run a subset with `npm run bench -- physics confocal`.
 */
const SUITES: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  physics: () => import('./physics.bench.js'),
  sampling: () => import('./sampling.bench.js'),
  confocal: () => import('./confocal.bench.js'),
  spectrum: () => import('./spectrum.bench.js'),
  dataset: () => import('./dataset.bench.js'),
  model: () => import('./model.bench.js'),
  fft: () => import('./fft.bench.js'),
  refine: () => import('./refine.bench.js'),
};

const wanted = process.argv.slice(2);
console.log(`cmxrf benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const [name, load] of Object.entries(SUITES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const mod = await load();
  await mod.run();
}
