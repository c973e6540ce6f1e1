/**
 * Starting a worker thread whose script is built next to the module that starts it (Node): the
 * dataset generator's and the quantifier's workers. `node:*` modules are imported at run time, so
 * browser bundles of the modules that import this do not pull them in.
 *
 * @module
 */
import { CmxrfError } from './errors';

type NodeWorker = import('node:worker_threads').Worker;

function importAtRunTime<T>(specifier: string): Promise<T> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

/**
 * Starts a worker for the module at `selfUrl` (its `import.meta.url`): the first of the `built`
 * scripts (paths relative to that module) that exists, or, when the module runs from TypeScript
 * sources (vitest, tsx), the `source` file through tsx's loader (the ESM build of its API: the CJS
 * twin cannot register hooks inside a worker).
 *
 * @throws {CmxrfError} (`IO_ERROR`) when none of the built scripts exists.
 */
export async function startScriptWorker(
  selfUrl: string,
  source: string,
  built: readonly string[],
  workerData: unknown,
): Promise<NodeWorker> {
  const [{ Worker }, { existsSync }, url, { createRequire }] = await Promise.all([
    importAtRunTime<typeof import('node:worker_threads')>('node:worker_threads'),
    importAtRunTime<typeof import('node:fs')>('node:fs'),
    importAtRunTime<typeof import('node:url')>('node:url'),
    importAtRunTime<typeof import('node:module')>('node:module'),
  ]);
  if (selfUrl.endsWith('.ts')) {
    const api = createRequire(url.fileURLToPath(selfUrl))
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs');
    const entry = new URL(source, selfUrl).href;
    const code =
      `import(${JSON.stringify(url.pathToFileURL(api).href)})` +
      `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(code, { eval: true, workerData });
  }
  for (const rel of built) {
    const u = new URL(rel, selfUrl);
    if (existsSync(url.fileURLToPath(u))) return new Worker(u, { workerData });
  }
  throw new CmxrfError('IO_ERROR', `worker script ${built[0]} not found next to ${selfUrl}`);
}
