import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Folder of the shared real-world data (not in the repository): `CMXRF_SHARED_DIR` when set,
 * else the `shared` folder next to the repository root.
 */
export const SHARED_DIR = process.env.CMXRF_SHARED_DIR ?? resolve(repoRoot, '..', 'shared');

/** Absolute path of `data/<sub>` in the shared folder, and whether it exists (warns if not). */
export function sharedData(sub: string): { dir: string; present: boolean } {
  const dir = resolve(SHARED_DIR, 'data', sub);
  const present = existsSync(dir);
  if (!present) {
    console.warn(
      `[skipped] real-data tests: ${dir} not found (set CMXRF_SHARED_DIR to the shared folder)`,
    );
  }
  return { dir, present };
}
