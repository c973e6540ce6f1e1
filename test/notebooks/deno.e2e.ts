/**
 * Executes the Deno notebook's script version (examples/deno-notebook.ts: the same cells as
 * notebooks/cmxrf-deno.ipynb) with the binary of the `deno` npm package.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('Deno notebook', () => {
  it('quantifies the example glass with the default model and renders the plots', () => {
    const bin = join(createRequire(import.meta.url).resolve('deno/package.json'), '../bin.cjs');
    const out = execFileSync(
      process.execPath,
      [
        bin,
        'run',
        '--unstable-sloppy-imports',
        '--allow-read',
        '--allow-env',
        'examples/deno-notebook.ts',
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(out).toMatch(/^cmxrf-default@[0-9a-f]{12}: 40 × 5 µm/m);
    expect(out).toMatch(/\[heat map: \d{5,} characters/);
    expect(out).toMatch(/\[line depth curves: \d{4,} characters/);
    expect(out).toMatch(/\[report: \d{5,} characters/);
    // Pb in the glass: true 11.1 wt%; the shipped model gives 9.2 wt% (models/REPORT.md).
    const pb = out.match(/"Pb" +│ (\d\.\d+) +│ 0\.111398/);
    expect(pb, out).not.toBeNull();
    expect(Number(pb![1])).toBeGreaterThan(0.111 / 1.5);
    expect(Number(pb![1])).toBeLessThan(0.111 * 1.5);
    expect(out).toMatch(/density \d\.\d{3} g\/cm³ \(true 3\.1\)/);
  });
});
