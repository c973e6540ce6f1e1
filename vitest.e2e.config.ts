import { defineConfig } from 'vitest/config';

// End-to-end checks that need the build (`npm run build`): the packed tarball and its TypeScript
// consumers, the web app in a headless browser, the Deno notebook. Run by `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ['test/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
