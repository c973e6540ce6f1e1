import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'physics/index': 'src/physics/index.ts',
    'sampling/index': 'src/sampling/index.ts',
    'spectra/index': 'src/spectra/index.ts',
    'io/index': 'src/io/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
