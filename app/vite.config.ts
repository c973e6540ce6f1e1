import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web app: `npm run build:app` writes a static site to app/dist (open it from any static
// server); `npx vite app` serves it for development.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 3000,
  },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
