import { defineConfig } from 'tsup';

// ONNX runtimes are passed in by the host (or imported dynamically by the Node helpers): never bundle them.
const external = ['onnxruntime-node', 'onnxruntime-web', 'onnxruntime-common', 'vega', 'vega-lite'];

// The published build has no source maps (they were 44 % of the tarball); `npm run build:debug`
// (CMXRF_SOURCEMAP=1) writes them for debugging.
const sourcemap = process.env.CMXRF_SOURCEMAP === '1';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'physics/index': 'src/physics/index.ts',
      'sampling/index': 'src/sampling/index.ts',
      'spectra/index': 'src/spectra/index.ts',
      'io/index': 'src/io/index.ts',
      'dataset/index': 'src/dataset/index.ts',
      // Worker of the dataset generator, found at run time next to the dataset module.
      'dataset-worker': 'src/dataset/worker.ts',
      'model/index': 'src/model/index.ts',
      // Worker of loadQuantifier's workers, found at run time next to the model module.
      'model-worker': 'src/model/quantifyWorker.ts',
      'instrument/index': 'src/instrument/index.ts',
      'report/index': 'src/report/index.ts',
      'ndarray/index': 'src/ndarray/index.ts',
      'refine/index': 'src/refine/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap,
    // Keep the CLI build of the second config, which runs in parallel.
    clean: ['!cli.js', '!cli.js.map'],
    target: 'node20',
    splitting: true,
    treeshake: true,
    // import.meta.url in the CJS build (dataset worker lookup).
    shims: true,
    external,
    // Bundled: fast-xml-parser's ESM entry is ~40 small modules whose resolution dominated the cold import
    // time of the package (~50 ms); bundled it parses in a few ms.
    noExternal: ['fast-xml-parser', 'seedrandom'],
  },
  {
    // The `cmxrf` bin (package.json "bin"): ESM only, with a shebang.
    entry: { cli: 'src/cli/index.ts' },
    format: ['esm'],
    dts: false,
    sourcemap,
    clean: false,
    target: 'node20',
    splitting: false,
    treeshake: true,
    external,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
